// More shape operations, as composites of existing primitives (so they get autodiff, vmap
// and every backend for free): static slices and concatenations where the result is a view,
// and gathers with index arrays computed from iota (or static index arrays) where it is not
// (flip, per-element repeat, reflect/symmetric/wrap padding, a traced roll).

import { NDArray, type ArrayLike, type Axis } from "../array/ndarray.js";
import { ArgumentError, DTypeError, ShapeError } from "../errors.js";
import * as p from "../primitives/index.js";
import { normalizeAxes, normalizeAxis, shapeTuple } from "../shape.js";
import { concreteDim, type Dim } from "../symbolic.js";
import { bind1 } from "../trace/core.js";
import { Tracer } from "../trace/tracer.js";
import { array, eye, full, tri } from "./creation.js";
import { lessEqual, minimum, mod, round, subtract, where } from "./elementwise.js";
import { isFloat } from "../dtype.js";
import { cumsum } from "./stats.js";
import { arrayOf, asNDArray, avalOf, toOperand } from "./operands.js";
import { max, mean, min, sum } from "./reductions.js";
import { astype, broadcastTo, concatenate, reshape, slice, transpose } from "./shape-ops.js";

type Entry = number | ":" | readonly [number, number] | readonly [number, number, number];

/** A static axis size (a symbolic one, while prebuilding, stops with a message naming `op`). */
function dim(op: string, d: Dim): number {
  return concreteDim(d, `the size an axis of np.${op}'s operand`);
}

/** `x[..., lo:hi:step on axis, ...]` (a view). */
function sliceAxis(x: NDArray, axis: number, lo: number, hi: number, step = 1): NDArray {
  const entries: Entry[] = Array.from({ length: x.ndim }, (_, i) => (i === axis ? [lo, hi, step] as const : ":"));
  return slice(x, ...(entries as never[]));
}

function checkInt(op: string, name: string, v: unknown, min = -Infinity): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min) {
    throw new ArgumentError(`np.${op}: ${name} must be ${min === 0 ? "a non-negative " : min === 1 ? "a positive " : "an "}integer, got ${String(v)}.`,
      `${name} is static: pass a JS number${min === 0 ? " ≥ 0" : min === 1 ? " ≥ 1" : ""}.`);
  }
  return v;
}

/** A list of static integers from a JS array or a concrete (non-traced) int array. */
function staticInts(op: string, name: string, v: unknown): number[] {
  if (v instanceof NDArray) {
    if (v instanceof Tracer) {
      throw new ArgumentError(`np.${op}: ${name} is a traced array, but it decides the result's shape, which must be known when tracing.`,
        `Pass ${name} as a JS array of numbers (or a concrete array computed outside jit).`);
    }
    if (v.dtype !== "int32" && v.dtype !== "uint32" && v.dtype !== "bool") {
      throw new DTypeError(`np.${op}: ${name} must be integers, got a ${v.dtype} array.`, `Pass ${name}.astype("int32").`);
    }
    return Array.from(v.dataSync(), Number);
  }
  if (!Array.isArray(v) || !v.every((e) => typeof e === "number" && Number.isInteger(e))) {
    throw new ArgumentError(`np.${op}: ${name} must be an integer or a list of integers, got ${String(v)}.`);
  }
  return v as number[];
}

// --- split ---------------------------------------------------------------------------------

