// More np functions built from existing ones: var/std (ddof), ptp, diff, log2/log10/exp2,
// and cumsum/cumprod (plus lax.cumsum/cumprod/cummax/cummin) binding the cumulative
// primitives (primitives/cumulative.ts): a sequential loop per row on CPU and wasm, a
// log-depth scan on WebGPU.

import type { ArrayLike, Axis, NDArray, ReduceOptions } from "../array/ndarray.js";
import { isFloat, type DType } from "../dtype.js";
import * as p from "../primitives/index.js";
import type { Primitive } from "../primitives/primitive.js";
import { bind1 } from "../trace/core.js";
import { ArgumentError, ShapeError } from "../errors.js";
import { normalizeAxes, normalizeAxis, sameShape, shapeTuple } from "../shape.js";
import { full } from "./creation.js";
import { divide, exp, log, multiply, notEqual, subtract } from "./elementwise.js";
import { max, mean, min, sum } from "./reductions.js";
import { astype, broadcastTo, ravel, slice } from "./shape-ops.js";
import { arrayOf } from "./operands.js";

/** How many elements a reduction over `axes` of `a` folds into each result. */
const countOver = (a: NDArray, axes: readonly number[]): number => axes.reduce((acc, ax) => acc * (a.shape[ax] as number), 1);

export interface VarOptions extends ReduceOptions {
  /** Delta degrees of freedom: the divisor is N - ddof (NumPy's default 0). */
  ddof?: number;
}

/** Variance: sum((x - mean)²) / (N - ddof) over `axis` (all by default). */
export function var_(x: ArrayLike, axis?: Axis, opts: VarOptions = {}): NDArray {
  let a = arrayOf("var", x);
  if (!isFloat(a.dtype)) a = astype(a, "float32");
  const n = countOver(a, normalizeAxes("np.var", axis, a.ndim));
  const centered = subtract(a, mean(a, axis, { keepdims: true }));
  return divide(sum(multiply(centered, centered), axis, { keepdims: opts.keepdims }), Math.max(0, n - (opts.ddof ?? 0)));
}
export { var_ as var };

export function std(x: ArrayLike, axis?: Axis, opts: VarOptions = {}): NDArray {
  return var_(x, axis, opts).sqrt();
}

/** Peak to peak: max - min over `axis`. */
export function ptp(x: ArrayLike, axis?: Axis, opts?: ReduceOptions): NDArray {
  return subtract(max(x, axis, opts), min(x, axis, opts));
}

function axisEntries(ndim: number, axis: number, entry: [number, number]): ([number, number] | ":")[] {
  return Array.from({ length: ndim }, (_, i) => (i === axis ? entry : ":"));
}

/** n-th discrete difference along `axis` (default last). */
export function diff(x: ArrayLike, n = 1, axis = -1): NDArray {
  let a = arrayOf("diff", x);
  if (!Number.isInteger(n) || n < 0) throw new ArgumentError(`np.diff: n must be a non-negative integer, got ${n}.`);
  const ax = normalizeAxis("np.diff", axis, a.ndim);
  for (let i = 0; i < n; i++) {
    const len = a.shape[ax] as number;
    if (len === 0) break;
    const hi = slice(a, ...axisEntries(a.ndim, ax, [1, len])), lo = slice(a, ...axisEntries(a.ndim, ax, [0, len - 1]));
    a = a.dtype === "bool" ? notEqual(hi, lo) : subtract(hi, lo); // NumPy: bools differ or not
  }
  return a;
}

export const log2 = (x: ArrayLike): NDArray => multiply(log(x), Math.fround(Math.LOG2E));
export const log10 = (x: ArrayLike): NDArray => multiply(log(x), Math.fround(Math.LOG10E));
export const exp2 = (x: ArrayLike): NDArray => exp(multiply(x, Math.fround(Math.LN2)));

function cumulative(fn: string, prim: Primitive, x: ArrayLike, axis: number | null | undefined, reverse: boolean, dtype?: DType): NDArray {
  let a = arrayOf(fn, x);
  if (axis === undefined || axis === null) a = ravel(a);
  if (typeof reverse !== "boolean") throw new ArgumentError(`${fn}: reverse must be a boolean, got ${typeof reverse}.`);
  const ax = normalizeAxis(fn, axis ?? 0, a.ndim);
  const wasBool = a.dtype === "bool";
  if (dtype !== undefined) a = astype(a, dtype);
  if (a.dtype === "bool") a = astype(a, "int32"); // NumPy/JAX: bools sum as int32
  const out: NDArray = bind1(prim, [a], { axis: ax, reverse });
  // cummax/cummin of bools stay bools (the fold of 0/1 is 0/1).
  return wasBool && dtype === undefined && (prim === p.cummax || prim === p.cummin) ? astype(out, "bool") : out;
}

