// A boolean mask index on a traced array inside jit: the result's shape would depend on the
// mask's values, so the runtime throws ConcretizationTypeError naming np.where. The build
// reports it where the mask's dtype is known to be bool (comparisons, logical ops,
// NDArray<"bool"> annotations).
import { jit, np } from "tsjit";
export const positives = /*#__PURE__*/ jit((x) => x.slice(x.gt(0)).sum(), undefined, { params: ["x"], site: "input.ts:7:26" });
export const masked = /*#__PURE__*/ jit((x, lo) => np.slice(x, np.logicalAnd(np.greater(x, lo), np.isfinite(x)), ":"), undefined, { params: ["x", "lo"], site: "input.ts:9:23" });
export const clearNegatives = /*#__PURE__*/ jit((x) => x.at(np.less(x, 0)).set(0), undefined, { params: ["x"], site: "input.ts:11:31" });
export const byMask = /*#__PURE__*/ jit((x, mask) => {
    const m = mask;
    return x.slice(":", m);
}, undefined, { params: ["x", "mask"], site: "input.ts:13:23" });
