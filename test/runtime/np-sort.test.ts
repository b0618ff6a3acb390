// Differential tests of np.sort, np.argsort, np.searchsorted, lax.topK and lax.sort against
// an independent float64 reference: each row is sorted by Array.prototype.sort with an
// explicit comparator (NumPy's order: NaN last, -0 equal to 0, ties by index), over random
// shapes and axes, NaNs, ties, -0, int32, uint32 and bool, long rows (the radix path) and
// short ones (insertion sort), eagerly, under jit and through the interpreter; plus every
// error path.

import { describe, expect, it } from "vitest";
import { ArgumentError, ShapeError, jit, lax, np, type NDArray } from "tsjit";
import { Rng } from "../helpers/prng.js";
import { MODES, runMode, type Mode } from "../helpers/harness.js";
import { expectSameValues, makeArray, order, randomValues, refPermutations, refSort, type DT } from "../helpers/sort-reference.js";

const axisOf = (a: number | null, rank: number) => (a === null ? 0 : a < 0 ? a + rank : a);

describe("np.sort / np.argsort vs a float64 reference", () => {
  const rng = new Rng(20261202);
  const dims = [0, 1, 1, 2, 3, 5, 7, 40];
  const cases = Array.from({ length: 48 }, (_, c) => {
    const rank = rng.int(1, 3);
    const shape = Array.from({ length: rank }, () => rng.pick(dims));
    const dtype: DT = (["float32", "float32", "int32", "uint32", "bool"] as const)[c % 5]!;
    const axis: number | null = rng.bool(0.15) ? null : rng.int(-rank, rank - 1);
    return { shape, dtype, axis, descending: rng.bool(0.3), mode: MODES[c % MODES.length]! as Mode, values: [] as number[] };
  });
  for (const k of cases) k.values = randomValues(rng, k.shape.reduce((a, b) => a * b, 1), k.dtype);

  it.each(cases)("$dtype$shape axis $axis descending $descending ($mode)", ({ shape, dtype, axis, descending, values, mode }) => {
    const x = makeArray(values, shape, dtype);
    const flatShape = axis === null ? [values.length] : shape;
    const { sorted, args } = refSort(values, flatShape, axisOf(axis, shape.length), descending);
    const [s, a] = runMode(mode, (x) => [np.sort(x, axis, { descending }), np.argsort(x, axis, { descending })], [x]);
    expectSameValues(s!, sorted, flatShape, dtype, "sort");
    expectSameValues(a!, args, flatShape, "int32", "argsort");
  });

  it("long rows (radix passes) of floats with ties, NaN and -0, in every mode and on both sides of every axis", () => {
    const r = new Rng(7);
    for (const [shape, axis] of [[[3000], 0], [[4, 300], 1], [[300, 3], 0], [[2, 70, 3], 1]] as const) {
      const n = shape.reduce((a: number, b: number) => a * b, 1);
      const values = randomValues(r, n, "float32");
      const x = makeArray(values, shape, "float32");
      for (const descending of [false, true]) {
        const { sorted, args } = refSort(values, shape, axis, descending);
        for (const mode of MODES) {
          const [s, a] = runMode(mode, (x) => [np.sort(x, axis, { descending }), np.argsort(x, axis, { descending })], [x]);
          expectSameValues(s!, sorted, shape, "float32", `sort ${shape} ${mode} desc=${descending}`);
          expectSameValues(a!, args, shape, "int32", `argsort ${shape} ${mode} desc=${descending}`);
        }
      }
    }
  });

  it("int32 and uint32 extremes in long rows: signed vs unsigned order", () => {
    const r = new Rng(8);
    for (const dtype of ["int32", "uint32"] as const) {
      const values = randomValues(r, 777, dtype);
      const x = makeArray(values, [777], dtype);
      const { sorted, args } = refSort(values, [777], 0, false);
      expectSameValues(np.sort(x), sorted, [777], dtype, `${dtype} sort`);
      expectSameValues(jit((x: NDArray) => np.argsort(x))(x), args, [777], "int32", `${dtype} argsort`);
    }
    expect(Array.from(np.sort(np.array([3000000000, 1, 2147483648], { dtype: "uint32" })).dataSync())).toEqual([1, 2147483648, 3000000000]);
  });

  it("x.sort() and x.argsort() are np.sort / np.argsort (a copy; x is unchanged)", () => {
    const x = np.array([[3, 1, 2], [0, -1, 5]]);
    expect(Array.from(x.sort().dataSync())).toEqual([1, 2, 3, -1, 0, 5]);
    expect(Array.from(x.sort(0, { descending: true }).dataSync())).toEqual([3, 1, 5, 0, -1, 2]);
    expect(Array.from(jit((x: NDArray) => x.argsort(null))(x).dataSync())).toEqual([4, 3, 1, 2, 0, 5]);
    expect(Array.from(x.dataSync())).toEqual([3, 1, 2, 0, -1, 5]);
  });

  it("NumPy's examples: NaN last, -0 ties with 0 stably, stable ties", () => {
    const x = np.array([NaN, 1, -0, 0, -Infinity, 1, NaN, -0]);
    expect(Array.from(np.argsort(x).dataSync())).toEqual([4, 2, 3, 7, 1, 5, 0, 6]);
    expect(Array.from(np.argsort(x, -1, { descending: true }).dataSync())).toEqual([0, 6, 1, 5, 2, 3, 7, 4]);
    expect(Array.from(np.sort(np.array([true, false, true, false])).dataSync())).toEqual([0, 0, 1, 1]);
  });

  it("a jitted argsort is one sort step: no iota buffer, the unused sorted values not written", () => {
    const f = jit((x: NDArray) => np.argsort(x));
    const x = np.array([3, 1, 2]);
    expect(Array.from(f(x).dataSync())).toEqual([1, 2, 0]);
    const text = f.lower(x).asText("js");
    expect(text).toMatch(/rt\.sortRows\(\[b\d+\], \[0\], 1, 1, 3, 3, false, \[null\], b\d+\);/);
  });

  it("sort fuses with neighbours: inputs through views, outputs read back transposed", () => {
    const x = np.array([[5, 1, 4], [2, 8, 0]]);
    const f = jit((x: NDArray) => np.sort(np.multiply(x.T, 2), 0).add(1));
    for (const mode of MODES) expect(Array.from((runMode(mode, (x) => f(x), [x])).dataSync())).toEqual([3, 1, 9, 5, 11, 17]);
  });
});

