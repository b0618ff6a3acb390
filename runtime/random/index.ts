// `random`: JAX's counter-based PRNG with explicit keys (Threefry-2x32, 20 rounds), following
// jax/_src/prng.py with `jax_threefry_partitionable` on (JAX's default since 0.5):
//   key(seed)        = [seed >> 32, seed & 0xffffffff]            (threefry_seed)
//   split(key, n)[i] = threefry(key, (0, i))                      (_threefry_split_foldlike)
//   foldIn(key, d)   = threefry(key, (0, d))                      (threefry_2x32 over seed(d))
//   bits(key, s)[i]  = x0 ^ x1 where (x0, x1) = threefry(key, (hi(i), lo(i)))  (i: flat index)
// and the samplers of jax/_src/random.py built on `bits`. A key is a uint32 array of shape
// [2]; under jit it is traced like any array.
//
// Checked against JAX 0.10.2 (test/randomnn/random.test.ts): key, split, foldIn, bits,
// uniform, normal, randint, bernoulli, categorical, permutation (one and two sorting rounds,
// along an axis) and every branch of choice give JAX's numbers bit for bit for the same
// keys; gumbel within an ulp (transcendental functions). choice with p inverts a cumulative
// sum, whose float32 rounding order may differ from XLA's on other inputs.
//
// Batched keys: a uint32 array of shape [...batch, 2] (e.g. `split(key, n)`) is a batch of
// keys. JAX's samplers reject key arrays with batch dimensions ("Use jax.vmap for
// batching"); here every function that takes a key maps over the batch as `vmap` would, so
// `uniform(split(key, n), [3])` has shape [n, 3] and row i equals `uniform(split(key, n)[i],
// [3])` — exactly what `vmap((k) => uniform(k, [3]))(split(key, n))` gives (tested). The
// result's shape is batch ++ the shape for one key (for split: batch ++ [num, 2]).

import { NDArray, type ArrayLike } from "../array/ndarray.js";
import type { DType } from "../dtype.js";
import { isFloat } from "../dtype.js";
import { ArgumentError, DTypeError, ShapeError } from "../errors.js";
import * as p from "../primitives/index.js";
import { bind1 } from "../trace/core.js";
import { np } from "../np/index.js";
import { threefry2x32, u32 } from "./threefry.js";
import { sortKeyVal, topK } from "../np/sorting.js";
import { normalizeAxis } from "../shape.js";
import { vmap } from "../transforms/vmap.js";

type Shape = readonly number[];

function checkKey(fn: string, key: unknown): NDArray {
  if (!(key instanceof NDArray) || key.dtype !== "uint32" || key.ndim < 1 || key.shape[key.ndim - 1] !== 2) {
    const what = key instanceof NDArray ? `an array of dtype ${key.dtype} and shape [${key.shape.join(", ")}]` : typeof key;
    throw new ArgumentError(`random.${fn}: key must be a uint32 array of shape [2] or a batch of keys [..., 2] (from random.key or random.split), got ${what}.`,
      "Make one with random.key(seed) or a batch with random.split(key, n).");
  }
  return key;
}

/** `f` on a single key, mapped (vmap) over the leading batch axes of a batch of keys. */
function overKeys(k: NDArray, f: (k: NDArray) => NDArray): NDArray {
  return k.ndim === 1 ? f(k) : (vmap((ki: NDArray) => overKeys(ki, f))(k) as NDArray);
}

function checkShape(fn: string, shape: unknown): Shape {
  if (typeof shape === "number") shape = [shape];
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ArgumentError(`random.${fn}: shape must be an array of non-negative integers, got ${String(shape)}.`);
  }
  return shape as Shape;
}

const size = (shape: Shape) => shape.reduce((a, b) => a * b, 1);

/** The two key words, as rank-0 arrays. */
const words = (key: NDArray): [NDArray, NDArray] => [key.slice(0), key.slice(1)];

