// Data-dependent indexing, NumPy/JAX style: traced scalar indices (dynamic slices),
// integer-array "advanced" indexing (gather), boolean masks (eager only), np.take /
// takeAlongAxis, the functional updates `x.at(...).set/add/...` (scatter) and the lax
// dynamic-slice functions.
//
// Every array index is lowered to one int32 index array per operand axis, all of the
// result's shape (broadcasts and iotas, which the fusion pass turns into index arithmetic),
// so one gather or scatter primitive covers every combination of entries.

import { NDArray, type ArrayLike, type IndexEntry, type IndexUpdater } from "../array/ndarray.js";
import { ConcreteArray } from "../array/concrete.js";
import { isFloat, type DType } from "../dtype.js";
import { ArgumentError, ConcretizationTypeError, DTypeError, ShapeError } from "../errors.js";
import { aval } from "../ir/aval.js";
import { Literal } from "../ir/jaxpr.js";
import * as p from "../primitives/index.js";
import type { ScatterMode } from "../primitives/indexing.js";
import { broadcastShapes, normalizeAxis, shapeTuple, type Shape } from "../shape.js";
import { concreteDim } from "../symbolic.js";
import { bind1 } from "../trace/core.js";
import { asNDArray, avalOf, broadcastTo, convert, toOperand, type Operand } from "./operands.js";
import { slice as basicSlice } from "./shape-ops.js";
import { array } from "./creation.js";

const int32Literal = (v: number): Operand => new Literal(v, aval([], "int32", true));
const size = (d: unknown, what: string): number => concreteDim(d as number, what);

/** An index array as int32 (integer dtypes only: a float or bool array is not an index here). */
function indexOperand(op: string, ix: NDArray, what: string): Operand {
  if (isFloat(ix.dtype) || ix.dtype === "bool") {
    throw new DTypeError(`${op}: ${what} must have an integer dtype, got ${ix.aval.str}.`,
      "Convert with astype(\"int32\"); boolean masks are only accepted as whole x.slice(...) entries.");
  }
  return convert(ix, "int32");
}

/** Negative indices count from the end: `i < 0 ? i + n : i` (elementwise, so it fuses). */
function wrapNegative(ix: Operand, n: number): Operand {
  if (ix instanceof Literal) { const v = ix.value as number; return int32Literal(v < 0 ? v + n : v); }
  return bind1(p.selectN, [bind1(p.lt, [ix, int32Literal(0)]), ix, bind1(p.add, [ix, int32Literal(n)])]);
}

// --- lax.dynamicSlice and friends ---------------------------------------------------------

function startOperand(op: string, s: number | NDArray, n: number, axis: number): Operand {
  if (typeof s === "number") {
    if (!Number.isInteger(s)) throw new ArgumentError(`${op}: start index ${s} on axis ${axis} is not an integer.`);
    return int32Literal(s < 0 ? s + n : s);
  }
  if (!(s instanceof NDArray) || s.ndim !== 0) {
    throw new ArgumentError(`${op}: start index on axis ${axis} must be a number or a scalar integer array, got ${s instanceof NDArray ? s.aval.str : String(s)}.`);
  }
  return wrapNegative(indexOperand(op, s, `the start index on axis ${axis}`), n);
}

function checkRankList(op: string, what: string, list: unknown, x: Operand): asserts list is readonly unknown[] {
  const ndim = avalOf(x).ndim;
  if (!Array.isArray(list) || list.length !== ndim) {
    throw new ShapeError(`${op}: ${what} needs one entry per axis of the operand ${avalOf(x).str}, got ${Array.isArray(list) ? list.length : String(list)}.`,
      `Pass an array of ${ndim} entries.`);
  }
}

/**
 * `x[starts[0] : starts[0] + sizes[0], ...]` with run-time starts (numbers or int32 scalars,
 * traced ones too). Starts are clamped so the slice fits, as in JAX; negative ones count
 * from the end first.
 */
export function dynamicSlice(x: ArrayLike, starts: readonly (number | NDArray)[], sizes: readonly number[]): NDArray {
  const op = "lax.dynamicSlice";
  const a = toOperand(op, x);
  checkRankList(op, "starts", starts, a);
  checkRankList(op, "sizes", sizes, a);
  const shape = avalOf(a).shape;
  const ops = starts.map((s, d) => startOperand(op, s, size(shape[d], "an axis size"), d));
  return bind1(p.dynamicSlice, [a, ...ops], { slice_sizes: sizes });
}

