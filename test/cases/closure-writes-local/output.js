// A local written by a closure is tracked through the closure's writes.
import { jit, np } from "tsjit";
export const f = /*#__PURE__*/ jit((x) => {
    let y = np.zeros([2]);
    const capture = () => {
        y = x.exp();
    };
    capture();
    if (np.any(y))
        return y;
    return x;
}, undefined, { params: ["x"], site: "input.ts:4:18" });
