import { expect } from "vitest";
import type { NDArray } from "tsjit";
import { Rng } from "../helpers/prng.js";

type Nested = number | readonly Nested[];

/** Shape and row-major values of a nested JS array (a bare number is rank 0). */
function flattenNested(x: Nested, shape: number[] = [], depth = 0, out: number[] = []): { shape: number[]; values: number[] } {
  if (typeof x === "number") {
    out.push(x);
    return { shape, values: out };
  }
  if (shape.length === depth) shape.push(x.length);
  else expect(x.length, `ragged expected value at depth ${depth}`).toBe(shape[depth]);
  for (const v of x) flattenNested(v, shape, depth + 1, out);
  return { shape, values: out };
}

/**
 * Asserts `actual` matches a float64 reference within float32 tolerance: dtype (float32
 * unless given), shape (that of the nested `expected`; a flat list is rank 1) and every
 * value. NaN matches only an expected NaN, and infinities only themselves.
 */
export function expectClose(actual: NDArray, expected: Nested, rtol = 1e-5, atol = 1e-6, dtype = "float32"): void {
  const { shape, values } = flattenNested(expected);
  expect(actual.dtype, "dtype").toBe(dtype);
  expect([...actual.shape], "shape").toEqual(shape);
  const got = actual.dataSync();
  expect(got.length, "buffer length").toBe(values.length);
  for (let i = 0; i < got.length; i++) {
    const e = values[i]!, g = Number(got[i]);
    const ok = Number.isNaN(e) ? Number.isNaN(g) : g === e || (Number.isFinite(e) && Math.abs(g - e) <= atol + rtol * Math.abs(e));
    if (!ok) throw new Error(`element ${i}: got ${g}, expected ${e} (all: [${Array.from(got).join(", ")}])`);
  }
}

/** Seeded float32-representable data, so failures reproduce. */
export function randomData(n: number, seed: number, lo = -2, hi = 2): number[] {
  const r = new Rng(seed);
  return Array.from({ length: n }, () => Math.fround(r.uniform(lo, hi)));
}
