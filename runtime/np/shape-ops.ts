// Shape manipulation and basic indexing. All of these are views in the IR: the fusion pass
// re-indexes reads through them instead of copying.

import type { ArrayLike, Axis, IndexEntry, NDArray } from "../array/ndarray.js";
import { isDType, type DType } from "../dtype.js";
import { ArgumentError, ShapeError } from "../errors.js";
import * as p from "../primitives/index.js";
import { normalizeAxes, normalizeAxis, sameShape, shapesEqual, shapeTuple, sizeOf, sliceLength, type Shape } from "../shape.js";
import { InconclusiveDimensionError, SymDim, dimDivExact, dimText, isOne, knownEqual, type Dim } from "../symbolic.js";
import { bind1 } from "../trace/core.js";
import { checkSize } from "../array/allocation.js";
import { asNDArray, avalOf, broadcastTo as broadcastOperand, convert, promote, toOperand, type Operand } from "./operands.js";

const asArray = (op: string, x: ArrayLike): Operand => toOperand(op, x);

function checkShapeArg(op: string, shape: unknown): asserts shape is Shape {
  if (!Array.isArray(shape) || !shape.every((d) => (typeof d === "number" && Number.isInteger(d)) || d instanceof SymDim)) {
    throw new ArgumentError(`np.${op}: the shape must be an array of integers, got ${String(shape)}.`,
      "Shapes are static: use literal sizes or x.shape values, never traced arrays.");
  }
  checkSize(`np.${op}`, shape);
}

/** Reshape; one size may be -1 (inferred). */
export function reshape(x: ArrayLike, shape: Shape | number): NDArray {
  const a = asArray("reshape", x);
  const av = avalOf(a);
  const target = typeof shape === "number" ? [shape] : shape;
  checkShapeArg("reshape", target);
  const unknown = target.filter((d) => d === -1).length;
  if (unknown > 1 || target.some((d) => typeof d === "number" && d < -1)) {
    throw new ShapeError(`np.reshape: invalid shape ${shapeTuple(target)}.`, "Sizes are non-negative; at most one may be -1.");
  }
  let resolved: Dim[] = target.slice();
  if (unknown === 1) {
    const known = sizeOf(target.filter((d) => d !== -1));
    const inferred = known === 0 ? null : dimDivExact(av.size, known);
    if (inferred === null) {
      throw new ShapeError(`np.reshape: cannot reshape array of size ${dimText(av.size)} (shape ${shapeTuple(av.shape)}) into shape ${shapeTuple(target)}.`,
        "The product of the known sizes must divide the array's size.");
    }
    resolved = target.map((d) => (d === -1 ? inferred : d));
  }
  if (shapesEqual(resolved, av.shape)) return asNDArray(a);
  return bind1(p.reshape, [a], { new_sizes: resolved });
}

export function ravel(x: ArrayLike): NDArray {
  return reshape(x, [-1]);
}
export const flatten = ravel;

/** Permutes axes; default reverses them. */
export function transpose(x: ArrayLike, axes?: readonly number[]): NDArray {
  const a = asArray("transpose", x);
  const n = avalOf(a).ndim;
  const perm = axes === undefined || axes === null ? Array.from({ length: n }, (_, i) => n - 1 - i) : transposeAxes(axes, n, avalOf(a).shape);
  if (perm.every((v, i) => v === i)) return asNDArray(a);
  return bind1(p.transpose, [a], { permutation: perm });
}

/** `axes` must be a permutation of 0..rank-1 (negative axes count from the end), as in NumPy. */
function transposeAxes(axes: unknown, rank: number, shape: Shape): number[] {
  const refuse = (why: string) => new ShapeError(
    `np.transpose: axes ${Array.isArray(axes) ? `[${axes.map(String).join(", ")}]` : String(axes)} ${why} for an array of rank ${rank} (shape ${shapeTuple(shape)}).`,
    `Pass each of the ${rank} axes once (a permutation of [${Array.from({ length: rank }, (_, i) => i).join(", ")}]), or no axes to reverse them.`,
  );
  if (!Array.isArray(axes)) throw refuse("is not a list of axes");
  if (axes.length !== rank) throw refuse(`lists ${axes.length} ax${axes.length === 1 ? "is" : "es"}, not ${rank},`);
  const perm = axes.map((ax) => {
    if (typeof ax !== "number" || !Number.isInteger(ax) || ax < -rank || ax >= rank) throw refuse(`has ${String(ax)}, which is not an axis`);
    return ax < 0 ? ax + rank : ax;
  });
  if (new Set(perm).size !== rank) throw refuse("repeats an axis");
  return perm;
}