function splitAt(op: string, x: ArrayLike, sections: number | readonly number[] | NDArray, axis: number, even: boolean): NDArray[] {
  const a = arrayOf(op, x);
  if (a.ndim === 0) throw new ShapeError(`np.${op}: cannot split a 0-d array.`, "Reshape it to 1-D first.");
  const ax = normalizeAxis(`np.${op}`, axis, a.ndim);
  const n = dim(op, a.shape[ax]!);
  let bounds: number[];
  if (typeof sections === "number") {
    const k = checkInt(op, "sections", sections, 1);
    if (even && n % k !== 0) {
      throw new ShapeError(`np.split: an axis of size ${n} does not split into ${k} equal sections.`,
        "Use np.arraySplit for unequal sections, or pass the split indices.");
    }
    // NumPy's arraySplit: the first n % k sections get one more element.
    const small = Math.floor(n / k), extra = n % k;
    bounds = [];
    for (let i = 1, at = 0; i < k; i++) bounds.push((at += small + (i <= extra ? 1 : 0)));
  } else {
    bounds = staticInts(op, "indices", sections);
  }
  const out: NDArray[] = [];
  let lo = 0;
  for (const b of [...bounds, n]) {
    // NumPy's slice semantics: negative bounds count from the end, all clamp, hi < lo is empty.
    const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + n : v, 0), n);
    const start = clamp(lo), stop = Math.max(clamp(b), start);
    out.push(sliceAxis(a, ax, start, stop));
    lo = b;
  }
  return out;
}

/** Splits into `sections` equal parts, or at the given indices, along `axis`. */
export function split(x: ArrayLike, sections: number | readonly number[] | NDArray, axis = 0): NDArray[] {
  return splitAt("split", x, sections, axis, true);
}

/** As split, but a section count need not divide the axis (the first parts get one more). */
export function arraySplit(x: ArrayLike, sections: number | readonly number[] | NDArray, axis = 0): NDArray[] {
  return splitAt("arraySplit", x, sections, axis, false);
}

/** The slices of `x` along `axis` (each with that axis removed). */
export function unstack(x: ArrayLike, axis = 0): NDArray[] {
  const a = arrayOf("unstack", x);
  if (a.ndim === 0) throw new ShapeError("np.unstack: cannot unstack a 0-d array.", "Pass an array with at least one axis.");
  const ax = normalizeAxis("np.unstack", axis, a.ndim);
  const n = dim("unstack", a.shape[ax]!);
  return Array.from({ length: n }, (_, i) => slice(a, ...Array.from({ length: a.ndim }, (_, d) => (d === ax ? i : ":")) as never[]));
}

// --- axes --------------------------------------------------------------------------------

/** Moves axes `source` to positions `destination`, the others keeping their order. */
export function moveaxis(x: ArrayLike, source: number | readonly number[], destination: number | readonly number[]): NDArray {
  const a = arrayOf("moveaxis", x);
  const src = typeof source === "number" ? [source] : [...source];
  const dst = typeof destination === "number" ? [destination] : [...destination];
  if (src.length !== dst.length) {
    throw new ArgumentError(`np.moveaxis: source and destination must have the same number of axes, got ${src.length} and ${dst.length}.`);
  }
  const s = src.map((v) => normalizeAxis("np.moveaxis", v, a.ndim));
  const d = dst.map((v) => normalizeAxis("np.moveaxis", v, a.ndim));
  if (new Set(s).size !== s.length || new Set(d).size !== d.length) {
    throw new ShapeError(`np.moveaxis: repeated axis in source ${JSON.stringify(src)} or destination ${JSON.stringify(dst)}.`, "List each axis once.");
  }
  const rest = Array.from({ length: a.ndim }, (_, i) => i).filter((i) => !s.includes(i));
  const perm = new Array<number>(a.ndim).fill(-1);
  d.forEach((to, k) => (perm[to] = s[k]!));
  for (let i = 0, r = 0; i < a.ndim; i++) if (perm[i] === -1) perm[i] = rest[r++]!;
  return transpose(a, perm);
}

function atleast(op: string, x: ArrayLike, rank: 1 | 2 | 3): NDArray {
  const a = arrayOf(op, x);
  if (a.ndim >= rank) return a;
  if (rank === 1) return reshape(a, [1]);
  if (rank === 2) return reshape(a, a.ndim === 0 ? [1, 1] : [1, a.shape[0]!] as number[]);
  // NumPy's atleast_3d: (n) → (1, n, 1), (m, n) → (m, n, 1).
  return reshape(a, a.ndim === 0 ? [1, 1, 1] : a.ndim === 1 ? [1, a.shape[0]!, 1] as number[] : [...a.shape, 1] as number[]);
}

