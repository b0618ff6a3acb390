// Sorting primitives, after JAX's lax.sort_p and lax.top_k_p.
//
// sort: sorts several same-shape operands along `dimension` by the lexicographic order of
// the first `num_keys` of them (the rest are carried along: argsort = sort of (x, iota)).
// The order is NumPy's/JAX's: -0 and 0 compare equal, NaNs last; bools false before true;
// uint32 unsigned. Sorting is always stable (`is_stable` is kept for JAX's signature), so
// ties keep their index order. `descending` (not in JAX's primitive, where jnp.sort flips
// an ascending sort) reverses the key order but still keeps ties in index order — JAX's
// stable descending argsort — and puts NaNs first.
//
// top_k: the k largest elements along the last axis and their int32 indices, largest
// first, the lower index first among equals (a stable descending sort, truncated).

import { aval, type ShapedArray } from "../ir/aval.js";
import { ShapeError } from "../errors.js";
import { sameShape, shapeTuple } from "../shape.js";
import { definePrimitive } from "./primitive.js";

export type SortParams = {
  readonly dimension: number;
  readonly is_stable: boolean;
  readonly num_keys: number;
  readonly descending: boolean;
};

export const sort = definePrimitive<SortParams>({
  name: "sort",
  kind: "other",
  abstractEval(operands, { dimension, num_keys }) {
    if (operands.length === 0) throw new ShapeError("sort needs at least one operand.");
    const first = operands[0]!;
    for (const o of operands) {
      if (!sameShape(o.shape, first.shape)) {
        throw new ShapeError(`sort operands must share one shape, got ${operands.map((x) => shapeTuple(x.shape)).join(", ")}.`,
          "Broadcast the operands to one shape first.");
      }
    }
    if (!Number.isInteger(dimension) || dimension < 0 || dimension >= first.ndim) {
      throw new ShapeError(`sort: dimension ${dimension} is out of bounds for operands of rank ${first.ndim} (${first.str}).`,
        first.ndim === 0 ? "A 0-d array has nothing to sort along; reshape it to [1] first." : `Use a dimension in [0, ${first.ndim - 1}].`);
    }
    if (!Number.isInteger(num_keys) || num_keys < 1 || num_keys > operands.length) {
      throw new ShapeError(`sort: num_keys ${num_keys} must be between 1 and the number of operands (${operands.length}).`);
    }
    return operands.map((o: ShapedArray) => aval(o.shape, o.dtype, o.weakType));
  },
});

export const topK = definePrimitive<{ readonly k: number }>({
  name: "top_k",
  kind: "other",
  abstractEval([x], { k }) {
    if (x!.ndim === 0) throw new ShapeError(`top_k needs an operand of rank 1 or more, got ${x!.str}.`, "Reshape a scalar to [1] first.");
    const n = x!.shape[x!.ndim - 1]!;
    if (!Number.isInteger(k) || k < 0) throw new ShapeError(`top_k: k must be a non-negative integer, got ${k}.`);
    if (typeof n === "number" && k > n) {
      throw new ShapeError(`top_k: k = ${k} is larger than the last axis of the operand ${x!.str} (size ${n}).`, `Use k <= ${n}.`);
    }
    const shape = [...x!.shape.slice(0, -1), k];
    return [aval(shape, x!.dtype, x!.weakType), aval(shape, "int32")];
  },
});
