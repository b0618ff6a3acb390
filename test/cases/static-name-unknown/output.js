// A misspelled static name: the runtime would throw when jit is called.
import { jit, np } from "tsjit";
function conditionalDouble(x, threshold) {
    return np.where(np.greater(x, threshold), x.mul(2), x);
}
export const jitted = /*#__PURE__*/ jit(conditionalDouble, { staticArgnames: ["thresh"] }, { params: ["x", "threshold"], site: "input.ts:8:23" });
export const byPosition = /*#__PURE__*/ jit(conditionalDouble, { staticArgnums: [1] }, { params: ["x", "threshold"], site: "input.ts:9:27" });
