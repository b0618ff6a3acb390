// np.linalg.norm: vector norms (ord 2 by default, 1, ±inf, 0, any p) and matrix norms
// ("fro" by default, 1, -1, ±inf) from reductions. "nuc" and ±2 for matrices need singular
// values, which tsjit does not compute: they raise an error naming what to use instead.

import type { ArrayLike, NDArray } from "../array/ndarray.js";
import { isFloat } from "../dtype.js";
import { ArgumentError, ShapeError } from "../errors.js";
import { normalizeAxis, shapeTuple } from "../shape.js";
import { abs, multiply, notEqual, power, sqrt } from "./elementwise.js";
import { arrayOf } from "./operands.js";
import { max, min, sum } from "./reductions.js";
import { astype } from "./shape-ops.js";

export type NormOrd = number | "fro" | "nuc" | null | undefined;

export interface NormOptions {
  /** Keep the reduced axes as size 1. */
  keepdims?: boolean;
}

function vectorNorm(x: NDArray, ord: NormOrd, axis: number, keepdims: boolean): NDArray {
  const opts = { keepdims };
  if (ord === null || ord === undefined || ord === 2) return sqrt(sum(multiply(x, x), axis, opts));
  if (typeof ord !== "number") {
    throw new ArgumentError(`np.linalg.norm: ord ${JSON.stringify(ord)} is not a vector norm.`, "Use a number (2, 1, Infinity, -Infinity, 0, p) for vectors; \"fro\" and \"nuc\" need two axes.");
  }
  const a = abs(x);
  if (ord === Infinity) return max(a, axis, opts);
  if (ord === -Infinity) return min(a, axis, opts);
  if (ord === 0) return astype(sum(notEqual(x, 0), axis, opts), x.dtype);
  if (ord === 1) return sum(a, axis, opts);
  if (Number.isNaN(ord)) throw new ArgumentError("np.linalg.norm: ord is NaN.");
  return power(sum(power(a, ord), axis, opts), 1 / ord);
}

function matrixNorm(x: NDArray, ord: NormOrd, rowAxis: number, colAxis: number, keepdims: boolean): NDArray {
  if (ord === null || ord === undefined || ord === "fro") return sqrt(sum(multiply(x, x), [rowAxis, colAxis], { keepdims }));
  if (ord === "nuc" || ord === 2 || ord === -2) {
    throw new ArgumentError(`np.linalg.norm: the matrix norm ord=${JSON.stringify(ord)} needs singular values (an SVD), which tsjit does not compute yet.`,
      "Use ord \"fro\" (an upper bound of the 2-norm), 1 or Infinity; for the 2-norm, sqrt of the largest eigenvalue of xᵀx, e.g. by power iteration with lax.foriLoop.");
  }
  if (ord !== 1 && ord !== -1 && ord !== Infinity && ord !== -Infinity) {
    throw new ArgumentError(`np.linalg.norm: ord ${JSON.stringify(ord)} is not a matrix norm.`, "Use \"fro\", 1, -1, Infinity or -Infinity for matrices.");
  }
  // 1: max over columns of the column sums; inf: max over rows of the row sums.
  const [sumAxis, pickAxis] = ord === 1 || ord === -1 ? [rowAxis, colAxis] : [colAxis, rowAxis];
  const sums = sum(abs(x), sumAxis, { keepdims: true });
  const pick = ord > 0 ? max(sums, pickAxis, { keepdims: true }) : min(sums, pickAxis, { keepdims: true });
  if (keepdims) return pick;
  return pick.reshape(x.shape.filter((_, i) => i !== rowAxis && i !== colAxis) as number[]);
}

/**
 * Vector or matrix norm (JAX's `jnp.linalg.norm(x, ord, axis, keepdims)`): with no axis, a
 * 1-D x gets a vector norm, a 2-D x a matrix norm, and with no ord any x the 2-norm of all
 * its elements. `axis` is one axis (vector norm) or two (matrix norm).
 */
export function norm(x: ArrayLike, ord?: NormOrd, axis?: number | readonly number[] | null, opts: NormOptions = {}): NDArray {
  let a = arrayOf("linalg.norm", x);
  if (!isFloat(a.dtype)) a = astype(a, "float32");
  const keepdims = opts.keepdims ?? false;
  if (axis === null || axis === undefined) {
    if (ord === null || ord === undefined) return sqrt(sum(multiply(a, a), null, { keepdims }));
    if (a.ndim === 1) return vectorNorm(a, ord, 0, keepdims);
    if (a.ndim === 2) return matrixNorm(a, ord, 0, 1, keepdims);
    throw new ShapeError(`np.linalg.norm: ord ${JSON.stringify(ord)} without axis needs a 1-D or 2-D array, got shape ${shapeTuple(a.shape)}.`,
      "Pass axis (one axis for vector norms, two for matrix norms).");
  }
  const axes = typeof axis === "number" ? [axis] : [...axis];
  if (axes.length === 1) return vectorNorm(a, ord, normalizeAxis("np.linalg.norm", axes[0]!, a.ndim), keepdims);
  if (axes.length === 2) {
    const r = normalizeAxis("np.linalg.norm", axes[0]!, a.ndim), c = normalizeAxis("np.linalg.norm", axes[1]!, a.ndim);
    if (r === c) throw new ShapeError(`np.linalg.norm: duplicate axes ${JSON.stringify(axis)}.`, "Pass two different axes for a matrix norm.");
    return matrixNorm(a, ord, r, c, keepdims);
  }
  throw new ShapeError(`np.linalg.norm: axis must be one or two axes, got ${JSON.stringify(axis)}.`);
}

export const linalg = Object.freeze({ norm });