export const atleast1d = (x: ArrayLike): NDArray => atleast("atleast1d", x, 1);
export const atleast2d = (x: ArrayLike): NDArray => atleast("atleast2d", x, 2);
export const atleast3d = (x: ArrayLike): NDArray => atleast("atleast3d", x, 3);

function nonEmpty(op: string, arrays: readonly ArrayLike[]): void {
  if (!Array.isArray(arrays) || arrays.length === 0) throw new ArgumentError(`np.${op} needs a non-empty list of arrays.`, `Call np.${op}([a, b, ...]).`);
}

/** Stacks along axis 1 (axis 0 for 1-D inputs). */
export function hstack(arrays: readonly ArrayLike[]): NDArray {
  nonEmpty("hstack", arrays);
  const xs = arrays.map((x) => atleast("hstack", x, 1));
  return concatenate(xs, xs[0]!.ndim === 1 ? 0 : 1);
}

/** Stacks rows: 1-D inputs become rows (1, n), then concatenated on axis 0. */
export function vstack(arrays: readonly ArrayLike[]): NDArray {
  nonEmpty("vstack", arrays);
  return concatenate(arrays.map((x) => atleast("vstack", x, 2)), 0);
}

/** Stacks along a third axis (inputs made at least 3-D as NumPy's atleast_3d). */
export function dstack(arrays: readonly ArrayLike[]): NDArray {
  nonEmpty("dstack", arrays);
  return concatenate(arrays.map((x) => atleast("dstack", x, 3)), 2);
}

/** 1-D inputs become columns (n, 1); then concatenated on axis 1. */
export function columnStack(arrays: readonly ArrayLike[]): NDArray {
  nonEmpty("columnStack", arrays);
  return concatenate(arrays.map((x) => {
    const a = arrayOf("columnStack", x);
    return a.ndim < 2 ? reshape(a, [-1, 1]) : a;
  }), 1);
}

// --- tile / repeat -----------------------------------------------------------------------------

/** `x` repeated `reps` times along each axis (reps may have more or fewer entries than x has axes). */
export function tile(x: ArrayLike, reps: number | readonly number[]): NDArray {
  const a = arrayOf("tile", x);
  const r = typeof reps === "number" ? [reps] : [...reps];
  r.forEach((v) => checkInt("tile", "reps", v, 0));
  const rank = Math.max(a.ndim, r.length);
  const shape = [...Array(rank - a.ndim).fill(1), ...a.shape.map((d) => dim("tile", d))] as number[];
  const rr = [...Array(rank - r.length).fill(1), ...r] as number[];
  // (d0, d1, ...) → broadcast to (r0, d0, r1, d1, ...) → reshape to (r0·d0, r1·d1, ...).
  const inter = shape.flatMap((d, i) => [rr[i]!, d]);
  const b = bind1(p.broadcastInDim, [reshape(a, shape)], { shape: inter, broadcast_dimensions: shape.map((_, i) => 2 * i + 1) });
  return reshape(b, shape.map((d, i) => d * rr[i]!));
}

export interface RepeatOptions {
  /**
   * The output length along the axis, which lets `repeats` be traced (JAX's
   * total_repeat_length): extra positions repeat the last element, excess repeats are cut.
   */
  totalRepeatLength?: number;
}

/**
 * Repeats each element `repeats` times along `axis` (the flattened array by default).
 * Per-element repeats must be static (a JS array or a concrete array): they decide the
 * shape — unless `totalRepeatLength` fixes it, and then they may be traced.
 */
