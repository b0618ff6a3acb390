// A boolean mask index on a traced array inside jit: the result's shape would depend on the
// mask's values, so the runtime throws ConcretizationTypeError naming np.where. The build
// reports it where the mask's dtype is known to be bool (comparisons, logical ops,
// NDArray<"bool"> annotations).
import { jit, np, type NDArray } from "tsjit";

export const positives = jit((x: NDArray) => x.slice(x.gt(0)).sum());

export const masked = jit((x: NDArray, lo: NDArray) => np.slice(x, np.logicalAnd(np.greater(x, lo), np.isfinite(x)), ":"));

export const clearNegatives = jit((x: NDArray) => x.at(np.less(x, 0)).set(0));

export const byMask = jit((x: NDArray, mask: NDArray<"bool">) => {
  const m = mask;
  return x.slice(":", m);
});
