// More np functions built from existing ones: var/std (ddof), ptp, diff, log2/log10/exp2,
// and cumsum/cumprod as a log-depth (Hillis–Steele) scan: ⌈log2 n⌉ shifted adds over the
// whole axis, never a per-element unrolled chain.

import type { ArrayLike, Axis, NDArray, ReduceOptions } from "../array/ndarray.js";
import { isFloat } from "../dtype.js";
import { ArgumentError, ShapeError } from "../errors.js";
import { normalizeAxes, normalizeAxis, sameShape, shapeTuple } from "../shape.js";
import { full } from "./creation.js";
import { add, divide, exp, log, multiply, notEqual, subtract } from "./elementwise.js";
import { max, mean, min, sum } from "./reductions.js";
import { astype, broadcastTo, concatenate, ravel, slice } from "./shape-ops.js";
import { asNDArray, toOperand } from "./operands.js";

const arrayOf = (fn: string, x: ArrayLike): NDArray => asNDArray(toOperand(fn, x));

export interface VarOptions extends ReduceOptions {
  /** Delta degrees of freedom: the divisor is N - ddof (NumPy's default 0). */
  ddof?: number;
}

/** Variance: sum((x - mean)²) / (N - ddof) over `axis` (all by default). */
export function var_(x: ArrayLike, axis?: Axis, opts: VarOptions = {}): NDArray {
  let a = arrayOf("var", x);
  if (!isFloat(a.dtype)) a = astype(a, "float32");
  const axes = normalizeAxes("np.var", axis, a.ndim);
  const n = axes.reduce((acc, ax) => acc * (a.shape[ax] as number), 1);
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

function scan(fn: string, x: ArrayLike, axis: number | null | undefined, combine: (a: NDArray, b: NDArray) => NDArray, identity: number): NDArray {
  let a = arrayOf(fn, x);
  if (axis === undefined || axis === null) a = ravel(a);
  if (a.dtype === "bool") a = astype(a, "int32");
  const ax = normalizeAxis(`np.${fn}`, axis ?? 0, a.ndim);
  const len = a.shape[ax] as number;
  for (let shift = 1; shift < len; shift *= 2) {
    // a[i] ⊕= a[i - shift] (identity before the start): after step k each element folds 2^k inputs.
    const padShape = a.shape.map((d, i) => (i === ax ? shift : d)) as number[];
    const shifted = concatenate([full(padShape, identity, { dtype: a.dtype }), slice(a, ...axisEntries(a.ndim, ax, [0, len - shift]))], ax);
    a = combine(a, shifted);
  }
  return a;
}

/** Cumulative sum along `axis` (flattened when omitted); bool sums as int32. */
export const cumsum = (x: ArrayLike, axis?: number | null): NDArray => scan("cumsum", x, axis, add, 0);
export const cumprod = (x: ArrayLike, axis?: number | null): NDArray => scan("cumprod", x, axis, multiply, 1);

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
    const count = axes.reduce((acc, ax) => acc * (a.shape[ax] as number), 1);
    return [avg, full(avg.shape as number[], count, { dtype: avg.dtype })];
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
  const aw = a, ww = w;
  const scl = sum(isFloat(ww.dtype) ? ww : astype(ww, aw.dtype), axis, keep);
  const num = sum(multiply(aw, ww), axis, keep);
  const avg = divide(num, scl);
  if (!opts.returned) return avg;
  return [avg, broadcastTo(astype(scl, avg.dtype), avg.shape as number[])];
}