export function swapaxes(x: ArrayLike, a1: number, a2: number): NDArray {
  const n = avalOf(asArray("swapaxes", x)).ndim;
  const perm = Array.from({ length: n }, (_, i) => i);
  const i = normalizeAxis("np.swapaxes", a1, n), j = normalizeAxis("np.swapaxes", a2, n);
  [perm[i], perm[j]] = [perm[j]!, perm[i]!];
  return transpose(x, perm);
}

export function broadcastTo(x: ArrayLike, shape: Shape): NDArray {
  checkShapeArg("broadcastTo", shape);
  return asNDArray(broadcastOperand("broadcastTo", asArray("broadcastTo", x), shape));
}

/** Inserts size-1 axes at `axis` (positions in the result). */
export function expandDims(x: ArrayLike, axis: number | readonly number[]): NDArray {
  const a = asArray("expandDims", x);
  const av = avalOf(a);
  const list = typeof axis === "number" ? [axis] : axis;
  const rank = av.ndim + list.length;
  const axes = normalizeAxes("np.expandDims", list, rank);
  const shape: Dim[] = [];
  let src = 0;
  for (let i = 0; i < rank; i++) shape.push(axes.includes(i) ? 1 : av.shape[src++]!);
  return bind1(p.reshape, [a], { new_sizes: shape });
}

/** Removes size-1 axes (all of them, or those in `axis`). */
export function squeeze(x: ArrayLike, axis?: Axis): NDArray {
  const a = asArray("squeeze", x);
  const av = avalOf(a);
  const dims = axis === null || axis === undefined
    ? av.shape.map((d, i) => (isOne(d) ? i : -1)).filter((i) => i >= 0)
    : normalizeAxes("np.squeeze", axis, av.ndim);
  if (dims.length === 0) return asNDArray(a);
  return bind1(p.squeeze, [a], { dimensions: dims });
}

export function concatenate(arrays: readonly ArrayLike[], axis = 0): NDArray {
  if (arrays.length === 0) throw new ArgumentError("np.concatenate needs at least one array.");
  const xs = promote(arrays.map((x) => asArray("concatenate", x)));
  const rank = avalOf(xs[0]!).ndim;
  if (rank === 0) throw new ShapeError("np.concatenate: zero-dimensional arrays cannot be concatenated.", "Use np.stack, or reshape them to 1-D.");
  const ax = normalizeAxis("np.concatenate", axis, rank);
  if (xs.length === 1) return asNDArray(xs[0]!);
  return bind1(p.concatenate, xs, { dimension: ax });
}

export function stack(arrays: readonly ArrayLike[], axis = 0): NDArray {
  if (arrays.length === 0) throw new ArgumentError("np.stack needs at least one array.");
  const xs = arrays.map((x) => asArray("stack", x));
  const shape = avalOf(xs[0]!).shape;
  for (const x of xs) {
    if (!sameShape(avalOf(x).shape, shape)) {
      throw new ShapeError(`np.stack: all input arrays must have the same shape, got ${xs.map((x) => shapeTuple(avalOf(x).shape)).join(", ")}.`);
    }
  }
  const ax = normalizeAxis("np.stack", axis, shape.length + 1);
  return concatenate(xs.map((x) => expandDims(x as ArrayLike, ax)), ax);
}

export function astype(x: ArrayLike, dtype: DType): NDArray {
  if (!isDType(dtype)) throw new ArgumentError(`astype: unknown dtype ${JSON.stringify(dtype)}.`, "Use \"float32\", \"int32\" or \"bool\".");
  const out = convert(asArray("astype", x), dtype, false);
  // As in JAX, the result is strongly typed: `convert` leaves a weak array of the same
  // dtype as it is (for promotion, the primitives' weak rule handles the flag).
  if (avalOf(out).weakType) return bind1(p.convertElementType, [out], { new_dtype: dtype, weak_type: false });
  return asNDArray(out);
}