/** threefry(key, (0, i)) for i < n: the two output words, each of shape [n]. */
function hashIota(key: NDArray, n: number): [NDArray, NDArray] {
  if (n >= 2 ** 32) throw new ArgumentError(`random: ${n} values is more than 2^32 counters; split the key instead.`);
  const [k0, k1] = words(key);
  const lo = bind1(p.iota, [], { dtype: "uint32", shape: [n], dimension: 0 });
  return threefry2x32(k0, k1, u32(0), lo);
}

/** A PRNG key from an integer seed: JAX's `random.key(seed)` / `PRNGKey(seed)` data. */
export function key(seed: number | NDArray): NDArray {
  if (seed instanceof NDArray) {
    if (seed.ndim !== 0 || (seed.dtype !== "int32" && seed.dtype !== "uint32")) {
      throw new ArgumentError(`random.key: a seed array must be an int32 or uint32 scalar, got ${seed.dtype}[${seed.shape.join(", ")}].`);
    }
    // 32-bit seeds: the high word (seed >> 32) is 0, as in JAX without x64.
    return np.stack([np.zeros([], { dtype: "uint32" }), seed.astype("uint32")]);
  }
  if (typeof seed !== "number" || !Number.isInteger(seed) || Math.abs(seed) > Number.MAX_SAFE_INTEGER) {
    throw new ArgumentError(`random.key: seed must be an integer, got ${String(seed)}.`, "Pass e.g. random.key(0).");
  }
  // Negative seeds are 64-bit two's complement (as JAX with x64); in int32 range that gives
  // [0, seed >>> 0] as JAX without x64 does for an int32 seed.
  const hi = seed >= 0 ? Math.floor(seed / 2 ** 32) : seed >= -(2 ** 31) ? 0 : (Math.floor(seed / 2 ** 32) >>> 0);
  return np.array(Uint32Array.of(hi >>> 0, seed >>> 0));
}

/** `num` new keys (shape [num, 2]) from one; `num` may be a shape (keys of shape [...num, 2], as JAX's split(key, (2, 3))). */
export function split(k: NDArray, num: number | readonly number[] = 2): NDArray {
  checkKey("split", k);
  if (k.ndim > 1) return overKeys(k, (ki) => split(ki, num));
  const shape = typeof num === "number" ? [num] : num;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ArgumentError(`random.split: num must be a non-negative integer or a shape, got ${String(num)}.`, "Pass e.g. split(key, 4) or split(key, [2, 3]).");
  }
  // JAX's counters are the flat row-major index over the shape.
  const [a, b] = hashIota(k, size(shape));
  const keys = np.stack([a, b], 1);
  return typeof num === "number" ? keys : keys.reshape([...shape, 2]);
}

/** A new key from a key and an integer (e.g. a step counter; may be traced). */
export function foldIn(k: NDArray, data: number | NDArray): NDArray {
  checkKey("foldIn", k);
  if (k.ndim > 1) return overKeys(k, (ki) => foldIn(ki, data));
  let d: NDArray | ReturnType<typeof u32>;
  if (data instanceof NDArray) {
    if (data.ndim !== 0 || isFloat(data.dtype)) throw new ArgumentError(`random.foldIn: data must be an integer scalar, got ${data.dtype}[${data.shape.join(", ")}].`);
    d = data.astype("uint32");
  } else {
    if (!Number.isInteger(data)) throw new ArgumentError(`random.foldIn: data must be an integer, got ${String(data)}.`);
    d = u32(data); // a literal: no array constant for a JS number
  }
  const [k0, k1] = words(k);
  const [a, b] = threefry2x32(k0, k1, u32(0), d);
  return np.stack([a, b]);
}

/** Uniformly random uint32 bits of `shape`. */
export function bits(k: NDArray, shape: Shape | number = []): NDArray {
  checkKey("bits", k);
  if (k.ndim > 1) return overKeys(k, (ki) => bits(ki, shape));
  const s = checkShape("bits", shape);
  const [a, b] = hashIota(k, size(s));
  return bind1(p.xor, [a, b]).reshape(s as number[]);
}

export interface UniformOptions {
  dtype?: DType;
  minval?: ArrayLike;
  maxval?: ArrayLike;
}