describe("sorting inside control flow", () => {
  it("lax.map over rows (operands at a loop-dependent offset), lax.cond branches, a foriLoop carry", () => {
    const r = new Rng(31);
    const values = randomValues(r, 5 * 40, "float32");
    const X = makeArray(values, [5, 40], "float32");
    const { sorted, args } = refSort(values, [5, 40], 1, false);
    for (const mode of MODES) {
      expectSameValues(runMode(mode, (xs) => lax.map((row: NDArray) => np.sort(row), xs), [X]), sorted, [5, 40], "float32", `lax.map (${mode})`);
      const viaCond = runMode(mode, (xs, p) => lax.cond(p, (x: NDArray) => np.argsort(x), (x: NDArray) => np.zeros(x.shape, { dtype: "int32" }), xs), [X, np.array(true)]);
      expectSameValues(viaCond, args, [5, 40], "int32", `lax.cond (${mode})`);
      // Sorting a sorted carry again changes nothing; a descending sort reverses the order.
      const looped = runMode(mode, (xs) => lax.foriLoop(0, 3, (_i, c: NDArray) => np.sort(np.sort(c, 1, { descending: true }), 1), xs), [X]);
      expectSameValues(looped, sorted, [5, 40], "float32", `foriLoop (${mode})`);
    }
  });
});

describe("lax.topK vs a float64 reference", () => {
  const rng = new Rng(99);
  it.each(Array.from({ length: 12 }, (_, c) => c))("case %i", (c) => {
    const rank = rng.int(1, 3);
    const shape = Array.from({ length: rank }, () => rng.pick([1, 2, 3, 6, 50]));
    const n = shape[rank - 1]!;
    const k = rng.int(0, n);
    const dtype: DT = c % 3 === 2 ? "int32" : "float32";
    const values = randomValues(rng, shape.reduce((a, b) => a * b, 1), dtype);
    const x = makeArray(values, shape, dtype);
    // JAX's rule: largest first, the lower index first among equals (a stable descending sort); NaN largest.
    const perms = refPermutations(values, shape, rank - 1, true);
    const expValues: number[] = [], expIdx: number[] = [];
    for (const { start, idx } of perms) for (const i of idx.slice(0, k)) { expValues.push(values[start + i]!); expIdx.push(i); }
    const outShape = [...shape.slice(0, -1), k];
    const mode = MODES[c % MODES.length]!;
    const [v, i] = runMode(mode, (x) => lax.topK(x, k), [x]);
    expectSameValues(v, expValues, outShape, dtype, `topK values (${mode})`);
    expectSameValues(i, expIdx, outShape, "int32", `topK indices (${mode})`);
  });
});

