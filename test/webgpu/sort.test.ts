// Sorting on webgpu (a bitonic sort of each row's permutation: workgroup-memory blocks of
// 512, device-memory stages for longer rows) against the float64 reference of
// test/helpers/sort-reference.ts: NaN, ±0, ties, int32/uint32/bool, descending, rows
// longer than one workgroup's block, sorts inside cond branches and loops (guarded
// kernels, operands at a loop-dependent offset), topK, lax.sort and searchsorted.

import { describe, expect, it } from "vitest";
import { jit, lax, np, type NDArray } from "tsjit";
import { webgpuAvailable } from "./setup.js";
import { expectSameData, makeArray, order, randomValues, refPermutations, refSort, type DT } from "../helpers/sort-reference.js";
import { Rng } from "../helpers/prng.js";

const gpu = <F extends (...a: never[]) => unknown>(f: F) => jit(f, { backend: "webgpu" });

describe.runIf(webgpuAvailable)("webgpu sorting vs a float64 reference", { timeout: 300_000 }, () => {
  it("random shapes, axes, dtypes and directions: sort and argsort", async () => {
    const rng = new Rng(41);
    for (let c = 0; c < 10; c++) {
      const rank = rng.int(1, 3);
      const shape = Array.from({ length: rank }, () => rng.pick([1, 2, 3, 5, 9]));
      const dtype = (["float32", "int32", "uint32", "bool", "float32"] as const)[c % 5]! as DT;
      const axis = rng.int(-rank, rank - 1), descending = c % 2 === 1;
      const values = randomValues(rng, shape.reduce((a, b) => a * b, 1), dtype);
      const { sorted, args } = refSort(values, shape, axis < 0 ? axis + rank : axis, descending);
      const [s, a] = gpu((x: NDArray) => [np.sort(x, axis, { descending }), np.argsort(x, axis, { descending })])(makeArray(values, shape, dtype));
      const what = `${dtype}[${shape}] axis ${axis} desc ${descending}`;
      await expectSameData(s!, sorted, shape, dtype, `sort ${what}`);
      await expectSameData(a!, args, shape, "int32", `argsort ${what}`);
    }
  });

  it("rows longer than one workgroup block (device-memory stages), several rows, ties and NaN", async () => {
    const rng = new Rng(42);
    for (const [shape, axis, descending] of [[[1500], 0, false], [[2, 700], 1, true], [[600, 2], 0, false]] as const) {
      const values = randomValues(rng, shape.reduce((a: number, b: number) => a * b, 1), "float32");
      const { sorted, args } = refSort(values, shape, axis, descending);
      const [s, a] = gpu((x: NDArray) => [np.sort(x, axis, { descending }), np.argsort(x, axis, { descending })])(makeArray(values, shape, "float32"));
      await expectSameData(s!, sorted, shape, "float32", `sort [${shape}]`);
      await expectSameData(a!, args, shape, "int32", `argsort [${shape}]`);
    }
  });

  it("topK, lax.sort with two keys and a payload, searchsorted", async () => {
    const rng = new Rng(43);
    const values = randomValues(rng, 3 * 40, "float32");
    const [v, i] = gpu((x: NDArray) => lax.topK(x, 5))(makeArray(values, [3, 40], "float32")) as NDArray[];
    const ev: number[] = [], ei: number[] = [];
    for (const { start, idx } of refPermutations(values, [3, 40], 1, true)) for (const j of idx.slice(0, 5)) { ev.push(values[start + j]!); ei.push(j); }
    await expectSameData(v!, ev, [3, 5], "float32", "topK values");
    await expectSameData(i!, ei, [3, 5], "int32", "topK indices");

    const n = 300;
    const k0 = Array.from({ length: n }, () => rng.int(0, 3)), k1 = randomValues(rng, n, "float32");
    const idx = Array.from({ length: n }, (_, j) => j).sort((p, q) => order(k0[p]!, k0[q]!) || order(k1[p]!, k1[q]!) || p - q);
    const outs = gpu((a: NDArray, b: NDArray, c: NDArray) => lax.sort([a, b, c], { numKeys: 2 }))(
      np.array(k0, { dtype: "int32" }), np.array(k1), np.arange(0, n, 1, { dtype: "int32" })) as NDArray[];
    await expectSameData(outs[1]!, idx.map((j) => k1[j]!), [n], "float32", "lax.sort key 1");
    await expectSameData(outs[2]!, idx, [n], "int32", "lax.sort payload");

    const a = [-3, -1, -1, 0, 2, 2, 2, 7, NaN];
    const q = [-5, -1, 0, 1.5, 2, 8, NaN, -0];
    for (const side of ["left", "right"] as const) {
      const got = gpu((a: NDArray, q: NDArray) => np.searchsorted(a, q, { side }))(np.array(a), np.array(q));
      const want = q.map((x) => a.filter((y) => (side === "left" ? order(y, x) < 0 : order(y, x) <= 0)).length);
      await expectSameData(got, want, [q.length], "int32", `searchsorted ${side}`);
    }
  });

  it("lax.sort with many operands (five keys, a payload): one gather kernel per result", async () => {
    const rng = new Rng(45);
    const n = 700;
    const cols = Array.from({ length: 5 }, () => Array.from({ length: n }, () => rng.int(0, 2)));
    const idx = Array.from({ length: n }, (_, j) => j).sort((p, q) => {
      for (const c of cols) if (c[p] !== c[q]) return c[p]! - c[q]!;
      return p - q;
    });
    const args = [...cols.map((c) => np.array(c, { dtype: "int32" })), np.arange(0, n, 1, { dtype: "int32" })];
    const outs = gpu((...xs: NDArray[]) => lax.sort(xs, { numKeys: 5 }))(...args) as NDArray[];
    for (let k = 0; k < 5; k++) await expectSameData(outs[k]!, idx.map((j) => cols[k]![j]!), [n], "int32", `key ${k}`);
    await expectSameData(outs[5]!, idx, [n], "int32", "payload");
  });

  it("float16 (shader-f16): sorted in f32 order, values moved as halves", async () => {
    const data = [3, -0, 1, NaN, 0, -2, 1, 65504, -Infinity, 0.5];
    const [s, i] = gpu((x: NDArray) => [np.sort(x), np.argsort(x, -1, { descending: true })])(np.array(data, { dtype: "float16" })) as NDArray[];
    const { sorted } = refSort(data, [data.length], 0, false), { args } = refSort(data, [data.length], 0, true);
    await expectSameData(s!, sorted, [data.length], "float16", "sort f16");
    await expectSameData(i!, args, [data.length], "int32", "argsort f16 descending");
  });

  it("inside cond branches and loops: guarded kernels, rows read at a loop-dependent offset", async () => {
    const rng = new Rng(44);
    const values = randomValues(rng, 4 * 30, "float32");
    const X = makeArray(values, [4, 30], "float32");
    const { sorted } = refSort(values, [4, 30], 1, false);
    await expectSameData(gpu((xs: NDArray) => lax.map((r: NDArray) => np.sort(r), xs))(X) as NDArray, sorted, [4, 30], "float32", "lax.map(np.sort)");
    const f = gpu((x: NDArray, p: NDArray) => lax.cond(p, (x: NDArray) => np.sort(x, 1), (x: NDArray) => np.negative(x), x));
    await expectSameData(f(X, np.array(true)) as NDArray, sorted, [4, 30], "float32", "cond: sort branch");
    await expectSameData(f(X, np.array(false)) as NDArray, values.map((v) => -v), [4, 30], "float32", "cond: other branch");
  });

  it("eagerly, on an array that lives on the device", async () => {
    const onGpu = gpu((x: NDArray) => x.mul(1))(np.array([2, NaN, -1, 2, -0, 0]));
    const [v, i] = lax.topK(onGpu, 4);
    await expectSameData(np.sort(onGpu, -1, { descending: true }), [NaN, 2, 2, -0, 0, -1], [6], "float32", "eager sort");
    await expectSameData(v, [NaN, 2, 2, -0], [4], "float32", "eager topK values");
    await expectSameData(i, [1, 0, 3, 4], [4], "int32", "eager topK indices");
    await expectSameData(np.searchsorted(np.sort(onGpu), np.array([0, 3])), [1, 5], [2], "int32", "eager searchsorted");
  });

  it("prints its plan: one block kernel, device stages only for long rows", () => {
    const short = gpu((x: NDArray) => np.sort(x)).lower(np.zeros([4, 100])).asText("wgsl");
    expect(short.match(/\/\/ kernel \d+: sort/g)?.length).toBe(2);
    const long = gpu((x: NDArray) => np.sort(x)).lower(np.zeros([2048])).asText("wgsl");
    // P = 2048, blocks of 512: stages (k, j) = (1024, 512), (2048, 1024), (2048, 512) in device memory.
    expect(long.match(/in device memory/g)?.length).toBe(3);
    expect(long.match(/in workgroup memory/g)?.length).toBe(3);
  });
});
