// Shared helpers for the transformation tests: seeded random inputs and derivative checks
// against central finite differences (the function evaluated in float32, the difference
// quotient in float64, with a step large enough that float32 rounding stays below tolerance).
import { expect } from "vitest";
import { jvp, np, vjp, type NDArray } from "tsjit";
import { Rng } from "../helpers/prng.js";

/** A seeded uniform [0, 1) generator (the shared mulberry32 of test/helpers/prng.ts). */
export function rng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.next();
}

export function randn(r: () => number, shape: number[], lo = -1, hi = 1): NDArray {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = lo + (hi - lo) * r();
  return np.array(data).reshape(shape);
}

const toF64 = (x: NDArray) => Float64Array.from(x.dataSync() as Float32Array);

export function closeTo(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol: number, what = ""): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!, e = expected[i]!;
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      throw new Error(`${what}: element ${i}: got ${a}, expected ${e} (rtol ${rtol}, atol ${atol})\n  got ${Array.from(actual).slice(0, 12)}\n  exp ${Array.from(expected).slice(0, 12)}`);
    }
  }
}

type F = (...xs: NDArray[]) => NDArray;

/** Central difference of f along tangents ts at xs (float64 arithmetic on float32 evaluations). */
export function finiteDifference(f: F, xs: NDArray[], ts: NDArray[], eps = 1e-2): Float64Array {
  const shift = (s: number) => xs.map((x, i) => np.add(x, np.multiply(ts[i]!, s)));
  const plus = toF64(f(...shift(eps))), minus = toF64(f(...shift(-eps)));
  return plus.map((p, i) => (p - minus[i]!) / (2 * eps));
}

/** jvp vs central differences, and vjp vs jvp by the dot-product identity <ct, J t> = <J^T ct, t>. */
export function checkDerivatives(f: F, xs: NDArray[], seed = 1, tol = { rtol: 2e-2, atol: 2e-3 }, eps = 1e-2): void {
  const r = rng(seed);
  const ts = xs.map((x) => randn(r, [...x.shape]));
  const [, tOut] = jvp(f, xs, ts) as [NDArray, NDArray];
  closeTo(toF64(tOut), finiteDifference(f, xs, ts, eps), tol.rtol, tol.atol, "jvp vs finite differences");
  const [out, back] = vjp(f, ...xs) as [NDArray, (ct: NDArray) => NDArray[]];
  const ct = randn(r, [...out.shape]);
  const cts = back(ct);
  const lhs = toF64(ct).reduce((s, c, i) => s + c * toF64(tOut)[i]!, 0);
  const rhs = cts.reduce((s, c, i) => s + toF64(c).reduce((a, v, k) => a + v * toF64(ts[i]!)[k]!, 0), 0);
  expect(Math.abs(lhs - rhs)).toBeLessThanOrEqual(1e-4 + 1e-4 * Math.abs(lhs));
}

export { toF64 };