export function repeat(x: ArrayLike, repeats: number | readonly number[] | NDArray, axis?: number | null, opts: RepeatOptions = {}): NDArray {
  let a = arrayOf("repeat", x);
  if (axis === null || axis === undefined) a = reshape(a, [-1]);
  const ax = normalizeAxis("np.repeat", axis ?? 0, a.ndim === 0 ? 1 : a.ndim);
  if (a.ndim === 0) a = reshape(a, [1]);
  const n = dim("repeat", a.shape[ax]!);
  if (opts.totalRepeatLength !== undefined) return repeatToLength(a, repeats, ax, n, checkInt("repeat", "totalRepeatLength", opts.totalRepeatLength, 0));
  let reps: number[];
  if (typeof repeats === "number") reps = [checkInt("repeat", "repeats", repeats, 0)];
  else if (repeats instanceof NDArray && !(repeats instanceof Tracer) && repeats.ndim === 0) reps = staticInts("repeat", "repeats", reshape(repeats, [1]));
  else reps = staticInts("repeat", "repeats", repeats);
  if (reps.some((r) => r < 0)) throw new ArgumentError(`np.repeat: repeats must be non-negative, got [${reps.join(", ")}].`);
  if (reps.length === 1) {
    const r = reps[0]!;
    const shape = a.shape.map((d) => dim("repeat", d));
    const wide = [...shape.slice(0, ax + 1), r, ...shape.slice(ax + 1)];
    const dims = shape.map((_, i) => (i <= ax ? i : i + 1));
    const b = bind1(p.broadcastInDim, [a], { shape: wide, broadcast_dimensions: dims });
    return reshape(b, shape.map((d, i) => (i === ax ? d * r : d)));
  }
  if (reps.length !== n) {
    throw new ShapeError(`np.repeat: repeats has ${reps.length} entries but axis ${ax} has size ${n}.`, "Pass one repeat count per element along the axis, or a single count.");
  }
  const index = new Int32Array(reps.reduce((s, r) => s + r, 0));
  let k = 0;
  reps.forEach((r, i) => index.fill(i, k, (k += r)));
  return gatherAxis(a, array(index), ax);
}

/**
 * Repeat with a static output length: output j reads element #{i : cumsum(repeats)[i] ≤ j}
 * (clamped to the last), counted over a [length, n] comparison, so repeats may be traced.
 */
function repeatToLength(a: NDArray, repeats: number | readonly number[] | NDArray, ax: number, n: number, length: number): NDArray {
  let r = repeats instanceof NDArray ? repeats : array(typeof repeats === "number" ? [repeats] : [...repeats], { dtype: "int32" });
  if (r.dtype !== "int32" && r.dtype !== "uint32" && r.dtype !== "bool") {
    throw new DTypeError(`np.repeat: repeats must be integers, got a ${r.dtype} array.`, "Pass repeats.astype(\"int32\").");
  }
  r = astype(r, "int32");
  if (r.ndim > 1 || (r.ndim === 1 && r.shape[0] !== n && r.shape[0] !== 1)) {
    throw new ShapeError(`np.repeat: repeats of shape ${shapeTuple(r.shape)} do not match axis ${ax} of size ${n}.`, "Pass one count per element, or a single count.");
  }
  r = reshape(r.ndim === 0 || r.shape[0] === 1 ? broadcastTo(reshape(r, [1]), [n]) : r, [n]);
  if (length === 0) return sliceAxis(a, ax, 0, 0);
  if (n === 0) throw new ShapeError(`np.repeat: cannot fill ${length} positions from the empty axis ${ax}.`, "Use totalRepeatLength: 0 for an empty input.");
  const ends = reshape(cumsum(r), [1, n]);
  const pos = bind1(p.iota, [], { dtype: "int32", shape: [length, 1], dimension: 0 });
  const index = minimum(sum(lessEqual(ends, pos), 1), n - 1);
  return gatherAxis(a, index, ax);
}

// --- flip / roll -----------------------------------------------------------------------------

/**
 * x with axis `ax` re-indexed by the 1-D int32 `index` (all entries in range by
 * construction): one gather, without np.take's negative-index wrap and fill handling.
 */
function gatherAxis(x: NDArray, index: NDArray, ax: number): NDArray {
  const out = bind1(p.gather, [x, index], { axes: [ax] });
  // gather puts the index axis first; move it back to `ax`.
  if (ax === 0) return out;
  const perm = Array.from({ length: x.ndim }, (_, i) => (i < ax ? i + 1 : i === ax ? 0 : i));
  return transpose(out, perm);
}

