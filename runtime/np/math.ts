// More elementwise math as composites of the primitives (so every backend, grad and vmap
// get them): inverse trig through atan2, hyperbolics through expm1/log1p in forms that stay
// accurate near 0 and finite up to float32's range, cbrt, trunc, isinf, logaddexp, hypot,
// copysign, nanToNum. Branches that `where` discards get inputs clamped into their own
// domain, so the discarded side's gradient is finite (0, not NaN, after the select).

import type { ArrayLike, NDArray } from "../array/ndarray.js";
import { ArgumentError } from "../errors.js";
import { isFloat } from "../dtype.js";
import {
  abs, add, arctan2, ceil, clip, divide, equal, exp, expm1, floor, greater, isnan, less, log, log1p, logicalAnd, logicalOr,
  maximum, minimum, multiply, negative, power, sqrt, subtract, where,
} from "./elementwise.js";
import { arrayOf, asNDArray, prepare } from "./operands.js";
import { full } from "./creation.js";

/** A float array (integers and bools promote to float32, as JAX's inexact functions do). */
const inexact = (name: string, x: ArrayLike): NDArray => asNDArray(prepare(name, [x], true)[0]!);
const LN2 = Math.LN2;
const F32_MAX = 3.4028234663852886e38;

export const arctan = (x: ArrayLike): NDArray => {
  const a = inexact("arctan", x);
  return arctan2(a, full([], 1, { dtype: a.dtype }));
};

/** atan2(x, √((1-x)(1+x))): the factored form keeps precision near |x| = 1; NaN outside [-1, 1]. */
export function arcsin(x: ArrayLike): NDArray {
  const a = inexact("arcsin", x);
  return arctan2(a, sqrt(multiply(subtract(1, a), add(1, a))));
}

export function arccos(x: ArrayLike): NDArray {
  const a = inexact("arccos", x);
  return arctan2(sqrt(multiply(subtract(1, a), add(1, a))), a);
}

/** e^|x|/2 for |x| beyond 20 (below, at 20: the caller's discarded branch), as (e^(|x|/2)/2)·e^(|x|/2): finite up to float32's max. */
function halfExpFar(a: NDArray): NDArray {
  const h = exp(multiply(maximum(abs(a), 20), 0.5));
  return multiply(multiply(h, 0.5), h);
}

/** (expm1(x) - expm1(-x))/2 (no cancellation near 0); beyond |x| = 20, ±e^|x|/2 (halfExpFar). */
export function sinh(x: ArrayLike): NDArray {
  const a = inexact("sinh", x);
  const small = clip(a, -20, 20);
  const near = multiply(subtract(expm1(small), expm1(negative(small))), 0.5);
  const far = halfExpFar(a);
  return where(greater(abs(a), 20), where(less(a, 0), negative(far), far), near);
}

export function cosh(x: ArrayLike): NDArray {
  const a = inexact("cosh", x);
  const small = clip(a, -20, 20);
  const near = multiply(add(exp(small), exp(negative(small))), 0.5);
  return where(greater(abs(a), 20), halfExpFar(a), near);
}

/**
 * f on x ≥ 0 extended as an odd function: f(|x|) with |x| as a select (so the derivative at
 * 0 is f'(0), not 0, and f never sees a negative input whose NaN gradient a discarded branch
 * would turn into 0·NaN).
 */
function odd(a: NDArray, f: (v: NDArray) => NDArray): NDArray {
  const neg = less(a, 0);
  const y = f(where(neg, negative(a), a));
  return where(neg, negative(y), y);
}

/** log1p(x + x²/(1 + √(1 + x²))) for x ≥ 0, log(x) + ln 2 beyond 1e18 (x² would overflow); odd. */
export function arcsinh(x: ArrayLike): NDArray {
  const a = inexact("arcsinh", x);
  return odd(a, (v) => {
    const s = minimum(v, 1e18);
    const near = log1p(add(s, divide(multiply(s, s), add(1, sqrt(add(1, multiply(s, s)))))));
    const far = add(log(maximum(v, 1e18)), LN2);
    return where(greater(v, 1e18), far, near);
  });
}

/** log1p(t + √(t(t + 2))) with t = x - 1 (accurate near 1), log(x) + ln 2 beyond 1e18; NaN below 1. */
export function arccosh(x: ArrayLike): NDArray {
  const a = inexact("arccosh", x);
  const t = subtract(minimum(a, 1e18), 1);
  const near = log1p(add(t, sqrt(multiply(t, add(t, 2)))));
  const far = add(log(maximum(a, 1e18)), LN2);
  return where(greater(a, 1e18), far, near);
}