/** `x` with `update` written at `starts` (clamped so it fits); `x` itself is unchanged. */
export function dynamicUpdateSlice(x: ArrayLike, update: ArrayLike, starts: readonly (number | NDArray)[]): NDArray {
  const op = "lax.dynamicUpdateSlice";
  const a = toOperand(op, x);
  checkRankList(op, "starts", starts, a);
  const shape = avalOf(a).shape;
  const u = convert(toOperand(op, update), avalOf(a).dtype, avalOf(a).weakType);
  if (avalOf(u).ndim !== shape.length) {
    throw new ShapeError(`${op}: the update ${avalOf(u).str} must have the operand's rank (${avalOf(a).str}).`, "Reshape the update, e.g. with expandDims.");
  }
  const ops = starts.map((s, d) => startOperand(op, s, size(shape[d], "an axis size"), d));
  return bind1(p.dynamicUpdateSlice, [a, asNDArray(u), ...ops]);
}

/** The slice at index `i` of `axis` (clamped into range); keeps the axis unless `keepdims: false`. */
export function dynamicIndexInDim(x: ArrayLike, i: number | NDArray, axis = 0, opts: { keepdims?: boolean } = {}): NDArray {
  const op = "lax.dynamicIndexInDim";
  const a = toOperand(op, x);
  const shape = avalOf(a).shape;
  const ax = normalizeAxis(op, axis, shape.length);
  const starts = shape.map((_, d) => (d === ax ? i : 0));
  const sizes = shape.map((s, d) => (d === ax ? 1 : size(s, "an axis size")));
  const out = dynamicSlice(a as NDArray, starts, sizes);
  if (opts.keepdims ?? true) return out;
  return asNDArray(bind1(p.reshape, [out], { new_sizes: shape.filter((_, d) => d !== ax) }));
}

// --- index planning -------------------------------------------------------------------------

type Entry =
  | { readonly kind: "new" }
  | { readonly kind: "range"; readonly start: number; readonly step: number; readonly length: number }
  | { readonly kind: "int"; readonly value: number }
  | { readonly kind: "array"; readonly index: Operand };

const isArrayEntry = (e: unknown): e is NDArray => e instanceof NDArray;

/** Boolean masks become their nonzero coordinates (NumPy), which needs concrete values. */
function expandMasks(op: string, shape: Shape, index: readonly IndexEntry[]): IndexEntry[] {
  const out: IndexEntry[] = [];
  let axis = 0;
  for (const e of index) {
    if (isArrayEntry(e) && e.dtype === "bool") {
      if (!(e instanceof ConcreteArray)) {
        throw new ConcretizationTypeError(
          `${op}: a boolean mask index (${e.aval.str}) on a traced array: the result's shape would depend on the mask's values, which jit cannot compile.`,
          "Use np.where(mask, x, fill) to keep the shape, or index with the mask outside jit.");
      }
      const ms = e.shape;
      const axes = shape.slice(axis, axis + ms.length);
      if (ms.length === 0 || axes.length !== ms.length || ms.some((s, i) => s !== axes[i])) {
        throw new ShapeError(`${op}: boolean mask of shape ${shapeTuple(ms)} does not match the indexed axes ${shapeTuple(axes)} (from axis ${axis}) of ${shapeTuple(shape)}.`,
          "A mask must have the shape of the axes it selects.");
      }
      const data = e.dataSync();
      const coords: number[][] = ms.map(() => []);
      for (let flat = 0; flat < data.length; flat++) {
        if (!data[flat]) continue;
        let rest = flat;
        for (let d = ms.length - 1; d >= 0; d--) {
          coords[d]!.push(rest % ms[d]!);
          rest = Math.floor(rest / ms[d]!);
        }
      }
      for (const c of coords) out.push(array(c, { dtype: "int32" }));
      axis += ms.length;
    } else {
      out.push(e);
      if (e !== null && e !== "...") axis++;
    }
  }
  return out;
}

