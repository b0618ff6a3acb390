// A while loop whose condition depends on a traced value (through a reassigned local).
import { jit, np } from "tsjit";
export const halve = /*#__PURE__*/ jit((x, tol) => {
    let y = x;
    while (np.max(y).gt(tol)) {
        y = y.mul(0.5);
    }
    return y;
}, { staticArgnames: "tol" }, { params: ["x", "tol"], site: "input.ts:4:22" });
