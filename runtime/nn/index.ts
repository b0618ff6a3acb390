// `nn`: activation functions and friends, as in jax.nn, built from np functions (so they
// run eagerly, under jit and on every backend). Softmax-like functions subtract the max
// first so that exp never overflows.

import type { ArrayLike, NDArray } from "../array/ndarray.js";
import type { DType } from "../dtype.js";
import { isFloat } from "../dtype.js";
import { ArgumentError, DTypeError } from "../errors.js";
import { np } from "../np/index.js";

const asFloat = (fn: string, x: ArrayLike): NDArray => {
  const a = np.asarray(x);
  return isFloat(a.dtype) ? a : a.astype("float32");
};

export function relu(x: ArrayLike): NDArray {
  return np.maximum(x, 0);
}

export function relu6(x: ArrayLike): NDArray {
  return np.minimum(np.maximum(x, 0), 6);
}

export function sigmoid(x: ArrayLike): NDArray {
  return np.sigmoid(x);
}

/** x·sigmoid(x) (also called swish). */
export function silu(x: ArrayLike): NDArray {
  const a = asFloat("silu", x);
  return np.multiply(a, np.sigmoid(a));
}
export const swish = silu;

/** The error function (the `erf` primitive, as np.erf). */
export function erf(x: ArrayLike): NDArray {
  return np.erf(asFloat("erf", x));
}

/** GELU: the tanh approximation by default (as jax.nn.gelu), else 0.5·x·(1 + erf(x/√2)), computed through erfc. */
export function gelu(x: ArrayLike, opts: { approximate?: boolean } = {}): NDArray {
  const a = asFloat("gelu", x);
  if (opts.approximate ?? true) {
    const inner = np.multiply(Math.sqrt(2 / Math.PI), np.add(a, np.multiply(0.044715, np.multiply(a, np.multiply(a, a)))));
    return np.multiply(np.multiply(a, 0.5), np.add(1, np.tanh(inner)));
  }
  // x·erfc(-x/√2)/2 = x·(1 + erf(x/√2))/2 without the cancellation of 1 + erf for x ≪ 0 (as JAX).
  return np.multiply(np.multiply(a, 0.5), np.erfc(np.multiply(a, -Math.SQRT1_2)));
}

/** log(1 + exp(x)), stable: max(x, 0) + log1p(exp(-|x|)). */
export function softplus(x: ArrayLike): NDArray {
  const a = asFloat("softplus", x);
  return np.add(np.maximum(a, 0), np.log1p(np.exp(np.negative(np.abs(a)))));
}

export function leakyRelu(x: ArrayLike, negativeSlope = 0.01): NDArray {
  const a = asFloat("leakyRelu", x);
  return np.where(np.greaterEqual(a, 0), a, np.multiply(a, negativeSlope));
}

/** x for x > 0, else alpha·(exp(x) - 1) (expm1 of min(x, 0), so no overflow in the other branch). */
export function elu(x: ArrayLike, alpha = 1): NDArray {
  const a = asFloat("elu", x);
  return np.where(np.greater(a, 0), a, np.multiply(alpha, np.expm1(np.minimum(a, 0))));
}

function axisOf(fn: string, x: NDArray, axis: number): number {
  if (!Number.isInteger(axis) || axis < -x.ndim || axis >= x.ndim) {
    throw new ArgumentError(`nn.${fn}: axis ${axis} is out of range for an array of rank ${x.ndim}.`);
  }
  return axis < 0 ? axis + x.ndim : axis;
}

/** The max along `axis` (kept), with non-finite maxima replaced by 0 (so ∞ - ∞ never happens). */
function finiteMax(x: NDArray, axis: number | number[] | undefined): NDArray {
  const m = np.max(x, axis, { keepdims: true });
  return np.where(np.isfinite(m), m, 0);
}

export function softmax(x: ArrayLike, axis = -1): NDArray {
  const a = asFloat("softmax", x);
  const ax = axisOf("softmax", a, axis);
  const e = np.exp(np.subtract(a, np.max(a, ax, { keepdims: true })));
  return np.divide(e, np.sum(e, ax, { keepdims: true }));
}

export function logSoftmax(x: ArrayLike, axis = -1): NDArray {
  const a = asFloat("logSoftmax", x);
  const ax = axisOf("logSoftmax", a, axis);
  const shifted = np.subtract(a, np.max(a, ax, { keepdims: true }));
  return np.subtract(shifted, np.log(np.sum(np.exp(shifted), ax, { keepdims: true })));
}

/** log(sum(exp(x))) over `axis` (all axes by default, as jax.nn.logsumexp). */
export function logsumexp(x: ArrayLike, axis?: number | number[] | null, opts: { keepdims?: boolean } = {}): NDArray {
  const a = asFloat("logsumexp", x);
  const ax = axis === null ? undefined : axis;
  const m = finiteMax(a, ax);
  const out = np.add(np.log(np.sum(np.exp(np.subtract(a, m)), ax, { keepdims: true })), m);
  return opts.keepdims ? out : np.squeeze(out, ax ?? undefined);
}

/** One-hot encoding along a new last axis; out-of-range classes give all zeros. */
export function oneHot(x: ArrayLike, numClasses: number, opts: { dtype?: DType } = {}): NDArray {
  if (!Number.isInteger(numClasses) || numClasses < 0) {
    throw new ArgumentError(`nn.oneHot: numClasses must be a non-negative integer known at trace time, got ${String(numClasses)}.`);
  }
  const a = np.asarray(x);
  if (isFloat(a.dtype) || a.dtype === "bool") {
    throw new DTypeError(`nn.oneHot: x must hold integer class indices, got ${a.dtype}.`, "Convert with x.astype(\"int32\").");
  }
  const classes = np.arange(numClasses, undefined, 1, { dtype: a.dtype === "uint32" ? "uint32" : "int32" });
  return np.equal(np.expandDims(a, -1), classes).astype(opts.dtype ?? "float32");
}

/** (x - mean)/sqrt(variance + epsilon) along `axis`, variance as E[x²] - E[x]² (as JAX). */
export function standardize(x: ArrayLike, axis: number | number[] = -1, opts: { epsilon?: number } = {}): NDArray {
  const a = asFloat("standardize", x);
  const mean = np.mean(a, axis, { keepdims: true });
  const variance = np.subtract(np.mean(np.multiply(a, a), axis, { keepdims: true }), np.multiply(mean, mean));
  return np.divide(np.subtract(a, mean), np.sqrt(np.add(variance, opts.epsilon ?? 1e-5)));
}