function iotaInt(n: number): NDArray {
  return bind1(p.iota, [], { dtype: "int32", shape: [n], dimension: 0 });
}

/** Reverses the order of elements along `axis` (all axes by default). */
export function flip(x: ArrayLike, axis?: Axis): NDArray {
  let a = arrayOf("flip", x);
  for (const ax of normalizeAxes("np.flip", axis, a.ndim)) {
    const n = dim("flip", a.shape[ax]!);
    if (n > 1) a = gatherAxis(a, subtract(n - 1, iotaInt(n)), ax); // a gather with index n-1-i
  }
  return a;
}

export const fliplr = (x: ArrayLike): NDArray => {
  const a = arrayOf("fliplr", x);
  if (a.ndim < 2) throw new ShapeError(`np.fliplr: needs an array of at least 2 dimensions, got shape ${shapeTuple(a.shape)}.`);
  return flip(a, 1);
};
export const flipud = (x: ArrayLike): NDArray => {
  const a = arrayOf("flipud", x);
  if (a.ndim < 1) throw new ShapeError("np.flipud: needs an array of at least 1 dimension, got a 0-d array.");
  return flip(a, 0);
};

function rollAxis(a: NDArray, shift: number | NDArray, ax: number): NDArray {
  const n = dim("roll", a.shape[ax]!);
  if (n === 0) return a;
  if (shift instanceof NDArray) {
    // A traced shift: out[i] = a[(i - shift) mod n], a gather.
    if (shift.ndim !== 0 || (shift.dtype !== "int32" && shift.dtype !== "uint32")) {
      throw new (shift.ndim !== 0 ? ShapeError : DTypeError)(`np.roll: an array shift must be an int32 scalar, got ${shift.dtype}[${shift.shape.join(", ")}].`,
        "Pass shift.astype(\"int32\"), or a JS number.");
    }
    return gatherAxis(a, mod(subtract(iotaInt(n), mod(astype(shift, "int32"), n)), n), ax);
  }
  const s = ((checkInt("roll", "shift", shift) % n) + n) % n;
  if (s === 0) return a;
  return concatenate([sliceAxis(a, ax, n - s, n), sliceAxis(a, ax, 0, n - s)], ax);
}

/**
 * Rolls elements by `shift` along `axis` (the flattened array by default); a list of shifts
 * pairs with a list of axes. A shift may be a traced int32 scalar (then a gather).
 */
export function roll(x: ArrayLike, shift: number | NDArray | readonly (number | NDArray)[], axis?: number | readonly number[] | null): NDArray {
  const a = arrayOf("roll", x);
  if (axis === null || axis === undefined) {
    if (Array.isArray(shift)) throw new ArgumentError("np.roll: a list of shifts needs a list of axes.", "Pass axis as well, e.g. np.roll(x, [1, 2], [0, 1]).");
    return reshape(rollAxis(reshape(a, [-1]), shift as number | NDArray, 0), a.shape as Dim[]);
  }
  const axes = (typeof axis === "number" ? [axis] : [...axis]).map((v) => normalizeAxis("np.roll", v, a.ndim));
  const shifts = Array.isArray(shift) ? [...shift] : [shift as number | NDArray];
  if (shifts.length !== axes.length && shifts.length !== 1 && axes.length !== 1) {
    throw new ArgumentError(`np.roll: ${shifts.length} shifts do not match ${axes.length} axes.`, "Pass one shift per axis (or one of either, which broadcasts).");
  }
  let out = a;
  const k = Math.max(shifts.length, axes.length);
  for (let i = 0; i < k; i++) out = rollAxis(out, shifts[shifts.length === 1 ? 0 : i]!, axes[axes.length === 1 ? 0 : i]!);
  return out;
}

// --- pad -------------------------------------------------------------------------------------

