// A lax loop's result is traced even when its inputs are constants.
import { jit, lax, np } from "tsjit";
export const f = /*#__PURE__*/ jit((x) => {
    const r = lax.foriLoop(0, 10, (i, acc) => acc.add(i), np.zeros([2]));
    if (r.sum().gt(0))
        return x.add(r);
    return x;
}, undefined, { params: ["x"], site: "input.ts:4:18" });