/** Parses an index into one entry per operand axis (plus new axes), ellipsis expanded. */
function parseIndex(op: string, shape: Shape, rawIndex: readonly IndexEntry[], checkBounds: boolean): Entry[] {
  const index = expandMasks(op, shape, rawIndex);
  if (index.filter((e) => e === "...").length > 1) throw new ArgumentError(`${op}: an index can only have a single ellipsis ('...').`);
  const consumed = index.filter((e) => e !== null && e !== "...").length;
  if (consumed > shape.length) throw new ShapeError(`${op}: too many indices for array of shape ${shapeTuple(shape)}: ${consumed} were given.`);
  const filled: IndexEntry[] = [];
  for (const e of index) {
    if (e === "...") for (let i = 0; i < shape.length - consumed; i++) filled.push(":");
    else filled.push(e);
  }
  while (filled.filter((e) => e !== null).length < shape.length) filled.push(":");
  let axis = 0;
  return filled.map((e): Entry => {
    if (e === null) return { kind: "new" };
    const n = size(shape[axis], `the size of axis ${axis}`);
    const d = axis++;
    if (typeof e === "number") {
      if (!Number.isInteger(e)) throw new ArgumentError(`${op}: index ${e} on axis ${d} is not an integer.`);
      if (checkBounds && (e < -n || e >= n)) throw new ShapeError(`${op}: index ${e} is out of bounds for axis ${d} with size ${n}.`, `Use an index in [${-n}, ${n - 1}].`);
      return { kind: "int", value: e < 0 ? e + n : e };
    }
    if (e === ":") return { kind: "range", start: 0, step: 1, length: n };
    if (isArrayEntry(e)) return { kind: "array", index: wrapNegative(indexOperand(op, e, `the index array on axis ${d}`), n) };
    if (Array.isArray(e)) {
      const [s0, s1, st] = e as readonly (number | null | undefined)[];
      const step = st ?? 1;
      if (!Number.isInteger(step) || step <= 0) throw new ArgumentError(`${op}: step ${step} is not supported; steps must be positive integers.`);
      const bound = (v: number | null | undefined, dflt: number) => {
        if (v === null || v === undefined) return dflt;
        if (!Number.isInteger(v)) throw new ArgumentError(`${op}: bound ${v} is not an integer.`, "Slice bounds are static integers.");
        return Math.min(Math.max(v < 0 ? v + n : v, 0), n);
      };
      const lo = bound(s0, 0), hi = Math.max(bound(s1, n), lo);
      return { kind: "range", start: lo, step, length: Math.ceil((hi - lo) / step) };
    }
    throw new ArgumentError(`${op}: unsupported index entry ${String(e)} on axis ${d}.`,
      "Use numbers, int32 arrays (traced scalars too), bool masks (outside jit), [start, stop, step], \":\", \"...\" or null.");
  });
}

/**
 * The result shape of an index and, per operand axis, an int32 index array of that shape
 * (NumPy's rules: advanced indices broadcast together; their axes replace the indexed ones
 * if they are adjacent in the index, else they go first). Ints count as advanced indices.
 */
function indexGrid(op: string, entries: readonly Entry[]): { shape: number[]; perAxis: Operand[] } {
  const advanced = entries.map((e, i) => (e.kind === "int" || e.kind === "array" ? i : -1)).filter((i) => i >= 0);
  const bShape = broadcastShapes(op, entries.flatMap((e) => (e.kind === "array" ? [avalOf(e.index).shape] : []))) as number[];
  const adjacent = advanced.every((i, k) => k === 0 || i === advanced[k - 1]! + 1);
  const shape: number[] = [];
  const basicAxis: number[] = [];
  let bAt = adjacent ? -1 : 0;
  entries.forEach((e, i) => {
    if (bAt < 0 && i === advanced[0]) bAt = shape.length;
    if (e.kind === "range" || e.kind === "new") { basicAxis[i] = shape.length; shape.push(e.kind === "range" ? e.length : 1); }
  });
  if (bAt < 0) bAt = shape.length;
  shape.splice(bAt, 0, ...bShape);
  // Basic axes at or after the advanced block move right by its rank.
  const outAxis = (i: number) => (basicAxis[i]! >= bAt && bShape.length ? basicAxis[i]! + bShape.length : basicAxis[i]!);
  const perAxis: Operand[] = [];
  entries.forEach((e, i) => {
    if (e.kind === "new") return;
    if (e.kind === "range") {
      let ix: Operand = bind1(p.iota, [], { dtype: "int32", shape, dimension: outAxis(i) });
      if (e.step !== 1) ix = bind1(p.mul, [ix, int32Literal(e.step)]);
      if (e.start !== 0) ix = bind1(p.add, [ix, int32Literal(e.start)]);
      perAxis.push(ix);
      return;
    }
    const ix = e.kind === "int" ? int32Literal(e.value) : e.index;
    const r = avalOf(ix).ndim;
    const at = bAt + bShape.length - r;
    perAxis.push(bind1(p.broadcastInDim, [asNDArray(ix)], { shape, broadcast_dimensions: Array.from({ length: r }, (_, k) => at + k) }));
  });
  return { shape, perAxis };
}

