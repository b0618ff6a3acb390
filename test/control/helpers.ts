import { expect } from "vitest";
import type { NDArray } from "tsjit";

/** Asserts `actual` matches a float64 reference within float32 tolerance. */
export function expectClose(actual: NDArray, expected: ArrayLike<number>, rtol = 1e-5, atol = 1e-6): void {
  const got = actual.dataSync();
  expect(got.length).toBe(expected.length);
  for (let i = 0; i < got.length; i++) {
    const e = expected[i]!, g = got[i]!;
    if (Number.isNaN(e)) expect(g).toBeNaN();
    else if (Math.abs(g - e) > atol + rtol * Math.abs(e)) {
      throw new Error(`element ${i}: got ${g}, expected ${e} (all: [${Array.from(got).join(", ")}])`);
    }
  }
}

/** A small seeded PRNG (mulberry32) so failures reproduce. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomData(n: number, seed: number, lo = -2, hi = 2): number[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => Math.fround(lo + (hi - lo) * r()));
}