/**
 * Basic (static) indexing, NumPy style, one entry per axis:
 * - a number picks one element and drops the axis (negative counts from the end);
 * - `[start, stop, step]` (each optional/null) keeps a range, like `start:stop:step`;
 * - `":"` keeps the whole axis, `"..."` stands for all remaining axes, `null` adds an axis.
 */
export function slice(x: ArrayLike, ...index: IndexEntry[]): NDArray {
  const a = asArray("slice", x);
  const av = avalOf(a);
  const consumed = index.filter((e) => e !== null && e !== "...").length;
  if (index.filter((e) => e === "...").length > 1) throw new ArgumentError("slice: an index can only have a single ellipsis ('...').");
  if (consumed > av.ndim) {
    throw new ShapeError(`slice: too many indices for array of shape ${shapeTuple(av.shape)}: ${consumed} were given.`);
  }
  const entries: IndexEntry[] = [];
  for (const e of index) {
    if (e === "...") for (let i = 0; i < av.ndim - consumed; i++) entries.push(":");
    else entries.push(e);
  }
  while (entries.filter((e) => e !== null).length < av.ndim) entries.push(":");

  const start: Dim[] = [], limit: Dim[] = [], strides: number[] = [];
  const outShape: Dim[] = [];
  let axis = 0;
  let strided = false;
  for (const e of entries) {
    if (e === null) { outShape.push(1); continue; }
    const axisSize = av.shape[axis]!;
    if (typeof e === "number") {
      // An index or explicit bound needs the axis size (a symbolic size stops prebuilding here).
      const size = sliceAxisSize(axisSize, axis, e);
      if (!Number.isInteger(e) || e < -size || e >= size) {
        throw new ShapeError(`slice: index ${e} is out of bounds for axis ${axis} with size ${size}.`, `Use an index in [${-size}, ${size - 1}].`);
      }
      const i = e < 0 ? e + size : e;
      start.push(i); limit.push(i + 1); strides.push(1);
    } else if (e === ":") {
      start.push(0); limit.push(axisSize); strides.push(1); outShape.push(axisSize);
    } else if (Array.isArray(e)) {
      const [s0, s1, st] = e as readonly (number | null | undefined)[];
      const step = st ?? 1;
      if (!Number.isInteger(step) || step <= 0) {
        throw new ArgumentError(`slice: step ${step} is not supported; steps must be positive integers.`, "Reverse with a transposed computation or index arithmetic instead.");
      }
      const given = (v: number | null | undefined) => v !== null && v !== undefined;
      if (!given(s0) && !given(s1)) {
        start.push(0); limit.push(axisSize); strides.push(step);
        outShape.push(sliceLength(0, axisSize, step, axisSize, () => new Error("internal")));
      } else {
        const size = sliceAxisSize(axisSize, axis, e);
        const clamp = (v: number | null | undefined, dflt: number) => {
          if (v === null || v === undefined) return dflt;
          if (!Number.isInteger(v)) throw new ArgumentError(`slice: bound ${v} is not an integer.`, "Slice bounds are static integers.");
          return Math.min(Math.max(v < 0 ? v + size : v, 0), size);
        };
        const lo = clamp(s0, 0), hi = Math.max(clamp(s1, size), lo);
        start.push(lo); limit.push(hi); strides.push(step);
        outShape.push(Math.ceil((hi - lo) / step));
      }
      if (step !== 1) strided = true;
    } else {
      throw new ArgumentError(`slice: unsupported index entry ${String(e)} on axis ${axis}.`,
        "Use numbers, [start, stop, step], \":\", \"...\" or null; traced indices are not supported by basic slicing.");
    }
    axis++;
  }
  let out: Operand = a;
  const whole = start.every((s, i) => s === 0 && knownEqual(limit[i]!, av.shape[i]!)) && !strided;
  if (!whole) out = bind1(p.slice, [a], { start_indices: start, limit_indices: limit, strides: strided ? strides : null });
  const current = avalOf(out).shape;
  if (!shapesEqual(current, outShape)) {
    out = bind1(p.reshape, [out], { new_sizes: outShape });
  }
  return asNDArray(out);
}

/** An axis size that a slice entry needs as a number (a symbolic one stops prebuilding, saying where). */
function sliceAxisSize(size: Dim, axis: number, entry: unknown): number {
  if (typeof size === "number") return size;
  throw new InconclusiveDimensionError(`'${dimText(size)}' of axis ${axis}, which slice(${JSON.stringify(entry)}) needs,`);
}