/** The advanced entries' index arrays (ints as 0-d ones), broadcast together (NumPy). */
function advancedIndexArrays(op: string, entries: readonly Entry[], advanced: readonly number[]): NDArray[] {
  const bShape = broadcastShapes(op, entries.flatMap((e) => (e.kind === "array" ? [avalOf(e.index).shape] : [])));
  return advanced.map((i) => {
    const e = entries[i] as Extract<Entry, { kind: "int" | "array" }>;
    const ix = e.kind === "int" ? int32Literal(e.value) : e.index;
    const r = avalOf(ix).ndim;
    return bind1(p.broadcastInDim, [asNDArray(ix)], { shape: bShape, broadcast_dimensions: Array.from({ length: r }, (_, k) => bShape.length - r + k) });
  });
}

/** Whether an index needs the gather path (an array entry); masks count. */
const hasArrays = (index: readonly IndexEntry[]) => index.some((e) => isArrayEntry(e) && e.ndim > 0 || (isArrayEntry(e) && e.dtype === "bool"));

/**
 * NumPy indexing: static entries as in basic slicing (views), traced int32 scalars as
 * dynamic indices (clamped into range, as JAX), int32 arrays as advanced indexing
 * (a gather; out-of-range indices clamp), bool masks eagerly.
 */
export function slice(x: ArrayLike, ...index: IndexEntry[]): NDArray {
  const op = "slice";
  if (!index.some(isArrayEntry)) return basicSlice(x, ...index);
  const a = toOperand(op, x);
  const shape = avalOf(a).shape;
  if (!hasArrays(index)) return dynamicScalarSlice(a, index);
  const entries = parseIndex(op, shape, index, true);
  // Static ranges and new axes first, as views; the advanced entries keep their axes.
  const isAdvanced = (e: Entry) => e.kind === "int" || e.kind === "array";
  const base = basicSlice(a as NDArray, ...entries.map((e): IndexEntry =>
    e.kind === "new" ? null : e.kind === "range" ? [e.start, e.start + e.step * e.length, e.step] : ":"));
  const advanced = entries.map((e, i) => (isAdvanced(e) ? i : -1)).filter((i) => i >= 0);
  const indices = advancedIndexArrays(op, entries, advanced);
  const bShape = indices[0]!.aval.shape;
  let out = bind1(p.gather, [base, ...indices], { axes: advanced });
  // gather puts the broadcast index axes first; NumPy puts them where the advanced entries
  // were if those are adjacent in the index.
  const adjacent = advanced.every((i, k) => k === 0 || i === advanced[k - 1]! + 1);
  const at = adjacent ? advanced[0]! : 0;
  const nb = bShape.length, rest = out.ndim - nb;
  if (at > 0 && nb > 0) {
    const perm = [...Array.from({ length: at }, (_, j) => nb + j), ...Array.from({ length: nb }, (_, j) => j),
      ...Array.from({ length: rest - at }, (_, j) => nb + at + j)];
    out = bind1(p.transpose, [out], { permutation: perm });
  }
  return out;
}