/** Cumulative sum along `axis` (flattened when omitted), in `dtype` if given; bool sums as int32. */
export const cumsum = (x: ArrayLike, axis?: number | null, dtype?: DType): NDArray => cumulative("np.cumsum", p.cumsum, x, axis, false, dtype);
/** Cumulative product along `axis` (flattened when omitted), in `dtype` if given; bool multiplies as int32. */
export const cumprod = (x: ArrayLike, axis?: number | null, dtype?: DType): NDArray => cumulative("np.cumprod", p.cumprod, x, axis, false, dtype);

// lax's forms (JAX's lax.cumsum etc.): an explicit axis (default 0) and `reverse`.
export const laxCumsum = (x: ArrayLike, axis = 0, reverse = false): NDArray => cumulative("lax.cumsum", p.cumsum, x, axis, reverse);
export const laxCumprod = (x: ArrayLike, axis = 0, reverse = false): NDArray => cumulative("lax.cumprod", p.cumprod, x, axis, reverse);
export const laxCummax = (x: ArrayLike, axis = 0, reverse = false): NDArray => cumulative("lax.cummax", p.cummax, x, axis, reverse);
export const laxCummin = (x: ArrayLike, axis = 0, reverse = false): NDArray => cumulative("lax.cummin", p.cummin, x, axis, reverse);

/** The number of nonzero (true) elements over `axis` (all by default), as int32. */
export function countNonzero(x: ArrayLike, axis?: Axis, opts?: ReduceOptions): NDArray {
  return sum(notEqual(arrayOf("countNonzero", x), 0), axis, opts);
}

export interface AverageOptions extends ReduceOptions {
  /** Also return the sum of the weights (broadcast to the result's shape). */
  returned?: boolean;
}

/**
 * Weighted mean over `axis`: sum(x·w) / sum(w). `weights` has x's shape, or is 1-D with the
 * length of the one `axis`. Without weights, the mean (and, with `returned`, the count).
 */
export function average(x: ArrayLike, axis: Axis, weights: ArrayLike | null | undefined, opts: AverageOptions & { returned: true }): [NDArray, NDArray];
export function average(x: ArrayLike, axis?: Axis, weights?: ArrayLike | null, opts?: AverageOptions): NDArray;
export function average(x: ArrayLike, axis?: Axis, weights?: ArrayLike | null, opts: AverageOptions = {}): NDArray | [NDArray, NDArray] {
  let a = arrayOf("average", x);
  if (!isFloat(a.dtype)) a = astype(a, "float32");
  const axes = normalizeAxes("np.average", axis, a.ndim);
  const keep = { keepdims: opts.keepdims };
  if (weights === null || weights === undefined) {
    const avg = mean(a, axis, keep);
    if (!opts.returned) return avg;
    return [avg, full(avg.shape as number[], countOver(a, axes), { dtype: avg.dtype })];
  }
  let w = arrayOf("average", weights);
  if (!sameShape(w.shape, a.shape)) {
    if (axis === null || axis === undefined) {
      throw new ShapeError(`np.average: weights of shape ${shapeTuple(w.shape)} differ from x's shape ${shapeTuple(a.shape)}, which needs an axis.`,
        "Pass weights of x's shape, or 1-D weights together with the axis they run along.");
    }
    if (w.ndim !== 1 || axes.length !== 1) {
      throw new ShapeError(`np.average: weights of shape ${shapeTuple(w.shape)} must have x's shape ${shapeTuple(a.shape)}, or be 1-D along a single axis.`);
    }
    if (w.shape[0] !== a.shape[axes[0]!]) {
      throw new ShapeError(`np.average: 1-D weights of length ${w.shape[0]} do not match axis ${axes[0]} of size ${a.shape[axes[0]!]} (x has shape ${shapeTuple(a.shape)}).`,
        "Pass one weight per element along the axis.");
    }
    w = w.reshape(a.shape.map((d, i) => (i === axes[0] ? d : 1)) as number[]);
  }
  const scl = sum(isFloat(w.dtype) ? w : astype(w, a.dtype), axis, keep);
  const num = sum(multiply(a, w), axis, keep);
  const avg = divide(num, scl);
  if (!opts.returned) return avg;
  return [avg, broadcastTo(astype(scl, avg.dtype), avg.shape as number[])];
}