function floatDType(fn: string, dtype: DType | undefined): DType {
  const d = dtype ?? "float32";
  if (d !== "float32") throw new DTypeError(`random.${fn}: dtype must be float32, got ${d}.`);
  return d;
}

/** Floats in [0, 1): the top 23 bits as the mantissa (JAX: bitcast((bits >> 9) | 1.0) - 1, the same number). */
function unitFloats(k: NDArray, shape: Shape): NDArray {
  const mant = bind1(p.shiftRightLogical, [bits(k, shape), u32(9)]);
  return np.multiply(mant.astype("float32"), 2 ** -23);
}

/** Uniform floats in [minval, maxval) (JAX's formula: f·(max - min) + min, then max(min, ·)). */
export function uniform(k: NDArray, shape: Shape | number = [], opts: UniformOptions = {}): NDArray {
  checkKey("uniform", k);
  if (k.ndim > 1) return overKeys(k, (ki) => uniform(ki, shape, opts));
  const dtype = floatDType("uniform", opts.dtype);
  const s = checkShape("uniform", shape);
  // JS-number bounds stay numbers (rounded to float32 as JAX's conversion does): literals in
  // the jaxpr rather than array constants.
  const bound = (v: ArrayLike): number | NDArray => (typeof v === "number" ? Math.fround(v) : np.asarray(v).astype(dtype));
  const lo = bound(opts.minval ?? 0), hi = bound(opts.maxval ?? 1);
  const span = typeof lo === "number" && typeof hi === "number" ? Math.fround(hi - lo) : np.subtract(hi, lo);
  const f = unitFloats(k, s);
  return np.maximum(lo, np.add(np.multiply(f, span), lo));
}

// Giles' single-precision erfinv ("Approximating the erfinv function", GPU Gems, 2010), the
// polynomial XLA's ErfInv uses for float32.
const ERFINV_LT = [2.81022636e-8, 3.43273939e-7, -3.5233877e-6, -4.39150654e-6, 0.00021858087, -0.00125372503, -0.00417768164, 0.246640727, 1.50140941];
const ERFINV_GT = [-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613, 0.00943887047, 1.00167406, 2.83297682];

/** Inverse error function (float32) from existing primitives. */
export function erfinv(x: ArrayLike): NDArray {
  const a = np.asarray(x).astype("float32");
  const w = np.negative(np.log1p(np.negative(np.multiply(a, a))));
  const small = np.less(w, 5);
  const poly = (cs: number[], t: NDArray) => cs.slice(1).reduce((acc: NDArray, c) => np.add(np.multiply(acc, t), c), np.fullLike(t, cs[0]!));
  const pLt = poly(ERFINV_LT, np.subtract(w, 2.5));
  const pGt = poly(ERFINV_GT, np.subtract(np.sqrt(w), 3));
  const r = np.multiply(np.where(small, pLt, pGt), a);
  // erfinv(±1) = ±∞.
  return np.where(np.equal(np.abs(a), 1), np.multiply(a, Infinity), r);
}

/** Standard normal floats: √2·erfinv(u) with u uniform in (-1, 1), as JAX does. */
export function normal(k: NDArray, shape: Shape | number = [], opts: { dtype?: DType } = {}): NDArray {
  checkKey("normal", k);
  if (k.ndim > 1) return overKeys(k, (ki) => normal(ki, shape, opts));
  const dtype = floatDType("normal", opts.dtype);
  const lo = -1 + 2 ** -24; // nextafter(-1, 0) in float32
  const u = uniform(k, shape, { dtype, minval: lo, maxval: 1 });
  return np.multiply(erfinv(u), Math.fround(Math.SQRT2));
}

/**
 * Integers in [minval, maxval) (int32), JAX's algorithm: two independent 32-bit draws from
 * split(key) combined as (hi·(2^32 mod span) + lo) mod span, which is nearly unbiased.
 */
