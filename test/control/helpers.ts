import { expect } from "vitest";
import type { NDArray } from "tsjit";
import { Rng } from "../helpers/prng.js";

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

/** Seeded float32-representable data, so failures reproduce. */
export function randomData(n: number, seed: number, lo = -2, hi = 2): number[] {
  const r = new Rng(seed);
  return Array.from({ length: n }, () => Math.fround(r.uniform(lo, hi)));
}