/** (log1p(x) - log1p(-x)) / 2: no cancellation near 0 (opposite signs), exact 1 ∓ x near ±1; ±inf at ±1, NaN beyond. */
export function arctanh(x: ArrayLike): NDArray {
  const a = inexact("arctanh", x);
  return multiply(subtract(log1p(a), log1p(negative(a))), 0.5);
}

/** Real cube root: |x|^(1/3) refined by one Newton step (float32's 1/3 is inexact), odd. */
export function cbrt(x: ArrayLike): NDArray {
  const a = inexact("cbrt", x);
  return odd(a, (v) => {
    const r0 = power(v, 1 / 3);
    const safe = where(equal(r0, 0), 1, r0);
    const r1 = subtract(r0, divide(subtract(r0, divide(v, multiply(safe, safe))), 3));
    // 0 and inf are fixed points the Newton step would turn into NaN.
    return where(logicalOr(equal(v, 0), equal(v, Infinity)), v, r1);
  });
}

/** Rounds toward zero; integers and bools unchanged. */
export function trunc(x: ArrayLike): NDArray {
  const a = arrayOf("trunc", x);
  if (!isFloat(a.dtype)) return a;
  return where(less(a, 0), ceil(a), floor(a));
}

/** Whether each element is ±inf (false for integers and bools). */
export function isinf(x: ArrayLike): NDArray {
  const a = arrayOf("isinf", x);
  if (!isFloat(a.dtype)) return full(a.shape as number[], false);
  return equal(abs(a), Infinity);
}

/** log(e^a + e^b) without overflow: max + log1p(e^-|a-b|); equal infinities give that infinity. */
export function logaddexp(a: ArrayLike, b: ArrayLike): NDArray {
  const [x, y] = prepare("logaddexp", [a, b], true).map(asNDArray) as [NDArray, NDArray];
  const m = maximum(x, y);
  const delta = subtract(x, y);
  return where(isnan(delta), add(x, y), add(m, log1p(exp(negative(abs(delta))))));
}

/** √(a² + b²) without overflow or underflow: m·√(1 + (n/m)²) with m = max(|a|, |b|). */
export function hypot(a: ArrayLike, b: ArrayLike): NDArray {
  const [x, y] = prepare("hypot", [a, b], true).map((v) => abs(asNDArray(v))) as [NDArray, NDArray];
  const m = maximum(x, y), n = minimum(x, y);
  const safe = where(equal(m, 0), 1, m);
  const r = divide(n, safe);
  const out = multiply(m, sqrt(add(1, multiply(r, r))));
  return where(logicalOr(equal(x, Infinity), equal(y, Infinity)), Infinity, out);
}

/** |a| with the sign of b (the sign bit: -0 counts as negative). */
export function copysign(a: ArrayLike, b: ArrayLike): NDArray {
  const [x, y] = prepare("copysign", [a, b], true).map(asNDArray) as [NDArray, NDArray];
  const negZero = logicalAnd(equal(y, 0), less(divide(1, y), 0));
  const m = abs(x);
  return where(logicalOr(less(y, 0), negZero), negative(m), m);
}

export interface NanToNumOptions {
  /** Replacement for NaN (default 0). */
  nan?: number;
  /** Replacement for +inf (default the largest finite value of the dtype). */
  posinf?: number;
  /** Replacement for -inf (default the most negative finite value). */
  neginf?: number;
}

/** NaN → 0 and ±inf → the largest finite values (or the given replacements); integers unchanged. */
export function nanToNum(x: ArrayLike, opts: NanToNumOptions = {}): NDArray {
  const a = arrayOf("nanToNum", x);
  for (const [k, v] of Object.entries(opts)) {
    if (v !== undefined && typeof v !== "number") {
      throw new ArgumentError(`np.nanToNum: ${k} must be a number, got ${typeof v}.`, "Pass JS numbers: np.nanToNum(x, { nan: 0, posinf: 1e6 }).");
    }
  }
  if (!isFloat(a.dtype)) return a;
  const max = a.dtype === "float16" ? 65504 : F32_MAX;
  let out = where(isnan(a), opts.nan ?? 0, a);
  out = where(equal(a, Infinity), opts.posinf ?? max, out);
  return where(equal(a, -Infinity), opts.neginf ?? -max, out);
}