export type PadMode = "constant" | "edge" | "reflect" | "symmetric" | "wrap" | "maximum" | "minimum" | "mean" | "empty";
const PAD_MODES: readonly PadMode[] = ["constant", "edge", "reflect", "symmetric", "wrap", "maximum", "minimum", "mean", "empty"];
type IndexPadMode = "edge" | "reflect" | "symmetric" | "wrap";
export interface PadOptions {
  mode?: PadMode;
  /** The fill of mode "constant" (default 0); a scalar, possibly a traced one. */
  constantValues?: ArrayLike;
}

function padWidths(op: string, width: unknown, rank: number): [number, number][] {
  const bad = () => new ArgumentError(`np.pad: padWidth ${JSON.stringify(width)} is not a width, a [before, after] pair, or one pair per axis (${rank}).`,
    "Pass a non-negative integer, [before, after], or [[before0, after0], [before1, after1], ...].");
  const ok = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);
  let pairs: [number, number][];
  if (ok(width)) pairs = Array.from({ length: rank }, () => [width, width]);
  else if (Array.isArray(width) && width.length === 2 && width.every(ok)) pairs = Array.from({ length: rank }, () => [width[0], width[1]]);
  else if (Array.isArray(width) && width.length === 1 && ok(width[0])) pairs = Array.from({ length: rank }, () => [width[0], width[0]]);
  else if (Array.isArray(width) && width.every((w) => Array.isArray(w) && (w.length === 2 || w.length === 1) && w.every(ok))) {
    const ws = width as number[][];
    if (ws.length === 1) pairs = Array.from({ length: rank }, () => [ws[0]![0]!, ws[0]![ws[0]!.length - 1]!]);
    else if (ws.length === rank) pairs = ws.map((w) => [w[0]!, w[w.length - 1]!]);
    else throw bad();
  } else throw bad();
  if (pairs.some(([b, e]) => b < 0 || e < 0)) {
    throw new ArgumentError(`np.${op}: padWidth ${JSON.stringify(width)} has a negative width.`, "Widths are non-negative; use slicing to remove elements.");
  }
  return pairs;
}

/** The source index of padded position i (relative to the original start) for each mode. */
function padSource(mode: IndexPadMode, i: number, n: number): number {
  switch (mode) {
    case "edge": return Math.min(Math.max(i, 0), n - 1);
    case "wrap": return ((i % n) + n) % n;
    case "reflect": {
      if (n === 1) return 0;
      const m = ((i % (2 * n - 2)) + 2 * n - 2) % (2 * n - 2);
      return m < n ? m : 2 * n - 2 - m;
    }
    case "symmetric": {
      const m = ((i % (2 * n)) + 2 * n) % (2 * n);
      return m < n ? m : 2 * n - 1 - m;
    }
  }
}

/**
 * Pads with `padWidth` ([before, after] per axis, or one for all) in `mode`: "constant"
 * (`constantValues`, default 0), "edge", "reflect" (mirror without the edge), "symmetric"
 * (mirror with it), "wrap", "maximum"/"minimum"/"mean" (of the whole axis; a mean rounds
 * for integers) or "empty" (zeros here); NumPy's semantics, widths larger than the axis included.
 */
