// Data-dependent indexing: dynamic slices (start positions known only at run time) and
// gather/scatter through integer index arrays. Index semantics are JAX's: dynamic starts
// are clamped so the slice fits; gather indices are clamped into range; scatter updates
// whose index is out of range are dropped. (Negative indices are normalized by the `np`
// layer before they reach these primitives.)

import { aval, type ShapedArray } from "../ir/aval.js";
import { DTypeError, ShapeError } from "../errors.js";
import { sameShape, shapeTuple, type Shape } from "../shape.js";
import { sameDim } from "../symbolic.js";
import { definePrimitive } from "./primitive.js";

function checkStarts(name: string, x: ShapedArray, starts: readonly ShapedArray[]): void {
  if (starts.length !== x.ndim) {
    throw new ShapeError(`${name} needs one start index per axis of the operand ${x.str}, got ${starts.length}.`,
      "Pass a start (a number or an int32 scalar) for every axis.");
  }
  for (const s of starts) {
    if (s.ndim !== 0 || s.dtype !== "int32") {
      throw new DTypeError(`${name} start indices must be int32 scalars, got ${s.str}.`, "Convert with astype(\"int32\") and index with a scalar.");
    }
  }
}

/** `x[starts[0]:starts[0]+sizes[0], ...]`, starts clamped into [0, size - slice size]. Inputs: x, ...starts. */
export const dynamicSlice = definePrimitive<{ slice_sizes: Shape }>({
  name: "dynamic_slice",
  kind: "other",
  abstractEval([x, ...starts], { slice_sizes }) {
    checkStarts("dynamic_slice", x!, starts);
    const ok = slice_sizes.length === x!.ndim &&
      slice_sizes.every((s, d) => typeof s === "number" && Number.isInteger(s) && s >= 0 && s <= (x!.shape[d] as number));
    if (!ok) {
      throw new ShapeError(`dynamic_slice sizes ${shapeTuple(slice_sizes)} do not fit the operand ${x!.str}.`,
        "Give one static size per axis, each between 0 and that axis's size.");
    }
    return [aval(slice_sizes, x!.dtype, x!.weakType)];
  },
});

/** `x` with the block at the (clamped) starts replaced by `update`. Inputs: x, update, ...starts. */
export const dynamicUpdateSlice = definePrimitive({
  name: "dynamic_update_slice",
  kind: "other",
  abstractEval([x, update, ...starts]) {
    checkStarts("dynamic_update_slice", x!, starts);
    if (update!.ndim !== x!.ndim || !update!.shape.every((s, d) => typeof s === "number" && s <= (x!.shape[d] as number))) {
      throw new ShapeError(`dynamic_update_slice cannot place an update of shape ${shapeTuple(update!.shape)} into ${x!.str}.`,
        "The update needs the operand's rank and no axis larger than the operand's.");
    }
    if (update!.dtype !== x!.dtype) throw new DTypeError(`dynamic_update_slice needs the update's dtype (${update!.dtype}) to equal the operand's (${x!.dtype}).`);
    return [aval(x!.shape, x!.dtype, x!.weakType)];
  },
});

function checkIndexArrays(name: string, x: ShapedArray, indices: readonly ShapedArray[], axes: readonly number[]): void {
  if (indices.length === 0 || indices.length !== axes.length || new Set(axes).size !== axes.length ||
    axes.some((a) => !Number.isInteger(a) || a < 0 || a >= x.ndim)) {
    throw new ShapeError(`${name}: axes ${shapeTuple(axes)} do not name ${indices.length} distinct axes of the operand ${x.str}.`);
  }
  for (const ix of indices) {
    if (ix.dtype !== "int32") throw new DTypeError(`${name} index arrays must be int32, got ${ix.str}.`, "Convert the indices with astype(\"int32\").");
    if (!sameShape(ix.shape, indices[0]!.shape)) {
      throw new ShapeError(`${name} index arrays must share one shape, got ${indices.map((i) => shapeTuple(i.shape)).join(", ")}.`, "Broadcast them first.");
    }
  }
}

/** The operand's axes not indexed by `axes`, in order. */
export function restAxes(ndim: number, axes: readonly number[]): number[] {
  return Array.from({ length: ndim }, (_, d) => d).filter((d) => !axes.includes(d));
}

/**
 * out[b..., r...] = x[..., idx_k[b...] on axis axes[k], ..., r on the other axes], indices
 * clamped into range. Output shape: the index shape, then the operand's other axes.
 * Inputs: x, ...indices (int32, one shape).
 */
export const gather = definePrimitive<{ axes: readonly number[] }>({
  name: "gather",
  kind: "other",
  abstractEval([x, ...indices], { axes }) {
    checkIndexArrays("gather", x!, indices, axes);
    // Clamping needs a position to clamp to: an empty axis has none.
    const empty = axes.find((a) => x!.shape[a] === 0);
    if (empty !== undefined && indices[0]!.size !== 0) {
      throw new ShapeError(`gather: cannot index axis ${empty} of ${x!.str}: it is empty.`, "Index only non-empty axes (or pass no indices).");
    }
    const rest = restAxes(x!.ndim, axes).map((d) => x!.shape[d]!);
    return [aval([...indices[0]!.shape, ...rest], x!.dtype, x!.weakType)];
  },
});

export type ScatterMode = "set" | "add" | "mul" | "min" | "max";

/**
 * `x` with updates[b..., r...] combined into x[idx_k[b...] on axes[k], r on the others], in
 * row-major order of the updates (so repeated indices accumulate deterministically);
 * updates at an out-of-range index are dropped. Inputs: x, updates, ...indices.
 */
export const scatter = definePrimitive<{ axes: readonly number[]; mode: ScatterMode }>({
  name: "scatter",
  kind: "other",
  abstractEval([x, updates, ...indices], { axes, mode }) {
    checkIndexArrays("scatter", x!, indices, axes);
    const expected = [...indices[0]!.shape, ...restAxes(x!.ndim, axes).map((d) => x!.shape[d]!)];
    if (updates!.ndim !== expected.length || !updates!.shape.every((s, i) => sameDim(s, expected[i]!))) {
      throw new ShapeError(`scatter needs updates of shape ${shapeTuple(expected)}, got ${shapeTuple(updates!.shape)}.`);
    }
    if (updates!.dtype !== x!.dtype) throw new DTypeError(`scatter needs the updates' dtype (${updates!.dtype}) to equal the operand's (${x!.dtype}).`);
    if (x!.dtype === "bool" && (mode === "add" || mode === "mul")) {
      throw new DTypeError(`scatter ${mode} is not defined on bool arrays.`, "Use set, min or max, or convert to int32.");
    }
    return [aval(x!.shape, x!.dtype, x!.weakType)];
  },
});
