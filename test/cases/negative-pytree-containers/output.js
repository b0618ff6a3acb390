// A pytree argument is a real object: its keys, length and presence are static.
import { jit, np } from "tsjit";
export const f = /*#__PURE__*/ jit((params, xs) => {
    let y = np.zeros([1]);
    for (const key of Object.keys(params))
        if (key.length > 0)
            y = y.add(1);
    if (params.b)
        y = y.add(params.b);
    if (xs.length > 0 && xs)
        y = y.add(xs[0]);
    return y.add(params.w);
}, undefined, { params: ["params", "xs"], site: "input.ts:4:18" });