export function pad(x: ArrayLike, padWidth: number | readonly number[] | readonly (readonly number[])[], opts: PadOptions | PadMode = {}): NDArray {
  const o: PadOptions = typeof opts === "string" ? { mode: opts } : opts;
  let a = arrayOf("pad", x);
  const mode = o.mode ?? "constant";
  if (!PAD_MODES.includes(mode)) {
    throw new ArgumentError(`np.pad: mode ${JSON.stringify(mode)} is not supported.`, `Use one of ${PAD_MODES.map((m) => JSON.stringify(m)).join(", ")}.`);
  }
  if (o.constantValues !== undefined && mode !== "constant") {
    throw new ArgumentError(`np.pad: constantValues only applies to mode "constant", not ${JSON.stringify(mode)}.`);
  }
  const widths = padWidths("pad", padWidth, a.ndim);
  for (let ax = 0; ax < a.ndim; ax++) {
    const [before, after] = widths[ax]!;
    if (before === 0 && after === 0) continue;
    const n = dim("pad", a.shape[ax]!);
    if (mode === "constant" || mode === "empty") {
      const value = mode === "empty" ? 0 : o.constantValues ?? 0;
      const v = toOperand("pad", value);
      if (avalOf(v).ndim !== 0) throw new ShapeError(`np.pad: constantValues must be a scalar, got shape ${shapeTuple(avalOf(v).shape)}.`);
      // The fill converted to x's dtype (JAX: constant_values are cast to the array's dtype).
      const fill = astype(asNDArray(v), a.dtype);
      const fillOf = (w: number) => full(a.shape.map((d, i) => (i === ax ? w : d)), fill);
      const parts: NDArray[] = [];
      if (before > 0) parts.push(fillOf(before));
      parts.push(a);
      if (after > 0) parts.push(fillOf(after));
      a = concatenate(parts, ax);
      continue;
    }
    if (n === 0) {
      throw new ShapeError(`np.pad: cannot extend the empty axis ${ax} (shape ${shapeTuple(a.shape)}) in mode ${JSON.stringify(mode)}.`, "Only mode \"constant\" can pad an empty axis.");
    }
    if (mode === "maximum" || mode === "minimum" || mode === "mean") {
      // The statistic of the whole axis (as padded so far), broadcast over the pad widths.
      let stat = mode === "maximum" ? max(a, ax, { keepdims: true }) : mode === "minimum" ? min(a, ax, { keepdims: true }) : mean(a, ax, { keepdims: true });
      if (stat.dtype !== a.dtype) stat = astype(isFloat(a.dtype) ? stat : round(stat), a.dtype);
      const statOf = (w: number) => broadcastTo(stat, a.shape.map((d, i) => (i === ax ? w : d)) as Dim[]);
      a = concatenate([...(before > 0 ? [statOf(before)] : []), a, ...(after > 0 ? [statOf(after)] : [])], ax);
      continue;
    }
    const index = new Int32Array(before + n + after);
    for (let i = 0; i < index.length; i++) index[i] = padSource(mode, i - before, n);
    a = gatherAxis(a, array(index), ax);
  }
  return a;
}

// --- triangles, diagonals --------------------------------------------------------------------

function lastTwo(op: string, a: NDArray): [number, number] {
  if (a.ndim < 2) throw new ShapeError(`np.${op}: needs an array of at least 2 dimensions, got shape ${shapeTuple(a.shape)}.`, "Reshape a vector to a matrix first.");
  return [dim(op, a.shape[a.ndim - 2]!), dim(op, a.shape[a.ndim - 1]!)];
}

function triangle(op: string, x: ArrayLike, k: number, lower: boolean): NDArray {
  const a = arrayOf(op, x);
  checkInt(op, "k", k);
  const [n, m] = lastTwo(op, a);
  // np.tri's mask (column - row ≤ k); the upper triangle (column - row ≥ k) is outside tri(k - 1).
  const zero = full([], 0, { dtype: a.dtype });
  return lower ? where(tri(n, m, k, { dtype: "bool" }), a, zero) : where(tri(n, m, k - 1, { dtype: "bool" }), zero, a);
}

/** The lower triangle of (each matrix of) x: elements above the k-th diagonal set to 0. */
export const tril = (x: ArrayLike, k = 0): NDArray => triangle("tril", x, k, true);
/** The upper triangle of (each matrix of) x: elements below the k-th diagonal set to 0. */
export const triu = (x: ArrayLike, k = 0): NDArray => triangle("triu", x, k, false);

/**
 * The `offset`-th diagonal of the matrices on axes (axis1, axis2): those axes are removed
 * and the diagonal appended as the last axis (NumPy's layout). A strided slice of the
 * flattened pair of axes, so a view.
 */
