// Taint is flow-sensitive for locals: y is a constant until it is reassigned.
import { jit, np } from "tsjit";
export const f = /*#__PURE__*/ jit((x) => {
    let y = np.zeros([3]);
    if (np.any(y))
        console.log("a constant here: not traced");
    y = y.add(x);
    if (np.any(y))
        return y.neg();
    return y;
}, undefined, { params: ["x"], site: "input.ts:4:18" });