describe("lax.sort with several operands", () => {
  it("numKeys 2 sorts lexicographically and carries a payload; one operand returns an array", () => {
    const r = new Rng(3);
    const n = 200;
    const a = Array.from({ length: n }, () => r.int(0, 3)), b = randomValues(r, n, "float32"), c = Array.from({ length: n }, (_, i) => i * 10);
    const idx = Array.from({ length: n }, (_, i) => i).sort((i, j) => order(a[i]!, a[j]!) || order(b[i]!, b[j]!) || i - j);
    for (const mode of MODES) {
      const outs = runMode(mode, (x, y, z) => lax.sort([x, y, z], { numKeys: 2 }), [np.array(a, { dtype: "int32" }), np.array(b), np.array(c, { dtype: "int32" })]);
      expectSameValues(outs[0]!, idx.map((i) => a[i]!), [n], "int32", `key 0 (${mode})`);
      expectSameValues(outs[1]!, idx.map((i) => b[i]!), [n], "float32", `key 1 (${mode})`);
      expectSameValues(outs[2]!, idx.map((i) => c[i]!), [n], "int32", `payload (${mode})`);
    }
    const [k, v] = lax.sortKeyVal(np.array([2, 0, 2, 1]), np.array([10, 20, 30, 40]));
    expect([Array.from(k.dataSync()), Array.from(v.dataSync())]).toEqual([[0, 1, 2, 2], [20, 40, 10, 30]]);
    const single = lax.sort(np.array([[3, 1], [0, -1]]), { dimension: 0 });
    expect(Array.from(single.dataSync())).toEqual([0, -1, 3, 1]);
  });
});

describe("np.searchsorted vs a linear-scan reference", () => {
  const count = (a: readonly number[], v: number, side: "left" | "right") => a.filter((x) => (side === "left" ? order(x, v) < 0 : order(x, v) <= 0)).length;
  const rng = new Rng(5);
  it.each(Array.from({ length: 12 }, (_, c) => c))("case %i", (c) => {
    const n = rng.pick([0, 1, 2, 5, 16, 17, 100]);
    const dtype: DT = c % 4 === 3 ? "int32" : "float32";
    const a = randomValues(rng, n, dtype).sort(order);
    const vShape = rng.pick([[], [4], [2, 3]]);
    const v = randomValues(rng, vShape.reduce((x, y) => x * y, 1), dtype);
    const mode = MODES[c % MODES.length]!;
    for (const side of ["left", "right"] as const) {
      const A = np.array(a, { dtype }), V = vShape.length ? makeArray(v, vShape, dtype) : np.array(v[0]!, { dtype });
      const got = runMode(mode, (A, V) => np.searchsorted(A, V, { side }), [A, V]);
      expectSameValues(got, v.map((x) => count(a, x, side)), vShape, "int32", `${side} n=${n} (${mode})`);
    }
  });

  it("promotes like JAX: an int32 array and float queries, bool arrays, JS numbers", () => {
    const a = np.array([1, 2, 2, 5], { dtype: "int32" });
    expect(Array.from(np.searchsorted(a, np.array([1.5, 2, 2.5, 6])).dataSync())).toEqual([1, 1, 3, 4]);
    expect(np.searchsorted(a, 2, { side: "right" }).item()).toBe(3);
    expect(Array.from(np.searchsorted(np.array([false, false, true]), np.array([true, false])).dataSync())).toEqual([2, 0]);
    expect(Array.from(np.searchsorted(np.array([1, 4000000000], { dtype: "uint32" }), np.array([3000000000, 0], { dtype: "uint32" })).dataSync())).toEqual([1, 0]);
  });
});