/** Static entries through basic slicing, then one dynamic_slice over the scalar-indexed axes. */
function dynamicScalarSlice(a: Operand, index: readonly IndexEntry[]): NDArray {
  const op = "slice";
  const shape = avalOf(a).shape;
  if (index.filter((e) => e === "...").length > 1) throw new ArgumentError(`${op}: an index can only have a single ellipsis ('...').`);
  const consumed = index.filter((e) => e !== null && e !== "...").length;
  const expanded: IndexEntry[] = [];
  for (const e of index) {
    if (e === "...") for (let k = 0; k < shape.length - consumed; k++) expanded.push(":");
    else expanded.push(e);
  }
  // Each scalar entry keeps its axis in the static slice; remember that axis's position.
  const scalars: { out: number; index: NDArray }[] = [];
  let outAxis = 0;
  for (const e of expanded) {
    if (isArrayEntry(e)) scalars.push({ out: outAxis, index: e });
    if (e === null || e === ":" || Array.isArray(e) || isArrayEntry(e)) outAxis++;
  }
  const base = basicSlice(a as NDArray, ...expanded.map((e) => (isArrayEntry(e) ? ":" : e)));
  const bshape = base.aval.shape;
  const starts: (number | NDArray)[] = bshape.map(() => 0);
  const sizes = bshape.map((s) => size(s, "an axis size"));
  for (const s of scalars) {
    starts[s.out] = s.index;
    sizes[s.out] = 1;
  }
  const out = dynamicSlice(base, starts, sizes);
  const keep = bshape.filter((_, d) => !scalars.some((s) => s.out === d));
  return asNDArray(bind1(p.reshape, [out], { new_sizes: keep }));
}

// --- take / takeAlongAxis -------------------------------------------------------------------

export interface TakeOptions {
  axis?: number | null;
  /** "clip" (default): out-of-range indices clamp; "fill": they give NaN (floats), INT32_MIN (int32) or true (bool). */
  mode?: "clip" | "fill";
}

function fillValue(dtype: DType): number | boolean {
  return isFloat(dtype) ? NaN : dtype === "bool" ? true : -2147483648;
}

/** Where the (negative-wrapped) index is outside [0, n): for mode "fill". */
function outOfRange(ix: Operand, n: number): Operand {
  return bind1(p.or, [bind1(p.lt, [ix, int32Literal(0)]), bind1(p.ge, [ix, int32Literal(n)])]);
}

function applyFill(out: NDArray, bad: Operand): NDArray {
  const fill = new Literal(+fillValue(out.dtype), aval([], out.dtype, false));
  return bind1(p.selectN, [bad, out, fill]);
}

/** Elements of `x` at `indices` along `axis` (flattened `x` if axis is null/undefined). */
export function take(x: ArrayLike, indices: ArrayLike, opts: TakeOptions = {}): NDArray {
  const op = "np.take";
  const mode = opts.mode ?? "clip";
  if (mode !== "clip" && mode !== "fill") throw new ArgumentError(`${op}: mode ${JSON.stringify(mode)} is not supported.`, "Use \"clip\" or \"fill\".");
  let a = toOperand(op, x);
  if (opts.axis === null || opts.axis === undefined) {
    a = bind1(p.reshape, [a], { new_sizes: [avalOf(a).size] });
  }
  const shape = avalOf(a).shape;
  if (shape.length === 0) throw new ShapeError(`${op}: cannot take from a 0-d array.`);
  const axis = normalizeAxis(op, opts.axis ?? 0, shape.length);
  const n = size(shape[axis], "an axis size");
  const ix = wrapNegative(indexOperand(op, asNDArray(toOperand(op, indices)), "indices"), n);
  const nb = avalOf(ix).ndim;
  let out = bind1(p.gather, [a, asNDArray(ix)], { axes: [axis] });
  // gather puts the index axes first; move them to `axis`.
  const rest = shape.length - 1;
  const perm = [...Array.from({ length: axis }, (_, j) => nb + j), ...Array.from({ length: nb }, (_, j) => j),
    ...Array.from({ length: rest - axis }, (_, j) => nb + axis + j)];
  if (perm.some((v, i) => v !== i)) out = bind1(p.transpose, [out], { permutation: perm });
  if (mode === "fill") {
    const bad = outOfRange(ix, n);
    const badOut = bind1(p.broadcastInDim, [asNDArray(bad)], { shape: out.aval.shape, broadcast_dimensions: Array.from({ length: nb }, (_, j) => axis + j) });
    out = applyFill(out, badOut);
  }
  return out;
}