export function randint(k: NDArray, shape: Shape | number, minval: ArrayLike, maxval: ArrayLike): NDArray {
  checkKey("randint", k);
  if (k.ndim > 1) return overKeys(k, (ki) => randint(ki, shape, minval, maxval));
  const s = checkShape("randint", shape);
  // JAX clips the bounds to int32 and widens the span by one when maxval was above int32's max.
  const maxOut = typeof maxval === "number" && maxval > 2147483647;
  const bound = (v: ArrayLike) => typeof v === "number" ? np.full(s as number[], Math.max(-2147483648, Math.min(2147483647, Math.trunc(v))), { dtype: "int32" })
    : np.broadcastTo(np.asarray(v).astype("int32"), s);
  const lo = bound(minval), hi = bound(maxval);
  const keys = split(k);
  const higher = bits(keys.slice(0), s), lower = bits(keys.slice(1), s);
  let span = np.subtract(hi, lo).astype("uint32");
  span = np.where(np.lessEqual(hi, lo), np.onesLike(span), span);
  if (maxOut) span = np.where(np.greater(hi, lo), np.add(span, 1), span);
  const rem = (a: NDArray, b: NDArray) => bind1(p.rem, [a, b]);
  let mult = rem(np.fullLike(span, 65536), span);
  mult = rem(np.multiply(mult, mult), span);
  const offset = rem(np.add(np.multiply(rem(higher, span), mult), rem(lower, span)), span);
  return np.add(lo, offset.astype("int32"));
}

/** Booleans that are true with probability p (uniform(key, shape) < p). */
export function bernoulli(k: NDArray, prob: ArrayLike = 0.5, shape?: Shape | number): NDArray {
  checkKey("bernoulli", k);
  if (k.ndim > 1) return overKeys(k, (ki) => bernoulli(ki, prob, shape));
  const pr = typeof prob === "number" ? Math.fround(prob) : np.asarray(prob).astype("float32");
  const s = shape === undefined ? (typeof pr === "number" ? [] : pr.shape) : checkShape("bernoulli", shape);
  return np.less(uniform(k, s), pr);
}

/** Standard Gumbel samples: -log(-log(u)), u uniform in [tiny, 1). */
export function gumbel(k: NDArray, shape: Shape | number = []): NDArray {
  checkKey("gumbel", k);
  if (k.ndim > 1) return overKeys(k, (ki) => gumbel(ki, shape));
  const u = uniform(k, shape, { minval: 1.1754943508222875e-38, maxval: 1 });
  return np.negative(np.log(np.negative(np.log(u))));
}

/** Samples from a categorical distribution given unnormalized log-probabilities (Gumbel-max). */
export function categorical(k: NDArray, logits: ArrayLike, opts: { axis?: number } = {}): NDArray {
  checkKey("categorical", k);
  if (k.ndim > 1) return overKeys(k, (ki) => categorical(ki, logits, opts));
  const l = np.asarray(logits);
  if (!isFloat(l.dtype)) throw new DTypeError(`random.categorical: logits must be floating point, got ${l.dtype}.`);
  if (l.ndim === 0) throw new ShapeError("random.categorical: logits must have at least one axis.");
  const axis = opts.axis ?? -1;
  return np.argmax(np.add(gumbel(k, l.shape as number[]), l), axis);
}

/**
 * JAX's _shuffle of arange(n): ceil(3·ln(n) / ln(2^32 - 1)) rounds of a stable sort
 * (lax.sort_key_val) by fresh random bits.
 */
function shuffledIndices(k: NDArray, n: number): NDArray {
  const rounds = Math.ceil((3 * Math.log(Math.max(1, n))) / Math.log(4294967295));
  let key = k;
  let arr = np.arange(n);
  for (let r = 0; r < rounds; r++) {
    const keys = split(key);
    key = keys.slice(0);
    arr = sortKeyVal(bits(keys.slice(1), [n]), arr)[1];
  }
  return arr;
}

/**
 * A random permutation of arange(n), or of an array's elements along `axis` (JAX's sort-based
 * shuffle; independent=False: the same permutation for every slice).
 */
