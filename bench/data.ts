// Deterministic inputs (so runs are comparable) and their tsjit arrays.

import { np, type NDArray } from "../runtime/index.js";

/** mulberry32: a small, fast, seeded PRNG. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` floats uniform in [lo, hi). */
export function uniform(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * r();
  return out;
}

/** A tsjit float32 array of `shape` holding a copy of `data`. */
export function tsArray(data: Float32Array, shape: readonly number[]): NDArray {
  return np.array(data).reshape([...shape]);
}
