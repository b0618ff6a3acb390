// Every elementwise primitive, reduction and matmul form on webgpu against the cpu backend,
// including the edge values whose semantics WGSL does not give by itself (NaN in max/min
// and argmax, integer division by zero, saturating float→int, pow of negative bases).

import { describe, expect, it } from "vitest";
import { jit, np, type NDArray } from "tsjit";
import { webgpuAvailable } from "./setup.js";
import { expectSame } from "./compare.js";

type Fn = (...xs: NDArray[]) => NDArray;

async function both(name: string, fn: Fn, ...args: NDArray[]): Promise<void> {
  const cpu = jit(fn)(...args);
  const gpu = jit(fn, { backend: "webgpu" })(...args);
  await expectSame(gpu, cpu, name);
}

/** Runs a table of functions as one jitted program per backend (one compile each). */
async function table(fns: Record<string, Fn>, ...args: NDArray[]): Promise<void> {
  const names = Object.keys(fns);
  const all = (...xs: NDArray[]) => names.map((n) => fns[n]!(...xs)) as unknown as NDArray;
  const cpu = jit(all)(...args) as unknown as NDArray[];
  const gpu = jit(all, { backend: "webgpu" })(...args) as unknown as NDArray[];
  for (let i = 0; i < names.length; i++) await expectSame(gpu[i]!, cpu[i]!, names[i]!);
}

const FLOATS = [0, -0, 1, -1, 2.5, -3.75, 7, -0.5, 1e-3, 40, NaN, Infinity, -Infinity];
const INTS = [0, 1, -1, 2, -3, 7, -8, 100, 2147483647, -2147483648];