export function permutation(k: NDArray, x: number | NDArray, axis = 0): NDArray {
  checkKey("permutation", k);
  if (k.ndim > 1) return overKeys(k, (ki) => permutation(ki, x, axis));
  if (typeof x === "number") {
    if (!Number.isInteger(x) || x < 0) throw new ArgumentError(`random.permutation: n must be a non-negative integer, got ${x}.`);
    return shuffledIndices(k, x);
  }
  if (!(x instanceof NDArray) || x.ndim === 0) {
    throw new ArgumentError("random.permutation: x must be an integer n or an array with at least one axis.", "Pass n or an array.");
  }
  const ax = normalizeAxis("random.permutation", axis, x.ndim);
  return np.take(x, shuffledIndices(k, x.shape[ax]!), { axis: ax });
}

export interface ChoiceOptions {
  /** Draw with replacement (default true). */
  replace?: boolean;
  /** Probabilities of the n entries (shape [n]; need not be normalized). Default: uniform. */
  p?: ArrayLike;
  /** The axis of `a` to choose along (default 0). */
  axis?: number;
}

/**
 * Random samples from arange(a) (a a number or a 0-d array) or from `a`'s entries along `axis`,
 * JAX's `random.choice`: with replacement randint (uniform) or inverse-CDF sampling over
 * cumsum(p) (a binary-search searchsorted); without replacement the first entries of a
 * permutation (uniform) or Gumbel top-k over log(p). The result has shape
 * a.shape[:axis] ++ shape ++ a.shape[axis+1:] (shape for a number).
 */
export function choice(k: NDArray, a: number | NDArray, shape: Shape | number = [], opts: ChoiceOptions = {}): NDArray {
  checkKey("choice", k);
  if (k.ndim > 1) return overKeys(k, (ki) => choice(ki, a, shape, opts));
  const s = checkShape("choice", shape);
  const replace = opts.replace ?? true;
  let arr: NDArray | null = null;
  let n: number;
  let axis = 0;
  if (a instanceof NDArray && a.ndim > 0) {
    arr = a;
    axis = normalizeAxis("random.choice", opts.axis ?? 0, a.ndim);
    n = a.shape[axis]!;
  } else {
    // A 0-d array must be concrete (JAX: concrete_or_error); item() raises the tracer error.
    n = a instanceof NDArray ? a.item() : a;
    if (typeof n !== "number" || !Number.isInteger(n) || n < 0) {
      throw new ArgumentError(`random.choice: a must be a non-negative integer or an array, got ${String(a)}.`, "Pass n (choose from arange(n)) or an array.");
    }
  }
  const draws = size(s);
  const outShape = arr ? [...arr.shape.slice(0, axis), ...s, ...arr.shape.slice(axis + 1)] : [...s];
  if (draws === 0) return np.zeros(outShape, { dtype: arr ? arr.dtype : "int32" });
  if (n <= 0) throw new ArgumentError("random.choice: a must be greater than 0 unless no samples are taken.", "Choose from a non-empty population.");
  if (!replace && draws > n) {
    throw new ArgumentError(`random.choice: Cannot take a larger sample (size ${draws}) than population (size ${n}) when replace is false.`,
      "Draw at most n samples, or pass { replace: true }.");
  }
  let ind: NDArray;
  if (opts.p === undefined) {
    if (replace) ind = randint(k, s, 0, n);
    else ind = shuffledIndices(k, n).slice([0, draws]).reshape(s as number[]);
  } else {
    let pa = np.asarray(opts.p);
    if (!isFloat(pa.dtype)) pa = pa.astype("float32");
    if (pa.ndim !== 1 || pa.shape[0] !== n) {
      throw new ShapeError(`random.choice: p must be None or match the shape of a: p has shape [${pa.shape.join(", ")}], expected [${n}].`,
        "Pass one probability per entry along the chosen axis.");
    }
    if (replace) {
      const cuml = np.cumsum(pa);
      const r = np.multiply(cuml.slice(n - 1), np.subtract(1, uniform(k, s)));
      ind = np.searchsorted(cuml, r);
    } else {
      const g = np.add(gumbel(k, [n]), np.log(pa));
      ind = topK(g, draws)[1].reshape(s as number[]);
    }
  }
  return arr ? np.take(arr, ind, { axis }) : ind;
}