export function diagonal(x: ArrayLike, offset = 0, axis1 = 0, axis2 = 1): NDArray {
  const a = arrayOf("diagonal", x);
  checkInt("diagonal", "offset", offset);
  if (a.ndim < 2) throw new ShapeError(`np.diagonal: needs an array of at least 2 dimensions, got shape ${shapeTuple(a.shape)}.`, "Use np.diag to build a matrix from a vector.");
  const i = normalizeAxis("np.diagonal", axis1, a.ndim), j = normalizeAxis("np.diagonal", axis2, a.ndim);
  if (i === j) throw new ShapeError(`np.diagonal: axis1 and axis2 must differ, both are ${i}.`);
  const moved = moveaxis(a, [i, j], [a.ndim - 2, a.ndim - 1]);
  const [n, m] = lastTwo("diagonal", moved);
  const len = Math.max(0, offset >= 0 ? Math.min(n, m - offset) : Math.min(n + offset, m));
  const lead = moved.shape.slice(0, -2) as Dim[];
  const flat = reshape(moved, [...lead, n * m]);
  if (len === 0) return sliceAxis(flat, lead.length, 0, 0);
  const start = offset >= 0 ? offset : -offset * m;
  return sliceAxis(flat, lead.length, start, start + (len - 1) * (m + 1) + 1, m + 1);
}

/** A 1-D `v` → the square matrix with v on its k-th diagonal; a 2-D `v` → its k-th diagonal. */
export function diag(v: ArrayLike, k = 0): NDArray {
  const a = arrayOf("diag", v);
  checkInt("diag", "k", k);
  if (a.ndim === 2) return diagonal(a, k);
  if (a.ndim !== 1) throw new ShapeError(`np.diag: input must be 1-D or 2-D, got shape ${shapeTuple(a.shape)}.`, "Use np.diagonal for more dimensions.");
  const len = dim("diag", a.shape[0]!);
  const n = len + Math.abs(k);
  // v padded to length n and broadcast along rows (k ≥ 0: out[i, i+k] = v[i]) or columns.
  const padded = n === len ? a : concatenate([a, full([n - len], 0, { dtype: a.dtype })], 0);
  const spread = bind1(p.broadcastInDim, [padded], { shape: [n, n], broadcast_dimensions: [k >= 0 ? 0 : 1] });
  return where(eye(n, n, k, { dtype: "bool" }), spread, full([], 0, { dtype: a.dtype }));
}

/** Sum along the `offset`-th diagonal (of the matrices on axis1, axis2). */
export function trace(x: ArrayLike, offset = 0, axis1 = 0, axis2 = 1): NDArray {
  return sum(diagonal(x, offset, axis1, axis2), -1);
}

// --- meshgrid ------------------------------------------------------------------------------------

export interface MeshgridOptions {
  /** "xy" (default, Cartesian: the first two outputs' axes swapped) or "ij" (matrix). */
  indexing?: "xy" | "ij";
}

/** Coordinate grids from 1-D coordinate arrays: `meshgrid(x, y, { indexing: "ij" })`. */
export function meshgrid(...args: (ArrayLike | MeshgridOptions)[]): NDArray[] {
  const last = args[args.length - 1];
  const opts: MeshgridOptions = last !== undefined && typeof last === "object" && !(last instanceof NDArray) ? (args.pop() as MeshgridOptions) : {};
  const indexing = opts.indexing ?? "xy";
  if (indexing !== "xy" && indexing !== "ij") throw new ArgumentError(`np.meshgrid: indexing must be "xy" or "ij", got ${JSON.stringify(indexing)}.`);
  const xs = (args as ArrayLike[]).map((x, i) => {
    const a = arrayOf("meshgrid", x);
    if (a.ndim !== 1) throw new ShapeError(`np.meshgrid: argument ${i} must be 1-D, got shape ${shapeTuple(a.shape)}.`, "Pass 1-D coordinate vectors (ravel them first).");
    return a;
  });
  const sizes = xs.map((a) => a.shape[0]!);
  const swap = indexing === "xy" && xs.length >= 2;
  const shape = swap ? [sizes[1]!, sizes[0]!, ...sizes.slice(2)] : sizes;
  return xs.map((a, i) => {
    const at = swap && i < 2 ? 1 - i : i;
    return bind1(p.broadcastInDim, [a], { shape, broadcast_dimensions: [at] });
  });
}
