// The seed, done right: elementwise selection with np.where, threshold static.
import { jit, np } from "tsjit";
function conditionalDouble(x, threshold) {
    return np.where(np.greater(x, threshold), x.mul(2), x);
}
export const jitted = /*#__PURE__*/ jit(conditionalDouble, { staticArgnames: ["threshold"] }, { params: ["x", "threshold"], site: "input.ts:8:23" });