// Lavapipe compiles each shader with LLVM on the CPU: generous timeouts on a loaded machine.
describe.runIf(webgpuAvailable)("webgpu primitives vs cpu", { timeout: 120_000 }, () => {
  it("float unary functions, edge values included", async () => {
    const x = np.array(FLOATS);
    const small = np.array([-2, -0.75, -0.1, 0, 0.3, 1, 1.5, 3]);
    await table({
      neg: (a) => a.neg(), abs: (a) => a.abs(), exp: (a) => np.exp(a), log: (a) => np.log(a), sqrt: (a) => np.sqrt(a),
      tanh: (a) => np.tanh(a), sigmoid: (a) => np.sigmoid(a), floor: (a) => np.floor(a), ceil: (a) => np.ceil(a),
      round: (a) => np.round(a), sign: (a) => np.sign(a), isfinite: (a) => np.isfinite(a), isnan: (a) => np.isnan(a),
      square: (a) => np.square(a), reciprocal: (a) => np.reciprocal(a), toInt: (a) => a.astype("int32"), toBool: (a) => a.astype("bool"),
    }, x);
    await table({
      log1p: (a) => np.log1p(a), expm1: (a) => np.expm1(a), sin: (a) => np.sin(a), cos: (a) => np.cos(a), tan: (a) => np.tan(a),
      roundHalf: (a) => np.round(a.mul(2).add(0.5)),
    }, small);
  });

  it("float binary functions over a broadcast grid of edge values", async () => {
    const a = np.array(FLOATS).reshape(-1, 1), b = np.array([0, -0, 1, -2, 3, 0.5, -2.5, NaN, Infinity]);
    await table({
      add: (x, y) => x.add(y), sub: (x, y) => x.sub(y), mul: (x, y) => x.mul(y), div: (x, y) => x.div(y),
      mod: (x, y) => np.mod(x, y), floorDivide: (x, y) => np.floorDivide(x, y), max: (x, y) => np.maximum(x, y), min: (x, y) => np.minimum(x, y),
      pow: (x, y) => np.power(x, y), atan2: (x, y) => np.arctan2(x, y),
      gt: (x, y) => x.gt(y), ge: (x, y) => x.ge(y), lt: (x, y) => x.lt(y), le: (x, y) => x.le(y), eq: (x, y) => x.eq(y), ne: (x, y) => x.ne(y),
      where: (x, y) => np.where(x.gt(y), x, y),
    }, a, b);
  });

  it("int32 arithmetic: division and remainder by zero, wrap-around, powers", async () => {
    const a = np.array(INTS, { dtype: "int32" }).reshape(-1, 1), b = np.array([0, 1, -1, 2, -3, 5], { dtype: "int32" });
    await table({
      add: (x, y) => x.add(y), sub: (x, y) => x.sub(y), mul: (x, y) => x.mul(y), div: (x, y) => x.div(y),
      mod: (x, y) => np.mod(x, y), floorDivide: (x, y) => np.floorDivide(x, y), max: (x, y) => np.maximum(x, y),
      min: (x, y) => np.minimum(x, y), neg: (x) => x.neg(), abs: (x) => x.abs(),
      sign: (x) => np.sign(x), gt: (x, y) => x.gt(y), eq: (x, y) => x.eq(y), toFloat: (x) => x.astype("float32"), toBool: (x) => x.astype("bool"),
    }, a, b);
    // Powers within int32 range (beyond it the cpu backend rounds through float64 first).
    await both("pow", (x, y) => np.power(x, y), np.array([0, 1, -1, 2, -3, 7, -10], { dtype: "int32" }).reshape(-1, 1), np.array([0, 1, 2, 3, 5, 9, -1, -2], { dtype: "int32" }));
  });

  it("bool logic and conversions", async () => {
    const a = np.array([true, false, true, false]).reshape(-1, 1), b = np.array([true, false]);
    await table({
      and: (x, y) => np.logicalAnd(x, y), or: (x, y) => np.logicalOr(x, y), xor: (x, y) => np.logicalXor(x, y), not: (x) => np.logicalNot(x),
      eq: (x, y) => x.eq(y), toInt: (x) => x.astype("int32"), toFloat: (x) => x.astype("float32"), add: (x, y) => x.add(y),
    }, a, b);
  });

  it("reductions over every axis choice, serial and workgroup-tree plans", async () => {
    const x = np.sin(np.arange(2 * 3 * 70).reshape(2, 3, 70).astype("float32").mul(0.37));
    const fns: Record<string, Fn> = {};
    for (const axis of [null, 0, 1, 2, [0, 2], [1, 2], -1] as const) {
      const k = JSON.stringify(axis);
      fns[`sum ${k}`] = (a) => a.sum(axis as number);
      fns[`max ${k}`] = (a) => a.max(axis as number);
      fns[`min ${k}`] = (a) => a.min(axis as number);
      fns[`prod ${k}`] = (a) => a.add(1.5).prod(axis as number);
      fns[`mean ${k} keepdims`] = (a) => a.mean(axis as number, { keepdims: true });
      fns[`any ${k}`] = (a) => a.gt(0.9).any(axis as number);
      fns[`all ${k}`] = (a) => a.gt(-0.9).all(axis as number);
    }
    for (const axis of [null, 0, 1, 2]) {
      fns[`argmax ${axis}`] = (a) => a.argmax(axis);
      fns[`argmin ${axis}`] = (a) => a.argmin(axis);
    }
    await table(fns, x);
    await table({ isum: (a) => a.sum(), imax: (a) => a.max(0), iargmin: (a) => a.argmin(1) }, np.arange(300).reshape(3, 100).astype("int32").mul(7).mod(13));
  });

  it("long full reductions run in two passes (partials over many workgroups, then the epilogue)", async () => {
    const x = np.sin(np.arange(100_003).astype("float32").mul(0.001));
    const fns: Record<string, Fn> = {
      mean: (a) => a.mean(), min: (a) => a.sub(0.5).min(), any: (a) => a.gt(0.99999).any(),
      isum: (a) => a.mul(1000).astype("int32").sum(), normalized: (a) => a.sum().div(a.abs().max()),
    };
    expect(jit(fns.mean!).lower(x).asText("wgsl")).toContain("partial reductions");
    await table(fns, x);
  });

  it("argmax/argmin: first index on ties, first NaN wins, long rows (tree plan) and short ones", async () => {
    const ties = np.array([[3, 1, 3, 3], [2, 2, 2, 2], [NaN, 5, NaN, 9], [1, NaN, -Infinity, -Infinity]]);
    await table({ amax: (a) => a.argmax(1), amin: (a) => a.argmin(1), amax0: (a) => a.argmax(0) }, ties);
    const long = np.concatenate([np.zeros([1, 500]), np.ones([1, 500])], 1).reshape(1000);
    const withNaN = np.concatenate([np.zeros([300]), np.array([NaN]), np.zeros([200]), np.array([NaN])]);
    await table({ amax: (a) => a.argmax(), amin: (a) => a.argmin(), bmax: (a) => a.gt(0.5).argmax() }, long);
    await table({ amax: (a) => a.argmax(), amin: (a) => a.argmin() }, withNaN);
  });

  it("fused epilogues and prologues: softmax, mean/variance, a reduction of a broadcast expression", async () => {
    const x = np.cos(np.arange(6 * 130).reshape(6, 130).astype("float32").mul(0.01));
    await table({
      softmax: (a) => { const e = np.exp(a.sub(a.max(1, { keepdims: true }))); return e.div(e.sum(1, { keepdims: true })); },
      variance: (a) => { const m = a.mean(0); return a.sub(m).mul(a.sub(m)).mean(0); },
      logsumexp: (a) => np.log(np.exp(a).sum()),
      rowdot: (a) => a.slice(":", [0, 65]).mul(a.slice(":", [65, 130])).sum(1),
    }, x);
  });

  it("matmul: odd sizes, batches, transposed and strided operands, int32, vectors", async () => {
    const a = np.sin(np.arange(37 * 45).reshape(37, 45).astype("float32").mul(0.01));
    const b = np.cos(np.arange(45 * 33).reshape(45, 33).astype("float32").mul(0.02));
    await both("37x45 @ 45x33", (x, y) => np.matmul(x, y), a, b);
    await both("transposed operands", (x, y) => np.matmul(y.T, x.T), a, b);
    await both("strided slice", (x, y) => np.matmul(x.slice(":", [null, null, 2]), y.slice([null, null, 2], ":")), a, b);
    const bat = np.arange(3 * 5 * 7).reshape(3, 5, 7).astype("float32").mul(0.1);
    await both("batched", (x) => np.matmul(x, x.transpose([0, 2, 1])), bat);
    await both("vector @ matrix, matrix @ vector", (x, y) => np.matmul(np.matmul(x.slice(0), y), y.slice(0)), a, b);
    const ai = np.arange(20).reshape(4, 5).astype("int32"), bi = np.arange(15).reshape(5, 3).astype("int32");
    await both("int32", (x, y) => np.matmul(x, y), ai, bi);
    // Sizes in whole vec4s take the vec4 kernel (ragged edges of the 32×32 tiles included).
    const a4 = np.cos(np.arange(36 * 44).reshape(36, 44).astype("float32")), b4 = np.sin(np.arange(44 * 40).reshape(44, 40).astype("float32"));
    expect(jit((x: NDArray, y: NDArray) => np.matmul(x, y)).lower(a4, b4).asText("wgsl")).toContain("(vec4)");
    await both("vec4 36x44 @ 44x40", (x, y) => np.matmul(x, y), a4, b4);
    await both("vec4 batched, offset slices", (x) => np.matmul(x.slice([1, 3]), x.slice([0, 2])),
      np.arange(3 * 8 * 8).reshape(3, 8, 8).astype("float32").mul(0.1));
    await both("vec4 int32", (x, y) => np.matmul(x, y), np.arange(32).reshape(4, 8).astype("int32"), np.arange(64).reshape(8, 8).astype("int32"));
    await both("empty k", (x, y) => np.matmul(x, y), np.zeros([3, 0]), np.zeros([0, 4]));
    await both("mlp layer", (x, w) => np.tanh(np.matmul(x, w).add(1)).sum(1), a, b);
  });

  it("a fused expression over more arrays than WebGPU binds is split into kernels that fit", async () => {
    const xs = Array.from({ length: 12 }, (_, i) => np.sin(np.arange(6).astype("float32").add(i)));
    const f = (...a: NDArray[]) => a.reduce((acc, v, i) => (i % 2 ? acc.add(v.mul(i)) : acc.sub(np.tanh(v)))).add(a[0]!.sum());
    const kernels = jit(f).lower(...xs).asText("wgsl").split("// kernel ").slice(1);
    expect(kernels.length).toBeGreaterThan(1);
    for (const k of kernels) expect(k.match(/@binding/g)!.length).toBeLessThanOrEqual(8);
    await both("12 inputs", f, ...xs);
  });

  it("views: transpose, broadcast, strided slices, concatenation, iota", async () => {
    const x = np.arange(4 * 5 * 6).reshape(4, 5, 6).astype("float32");
    await table({
      t: (a) => a.transpose([2, 0, 1]).add(1),
      bc: (a) => a.slice(":", 0, ":").reshape(4, 1, 6).broadcastTo([4, 5, 6]).mul(a),
      strided: (a) => a.slice([null, null, 2], [1, 4], [null, null, 2]).exp().sum(2),
      cat: (a) => np.concatenate([a, a.mul(2)], 1),
      iota: (a) => np.arange(6).astype("float32").add(a),
      stack: (a) => np.stack([a.sum(0), a.max(0)]),
    }, x);
  });
});
