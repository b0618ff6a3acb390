// "Did you mean" only for close names: 'm' is not 'x' (one edit, but a one-letter name),
// 'N' is 'n' (case only), 'treshold' is 'threshold', 'scale' is none of them.
import { jit, np } from "tsjit";
function f(x, n, threshold) {
    return np.where(np.greater(x, threshold), x.mul(n), x);
}
export const a = /*#__PURE__*/ jit(f, { staticArgnames: ["m"] }, { params: ["x", "n", "threshold"], site: "input.ts:9:18" });
export const b = /*#__PURE__*/ jit(f, { staticArgnames: ["N"] }, { params: ["x", "n", "threshold"], site: "input.ts:10:18" });
export const c = /*#__PURE__*/ jit(f, { staticArgnames: ["treshold"] }, { params: ["x", "n", "threshold"], site: "input.ts:11:18" });
export const d = /*#__PURE__*/ jit(f, { staticArgnames: ["scale"] }, { params: ["x", "n", "threshold"], site: "input.ts:12:18" });