/** `out[..., j, ...] = x[..., indices[..., j, ...], ...]` along `axis`; indices broadcast with x elsewhere. */
export function takeAlongAxis(x: ArrayLike, indices: ArrayLike, axis: number): NDArray {
  const op = "np.takeAlongAxis";
  const a = toOperand(op, x);
  const shape = avalOf(a).shape;
  const idx = asNDArray(toOperand(op, indices));
  if (idx.ndim !== shape.length) {
    throw new ShapeError(`${op}: indices ${idx.aval.str} must have the rank of x ${avalOf(a).str}.`, "Add axes with expandDims so the ranks match.");
  }
  const ax = normalizeAxis(op, axis, shape.length);
  const n = size(shape[ax], "an axis size");
  const ix = wrapNegative(indexOperand(op, idx, "indices"), n);
  const outShape = broadcastShapes(op, [shape.map((s, d) => (d === ax ? 1 : s)), idx.shape]) as number[];
  const perAxis = shape.map((_, d) => (d === ax ? broadcastTo(op, ix, outShape) : bind1(p.iota, [], { dtype: "int32", shape: outShape, dimension: d })));
  return bind1(p.gather, [a, ...perAxis], { axes: shape.map((_, d) => d) });
}

// --- x.at(...) -----------------------------------------------------------------------------

function scatterUpdate(x: NDArray, index: readonly IndexEntry[], v: ArrayLike, mode: ScatterMode, method: string): NDArray {
  const op = `x.at(...).${method}`;
  const shape = x.aval.shape;
  if (shape.length === 0) throw new ShapeError(`${op}: cannot index a 0-d array.`, "Use the new value itself.");
  const entries = parseIndex(op, shape, index, false);
  const value = convert(toOperand(op, v), x.dtype, x.weakType);
  const advanced = entries.map((e, i) => (e.kind === "int" || e.kind === "array" ? i : -1)).filter((i) => i >= 0);
  const whole = (e: Entry, d: number) => e.kind === "range" && e.start === 0 && e.step === 1 && e.length === shape[d];
  if (advanced.length && entries.every((e, d) => advanced.includes(d) || whole(e, d))) {
    // Only whole axes (":") beside the advanced entries: they need no index arrays, the
    // scatter runs over them as its operand's other axes, which backends may parallelize
    // (no two updates meet there).
    const indices = advancedIndexArrays(op, entries, advanced);
    const bShape = indices[0]!.aval.shape, nb = bShape.length;
    const rest = shape.filter((_, d) => !advanced.includes(d)) as number[];
    const adjacent = advanced.every((i, k) => k === 0 || i === advanced[k - 1]! + 1);
    const at = adjacent ? advanced[0]! : 0;
    // The user's update shape (NumPy's placement), then the primitive's order: index axes first.
    const userShape = [...rest.slice(0, at), ...(bShape as number[]), ...rest.slice(at)];
    let u = asNDArray(broadcastTo(op, value, userShape));
    const perm = [...Array.from({ length: nb }, (_, j) => at + j), ...Array.from({ length: at }, (_, j) => j),
      ...Array.from({ length: rest.length - at }, (_, j) => at + nb + j)];
    if (perm.some((q, i) => q !== i)) u = bind1(p.transpose, [u], { permutation: perm });
    return bind1(p.scatter, [x, u, ...indices], { axes: advanced, mode });
  }
  const { shape: outShape, perAxis } = indexGrid(op, entries);
  const u = broadcastTo(op, value, outShape);
  return bind1(p.scatter, [x, asNDArray(u), ...perAxis], { axes: shape.map((_, d) => d), mode });
}

/** `x.at(...index)`: JAX's functional updates; each returns a new array. */
export class IndexUpdateRef implements IndexUpdater {
  constructor(private readonly x: NDArray, private readonly index: readonly IndexEntry[]) {}
  /** `x.slice(...index)`. */
  get(): NDArray { return slice(this.x, ...this.index); }
  /** A copy of x with the indexed elements set to v (the last update wins for repeated indices). */
  set(v: ArrayLike): NDArray { return scatterUpdate(this.x, this.index, v, "set", "set"); }
  /** Adds v; repeated indices accumulate. */
  add(v: ArrayLike): NDArray { return scatterUpdate(this.x, this.index, v, "add", "add"); }
  multiply(v: ArrayLike): NDArray { return scatterUpdate(this.x, this.index, v, "mul", "multiply"); }
  min(v: ArrayLike): NDArray { return scatterUpdate(this.x, this.index, v, "min", "min"); }
  max(v: ArrayLike): NDArray { return scatterUpdate(this.x, this.index, v, "max", "max"); }
}

export function indexUpdate(x: NDArray, index: readonly IndexEntry[]): IndexUpdater {
  return new IndexUpdateRef(x, index);
}
