// Shape-changing primitives that only re-index their operand (views), plus the ones that
// build new index spaces (iota, concatenate).

import { aval } from "../ir/aval.js";
import { DTypeError, ShapeError } from "../errors.js";
import type { DType } from "../dtype.js";
import { shapeTuple, sizeOf, sliceLength, type Shape } from "../shape.js";
import { dimAdd, dimText, isOne, sameDim, type Dim } from "../symbolic.js";
import { definePrimitive } from "./primitive.js";

/** Whether broadcasting `from` into `to` repeats elements (a new or stretched axis not of size 1). */
function broadcastExpands(from: Shape, to: Shape, dims: readonly number[]): boolean {
  return to.some((d, i) => {
    const src = dims.indexOf(i);
    return !isOne(d) && (src < 0 || isOne(from[src]!));
  });
}

export const broadcastInDim = definePrimitive<{ shape: Shape; broadcast_dimensions: readonly number[] }>({
  name: "broadcast_in_dim",
  kind: "view",
  view: ({ broadcast_dimensions: dims }, inShape, outShape) =>
    ({ reindex: (v) => v.broadcastInDim(outShape, dims), expands: broadcastExpands(inShape, outShape, dims) }),
  abstractEval([x], { shape, broadcast_dimensions: dims }) {
    const ok = dims.length === x!.ndim &&
      dims.every((d, i) => d >= 0 && d < shape.length && (i === 0 || d > dims[i - 1]!) &&
        (isOne(x!.shape[i]!) || sameDim(x!.shape[i]!, shape[d]!)));
    if (!ok) {
      throw new ShapeError(
        `broadcast_in_dim cannot broadcast operand of shape ${shapeTuple(x!.shape)} to ${shapeTuple(shape)} ` +
          `with broadcast_dimensions ${shapeTuple(dims)}.`,
        "Each operand axis must map, in increasing order, to an output axis of the same size or come from size 1.",
      );
    }
    return [aval(shape, x!.dtype, x!.weakType)];
  },
});

export const reshape = definePrimitive<{ new_sizes: Shape }>({
  name: "reshape",
  kind: "view",
  view: (_params, _inShape, outShape) => ({ reindex: (v) => v.reshape(outShape), expands: false }),
  abstractEval([x], { new_sizes }) {
    if (!sameDim(sizeOf(new_sizes), x!.size)) {
      throw new ShapeError(
        `reshape cannot reshape array of shape ${shapeTuple(x!.shape)} (size ${dimText(x!.size)}) into shape ${shapeTuple(new_sizes)} (size ${dimText(sizeOf(new_sizes))}).`,
        "The new shape must have the same number of elements; use -1 for one inferred size.",
      );
    }
    return [aval(new_sizes, x!.dtype, x!.weakType)];
  },
});

export const transpose = definePrimitive<{ permutation: readonly number[] }>({
  name: "transpose",
  kind: "view",
  view: ({ permutation }) => ({ reindex: (v) => v.transpose(permutation), expands: false }),
  abstractEval([x], { permutation }) {
    const n = x!.ndim;
    const valid = permutation.length === n && new Set(permutation).size === n && permutation.every((p) => p >= 0 && p < n);
    if (!valid) {
      throw new ShapeError(`transpose permutation ${shapeTuple(permutation)} is not a permutation of the axes of shape ${shapeTuple(x!.shape)}.`,
        `Give each of the ${n} axes exactly once.`);
    }
    return [aval(permutation.map((p) => x!.shape[p]!), x!.dtype, x!.weakType)];
  },
});

export const squeeze = definePrimitive<{ dimensions: readonly number[] }>({
  name: "squeeze",
  kind: "view",
  view: ({ dimensions }) => ({ reindex: (v) => v.squeeze(dimensions), expands: false }),
  abstractEval([x], { dimensions }) {
    for (const d of dimensions) {
      if (!sameDim(x!.shape[d]!, 1)) {
        throw new ShapeError(`squeeze cannot remove axis ${d} of shape ${shapeTuple(x!.shape)}: its size is not 1.`,
          "Only size-1 axes can be squeezed.");
      }
    }
    return [aval(x!.shape.filter((_, i) => !dimensions.includes(i)), x!.dtype, x!.weakType)];
  },
});

export const slice = definePrimitive<{ start_indices: readonly Dim[]; limit_indices: readonly Dim[]; strides: readonly number[] | null }>({
  name: "slice",
  kind: "view",
  view: ({ start_indices, limit_indices, strides }) =>
    ({ reindex: (v) => v.slice(start_indices, limit_indices, strides), expands: false }),
  abstractEval([x], { start_indices: start, limit_indices: limit, strides }) {
    const shape = x!.shape.map((size, i) => sliceLength(start[i]!, limit[i]!, strides ? strides[i]! : 1, size, () =>
      new ShapeError(
        `slice indices start=${shapeTuple(start)} limit=${shapeTuple(limit)} are out of bounds for shape ${shapeTuple(x!.shape)}.`,
        "Need 0 <= start <= limit <= size and stride >= 1 on every axis.",
      )));
    return [aval(shape, x!.dtype, x!.weakType)];
  },
});

export const iota = definePrimitive<{ dtype: DType; shape: Shape; dimension: number }>({
  name: "iota",
  kind: "elementwise",
  abstractEval(_inputs, { dtype, shape, dimension }) {
    if (dimension < 0 || dimension >= shape.length) throw new ShapeError(`iota dimension ${dimension} out of range for shape ${shapeTuple(shape)}.`);
    if (dtype === "bool") throw new DTypeError("iota does not produce bool arrays.", "Use int32 or float32.");
    return [aval(shape, dtype)];
  },
});

export const concatenate = definePrimitive<{ dimension: number }>({
  name: "concatenate",
  kind: "other",
  abstractEval(inputs, { dimension }) {
    const first = inputs[0]!;
    let total: Dim = 0;
    for (const a of inputs) {
      const sameOther = a.ndim === first.ndim && a.shape.every((d, i) => i === dimension || sameDim(d, first.shape[i]!));
      if (!sameOther) {
        throw new ShapeError(
          `concatenate requires arrays of the same rank and equal sizes except on axis ${dimension}, got ${inputs.map((i) => shapeTuple(i.shape)).join(", ")}.`,
          "Reshape or broadcast the operands so all other axes agree.",
        );
      }
      if (a.dtype !== first.dtype) throw new DTypeError(`concatenate requires equal dtypes, got ${inputs.map((i) => i.dtype).join(", ")}.`);
      total = dimAdd(total, a.shape[dimension]!);
    }
    const shape = first.shape.slice();
    shape[dimension] = total;
    return [aval(shape, first.dtype, inputs.every((a) => a.weakType))];
  },
});
