// The seed's mistake: a Python-style branch on a traced scalar. `threshold` is static,
// but `x` is traced, so `x > threshold` is a traced boolean.
import { jit, np } from "tsjit";
function conditionalDouble(x, threshold) {
    if (x > threshold) {
        return np.multiply(x, 2);
    }
    return np.asarray(x);
}
export const jitted = /*#__PURE__*/ jit(conditionalDouble, { staticArgnames: ["threshold"] }, { params: ["x", "threshold"], site: "input.ts:12:23" });
