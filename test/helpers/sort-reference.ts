// An independent float64 reference for sorting tests: rows sorted by Array.prototype.sort
// with an explicit comparator in NumPy's order (NaN last, -0 equal to 0, ties by index),
// random values rich in ties, NaN, ±0, ±inf and integer extremes, and an exact comparison.

import { expect } from "vitest";
import { np, type NDArray } from "tsjit";
import type { Rng } from "./prng.js";

export type DT = "float32" | "int32" | "uint32" | "bool";

/** NumPy's sort order on float64 values: a total preorder with NaN last and -0 == 0. */
export function order(a: number, b: number): number {
  const an = Number.isNaN(a), bn = Number.isNaN(b);
  if (an || bn) return an === bn ? 0 : an ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Row-major strides. */
const stridesOf = (shape: readonly number[]) => shape.map((_, d) => shape.slice(d + 1).reduce((x, y) => x * y, 1));

/** For each row along `axis` of (values, shape): the stable sorting permutation (descending: reversed order, ties by index). */
export function refPermutations(values: readonly number[], shape: readonly number[], axis: number, descending: boolean) {
  const st = stridesOf(shape);
  const n = shape[axis]!;
  const starts: number[] = [];
  const total = values.length;
  for (let flat = 0; flat < total; flat++) if (Math.floor(flat / st[axis]!) % n === 0) starts.push(flat);
  return starts.map((start) => {
    const idx = Array.from({ length: n }, (_, i) => i);
    idx.sort((i, j) => {
      const c = order(values[start + i * st[axis]!]!, values[start + j * st[axis]!]!);
      return (descending ? -c : c) || i - j;
    });
    return { start, stride: st[axis]!, idx };
  });
}

export function refSort(values: readonly number[], shape: readonly number[], axis: number, descending: boolean) {
  const sorted = values.slice(), args = values.map(() => 0);
  for (const { start, stride, idx } of refPermutations(values, shape, axis, descending)) {
    idx.forEach((src, i) => {
      sorted[start + i * stride] = values[start + src * stride]!;
      args[start + i * stride] = src;
    });
  }
  return { sorted, args };
}

export function randomValues(rng: Rng, n: number, dtype: DT): number[] {
  return Array.from({ length: n }, () => {
    switch (dtype) {
      case "bool": return rng.int(0, 1);
      case "int32": return rng.bool(0.3) ? rng.pick([-2147483648, 2147483647, 0, -1]) : rng.int(-5, 5);
      case "uint32": return rng.bool(0.3) ? rng.pick([0, 1, 2147483648, 4294967295, 3000000000]) : rng.int(0, 9);
      case "float32": {
        const r = rng.next();
        // Few distinct values, so ties are common; NaN, ±0 and ±inf on purpose.
        if (r < 0.1) return NaN;
        if (r < 0.2) return rng.pick([0, -0]);
        if (r < 0.25) return rng.pick([Infinity, -Infinity]);
        if (r < 0.6) return rng.int(-3, 3) / 2;
        return Math.fround(rng.uniform(-100, 100));
      }
    }
  });
}

export function makeArray(values: readonly number[], shape: readonly number[], dtype: DT): NDArray {
  const flat = np.array(dtype === "bool" ? values.map((v) => v !== 0) : (values as number[]), { dtype });
  return flat.reshape(shape as number[]);
}

/** Values equal including -0 vs 0 and NaN (what a sort that only moves data must give). */
export function expectSameValues(actual: NDArray, expected: readonly number[], shape: readonly number[], dtype: string, what: string): void {
  checkData(actual, actual.dataSync(), expected, shape, dtype, what);
}

/** The same, reading back with `await x.data()` (any backend). */
export async function expectSameData(actual: NDArray, expected: readonly number[], shape: readonly number[], dtype: string, what: string): Promise<void> {
  checkData(actual, await actual.data(), expected, shape, dtype, what);
}

function checkData(actual: NDArray, data: ArrayLike<number>, expected: readonly number[], shape: readonly number[], dtype: string, what: string): void {
  expect(actual.dtype, `${what}: dtype`).toBe(dtype);
  expect([...actual.shape], `${what}: shape`).toEqual([...shape]);
  const got = Array.from(data, Number);
  expect(got.length, `${what}: length`).toBe(expected.length);
  const show = (v: number | undefined) => (Object.is(v, -0) ? "-0" : String(v));
  const bad = got.flatMap((g, i) => (Object.is(g, expected[i]) ? [] : [`[${i}] got ${show(g)}, want ${show(expected[i])}`]));
  expect(bad.slice(0, 5), `${what}: ${bad.length} wrong of ${got.length}`).toEqual([]);
}