describe("errors", () => {
  const x = np.array([[1, 2], [3, 4]]);
  const err = (f: () => unknown): Error => {
    try { f(); } catch (e) { return e as Error; }
    throw new Error("no error");
  };

  it("bad axes name the function, the axis and the rank", () => {
    for (const [f, name] of [[() => np.sort(x, 2), "np.sort"], [() => np.argsort(x, -3), "np.argsort"], [() => lax.sort(x, { dimension: 5 }), "lax.sort"]] as const) {
      const e = err(f);
      expect(e).toBeInstanceOf(ShapeError);
      expect(e.message).toContain(name);
      expect(e.message).toMatch(/axis -?\d is out of bounds for array of dimension 2/);
    }
    const e = err(() => np.sort(np.array(1)));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toMatch(/axis -1 is out of bounds for array of dimension 0/);
    expect(err(() => np.sort(x, 0.5))).toBeInstanceOf(ShapeError);
    expect(err(() => jit((x: NDArray) => np.sort(x, 3))(x)).message).toContain("np.sort: axis 3");
  });

  it("topK: k larger than the axis, negative or fractional; rank 0", () => {
    expect(err(() => lax.topK(x, 3))).toBeInstanceOf(ShapeError);
    expect(err(() => lax.topK(x, 3)).message).toMatch(/lax.topK: k = 3 is larger than the last axis of f32\[2,2\] \(size 2\)/);
    expect(err(() => lax.topK(x, -1)).message).toMatch(/lax.topK: k must be a non-negative integer, got -1/);
    expect(err(() => lax.topK(x, 1.5))).toBeInstanceOf(ArgumentError);
    expect(err(() => lax.topK(np.array(2), 1))).toBeInstanceOf(ShapeError);
    expect(err(() => jit((x: NDArray) => lax.topK(x, 9))(x))).toBeInstanceOf(ShapeError);
  });

  it("searchsorted: a not 1-D, a bad side", () => {
    const e = err(() => np.searchsorted(x, 1));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toMatch(/np.searchsorted: a must be a 1-D sorted array, got f32\[2,2\]/);
    expect(err(() => np.searchsorted(np.array(1), 1))).toBeInstanceOf(ShapeError);
    expect(err(() => np.searchsorted(np.array([1]), 1, { side: "middle" as "left" })).message).toMatch(/side must be "left" or "right", got "middle"/);
  });

  it("lax.sort: numKeys out of range, mismatched shapes, no operands; unknown options", () => {
    expect(err(() => lax.sort([x, x], { numKeys: 3 })).message).toMatch(/numKeys must be an integer between 1 and the number of operands \(2\), got 3/);
    expect(err(() => lax.sort([x, np.array([1, 2])]))).toBeInstanceOf(ShapeError);
    expect(err(() => lax.sort([]))).toBeInstanceOf(ArgumentError);
    expect(err(() => np.sort(x, -1, { decending: true } as never)).message).toMatch(/np.sort: unknown option 'decending'/);
  });

  it("every error says how to fix it", () => {
    const cases = [() => np.sort(x, 2), () => np.sort(np.array(1)), () => lax.topK(x, 3), () => lax.topK(x, -1), () => lax.topK(np.array(2), 1),
      () => np.searchsorted(x, 1), () => np.searchsorted(np.array([1]), 1, { side: "up" as "left" }), () => lax.sort([x, x], { numKeys: 0 }),
      () => lax.sort([]), () => np.argsort(x, 0, { descend: true } as never)];
    for (const f of cases) {
      const e = err(f) as Error & { fix?: string };
      expect(e.fix, e.message).toBeTruthy();
    }
  });
});

describe("build-time specialization (symbolic sizes)", () => {
  it("a prebuilt sort/argsort kernel serves any row count and length, equal to the traced one", async () => {
    const { LeafSpec, specialize } = await import("../../runtime/specialize/specialize.js");
    const fn = (x: NDArray) => [np.sort(x), np.argsort(x, 0, { descending: true })];
    const s = specialize({ fn, name: "f", params: ["x"], staticPositions: new Set(), args: [new LeafSpec("float32", ["r", "n"])] });
    if (!s.ok) throw new Error(s.reason);
    const code = s.entries[0]!.code;
    expect(code).toContain("rt.sortRows");
    const kernel = new Function(`return (${code});`)();
    const f = jit(fn, {}, { params: ["x"], prebuilt: [kernel] } as never), reference = jit(fn);
    const r = new Rng(12);
    for (const shape of [[1, 1], [3, 50], [40, 7]]) {
      const x = makeArray(randomValues(r, shape[0]! * shape[1]!, "float32"), shape, "float32");
      const [a, b] = f(x) as NDArray[], [c, d] = reference(x) as NDArray[];
      expect(Array.from(a!.dataSync())).toEqual(Array.from(c!.dataSync()));
      expect(Array.from(b!.dataSync())).toEqual(Array.from(d!.dataSync()));
    }
    expect(f.stats.traces).toBe(0);
    expect(f.stats.prebuiltHits).toBe(3);
  });
});
