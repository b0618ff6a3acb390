// Programs every non-cpu backend runs against the cpu backend (test/webgpu, test/wasm):
// every elementwise primitive with its edge values, reductions, matmul forms, views, lax
// control flow, data-dependent indexing and random fused programs. Backend-specific
// checks (generated text, host syncs) stay in each backend's own tests.

import { lax, np, type NDArray } from "tsjit";
import type { BackendCompare, Fn } from "./backend-compare.js";
import { Rng } from "./prng.js";
import { describeProgram, programFn, randomProgram } from "./programs.js";

export interface BackendCase {
  readonly name: string;
  readonly run: (c: BackendCompare) => Promise<void>;
}

const FLOATS = [0, -0, 1, -1, 2.5, -3.75, 7, -0.5, 1e-3, 40, NaN, Infinity, -Infinity];
const INTS = [0, 1, -1, 2, -3, 7, -8, 100, 2147483647, -2147483648];
const i32 = (v: number | number[] | number[][]) => np.array(v as never, { dtype: "int32" });

export const primitiveCases: readonly BackendCase[] = [
  {
    name: "float unary functions, edge values included",
    async run({ table }) {
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
    },
  },
  {
    name: "float binary functions over a broadcast grid of edge values",
    async run({ table }) {
      const a = np.array(FLOATS).reshape(-1, 1), b = np.array([0, -0, 1, -2, 3, 0.5, -2.5, NaN, Infinity]);
      await table({
        add: (x, y) => x.add(y), sub: (x, y) => x.sub(y), mul: (x, y) => x.mul(y), div: (x, y) => x.div(y),
        mod: (x, y) => np.mod(x, y), floorDivide: (x, y) => np.floorDivide(x, y), max: (x, y) => np.maximum(x, y), min: (x, y) => np.minimum(x, y),
        pow: (x, y) => np.power(x, y), atan2: (x, y) => np.arctan2(x, y),
        gt: (x, y) => x.gt(y), ge: (x, y) => x.ge(y), lt: (x, y) => x.lt(y), le: (x, y) => x.le(y), eq: (x, y) => x.eq(y), ne: (x, y) => x.ne(y),
        where: (x, y) => np.where(x.gt(y), x, y),
      }, a, b);
    },
  },
  {
    name: "int32 arithmetic: division and remainder by zero, wrap-around, powers",
    async run({ table, both }) {
      const a = np.array(INTS, { dtype: "int32" }).reshape(-1, 1), b = np.array([0, 1, -1, 2, -3, 5], { dtype: "int32" });
      await table({
        add: (x, y) => x.add(y), sub: (x, y) => x.sub(y), mul: (x, y) => x.mul(y), div: (x, y) => x.div(y),
        mod: (x, y) => np.mod(x, y), floorDivide: (x, y) => np.floorDivide(x, y), max: (x, y) => np.maximum(x, y),
        min: (x, y) => np.minimum(x, y), neg: (x) => x.neg(), abs: (x) => x.abs(),
        sign: (x) => np.sign(x), gt: (x, y) => x.gt(y), eq: (x, y) => x.eq(y), toFloat: (x) => x.astype("float32"), toBool: (x) => x.astype("bool"),
      }, a, b);
      // Powers within int32 range (beyond it the cpu backend rounds through float64 first).
      await both("pow", (x: NDArray, y: NDArray) => np.power(x, y), np.array([0, 1, -1, 2, -3, 7, -10], { dtype: "int32" }).reshape(-1, 1), np.array([0, 1, 2, 3, 5, 9, -1, -2], { dtype: "int32" }));
    },
  },
  {
    name: "bool logic and conversions",
    async run({ table }) {
      const a = np.array([true, false, true, false]).reshape(-1, 1), b = np.array([true, false]);
      await table({
        and: (x, y) => np.logicalAnd(x, y), or: (x, y) => np.logicalOr(x, y), xor: (x, y) => np.logicalXor(x, y), not: (x) => np.logicalNot(x),
        eq: (x, y) => x.eq(y), toInt: (x) => x.astype("int32"), toFloat: (x) => x.astype("float32"), add: (x, y) => x.add(y),
      }, a, b);
    },
  },
  {
    name: "reductions over every axis choice",
    async run({ table }) {
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
    },
  },
  {
    name: "long full reductions",
    async run({ table }) {
      const x = np.sin(np.arange(100_003).astype("float32").mul(0.001));
      await table({
        mean: (a) => a.mean(), min: (a) => a.sub(0.5).min(), any: (a) => a.gt(0.99999).any(),
        isum: (a) => a.mul(1000).astype("int32").sum(), normalized: (a) => a.sum().div(a.abs().max()),
      }, x);
    },
  },
  {
    name: "argmax/argmin: first index on ties, first NaN wins, long rows and short ones",
    async run({ table }) {
      const ties = np.array([[3, 1, 3, 3], [2, 2, 2, 2], [NaN, 5, NaN, 9], [1, NaN, -Infinity, -Infinity]]);
      await table({ amax: (a) => a.argmax(1), amin: (a) => a.argmin(1), amax0: (a) => a.argmax(0) }, ties);
      const long = np.concatenate([np.zeros([1, 500]), np.ones([1, 500])], 1).reshape(1000);
      const withNaN = np.concatenate([np.zeros([300]), np.array([NaN]), np.zeros([200]), np.array([NaN])]);
      await table({ amax: (a) => a.argmax(), amin: (a) => a.argmin(), bmax: (a) => a.gt(0.5).argmax() }, long);
      await table({ amax: (a) => a.argmax(), amin: (a) => a.argmin() }, withNaN);
    },
  },
  {
    name: "fused epilogues and prologues: softmax, mean/variance, a reduction of a broadcast expression",
    async run({ table }) {
      const x = np.cos(np.arange(6 * 130).reshape(6, 130).astype("float32").mul(0.01));
      await table({
        softmax: (a) => { const e = np.exp(a.sub(a.max(1, { keepdims: true }))); return e.div(e.sum(1, { keepdims: true })); },
        variance: (a) => { const m = a.mean(0); return a.sub(m).mul(a.sub(m)).mean(0); },
        logsumexp: (a) => np.log(np.exp(a).sum()),
        rowdot: (a) => a.slice(":", [0, 65]).mul(a.slice(":", [65, 130])).sum(1),
      }, x);
    },
  },
  {
    name: "matmul: odd sizes, batches, transposed and strided operands, int32, vectors",
    async run({ both }) {
      const a = np.sin(np.arange(37 * 45).reshape(37, 45).astype("float32").mul(0.01));
      const b = np.cos(np.arange(45 * 33).reshape(45, 33).astype("float32").mul(0.02));
      const mm = (x: NDArray, y: NDArray) => np.matmul(x, y);
      await both("37x45 @ 45x33", mm, a, b);
      await both("transposed operands", (x: NDArray, y: NDArray) => np.matmul(y.T, x.T), a, b);
      await both("strided slice", (x: NDArray, y: NDArray) => np.matmul(x.slice(":", [null, null, 2]), y.slice([null, null, 2], ":")), a, b);
      const bat = np.arange(3 * 5 * 7).reshape(3, 5, 7).astype("float32").mul(0.1);
      await both("batched", (x: NDArray) => np.matmul(x, x.transpose([0, 2, 1])), bat);
      await both("vector @ matrix, matrix @ vector", (x: NDArray, y: NDArray) => np.matmul(np.matmul(x.slice(0), y), y.slice(0)), a, b);
      await both("int32", mm, np.arange(20).reshape(4, 5).astype("int32"), np.arange(15).reshape(5, 3).astype("int32"));
      const a4 = np.cos(np.arange(36 * 44).reshape(36, 44).astype("float32")), b4 = np.sin(np.arange(44 * 40).reshape(44, 40).astype("float32"));
      await both("36x44 @ 44x40", mm, a4, b4);
      await both("batched, offset slices", (x: NDArray) => np.matmul(x.slice([1, 3]), x.slice([0, 2])), np.arange(3 * 8 * 8).reshape(3, 8, 8).astype("float32").mul(0.1));
      await both("int32 8 wide", mm, np.arange(32).reshape(4, 8).astype("int32"), np.arange(64).reshape(8, 8).astype("int32"));
      await both("empty k", mm, np.zeros([3, 0]), np.zeros([0, 4]));
      await both("mlp layer", (x: NDArray, w: NDArray) => np.tanh(np.matmul(x, w).add(1)).sum(1), a, b);
    },
  },
  {
    name: "a fused expression over many arrays",
    async run({ both }) {
      const xs = Array.from({ length: 12 }, (_, i) => np.sin(np.arange(6).astype("float32").add(i)));
      const f = (...a: NDArray[]) => a.reduce((acc, v, i) => (i % 2 ? acc.add(v.mul(i)) : acc.sub(np.tanh(v)))).add(a[0]!.sum());
      await both("12 inputs", f, ...xs);
    },
  },
  {
    name: "views: transpose, broadcast, strided slices, concatenation, iota",
    async run({ table }) {
      const x = np.arange(4 * 5 * 6).reshape(4, 5, 6).astype("float32");
      await table({
        t: (a) => a.transpose([2, 0, 1]).add(1),
        bc: (a) => a.slice(":", 0, ":").reshape(4, 1, 6).broadcastTo([4, 5, 6]).mul(a),
        strided: (a) => a.slice([null, null, 2], [1, 4], [null, null, 2]).exp().sum(2),
        cat: (a) => np.concatenate([a, a.mul(2)], 1),
        iota: (a) => np.arange(6).astype("float32").add(a),
        stack: (a) => np.stack([a.sum(0), a.max(0)]),
      }, x);
    },
  },
];

export const controlCases: readonly BackendCase[] = [
  {
    name: "cond and switch, for every predicate value",
    async run({ both }) {
      const x = np.sin(np.arange(12).astype("float32")).reshape(3, 4);
      const f = (a: NDArray, p: NDArray) => lax.cond(p, (v: NDArray) => v.mul(2).sum(1), (v: NDArray) => v.sub(1).max(1), a);
      for (const p of [true, false]) await both(`cond ${p}`, f, x, np.array(p));
      const g = (a: NDArray, i: NDArray) =>
        lax.switch(i, [(v: NDArray) => v.add(1), (v: NDArray) => np.matmul(v, np.ones([4, 4])), (v: NDArray) => np.exp(v)], a);
      for (const i of [-1, 0, 1, 2, 3]) await both(`switch ${i}`, g, x, np.array(i, { dtype: "int32" }));
      const h = (a: NDArray, p: NDArray) =>
        lax.cond(p, (v: NDArray) => v.sum(), (v: NDArray) => lax.foriLoop(0, 3, (_i: NDArray, c: NDArray) => c.mul(2), v.max()), a);
      for (const p of [true, false]) await both(`cond with scalar results ${p}`, h, x, np.array(p));
    },
  },
  {
    name: "foriLoop and scan: carries, reverse, stacked outputs, the counter",
    async run({ both }) {
      const x = np.sin(np.arange(12).astype("float32")).reshape(3, 4);
      await both("foriLoop", (a: NDArray) => lax.foriLoop(0, 5, (i: NDArray, c: NDArray) => c.mul(0.9).add(i.astype("float32")), a), x);
      await both("foriLoop of a pair", (a: NDArray) => lax.foriLoop(1, 4, (i: NDArray, [c, s]: [NDArray, NDArray]): [NDArray, NDArray] => [np.tanh(c.add(s)), s.add(i)], [a, np.array(0.5)]), x);
      await both("scan", (a: NDArray) => lax.scan((c: NDArray, row: NDArray) => [c.add(row), c.mul(row).sum()] as const, np.zeros([4]), a), x);
      await both("scan reverse", (a: NDArray) => lax.scan((c: NDArray, row: NDArray) => [c.mul(2).add(row), c.max()] as const, np.zeros([4]), a, { reverse: true }), x);
      await both("map", (a: NDArray) => lax.map((row: NDArray) => np.exp(row).sum(), a), x);
      await both("scan with length 0", (a: NDArray) => lax.scan((c: NDArray, _r: NDArray) => [c.add(1), c] as const, a.slice(0), a.slice([0, 0])), x);
    },
  },
  {
    name: "whileLoop; traced foriLoop bounds; loops inside branches",
    async run({ both }) {
      const x = np.sin(np.arange(12).astype("float32")).reshape(3, 4);
      const w = (a: NDArray) => lax.whileLoop(([c]: [NDArray, NDArray]) => c.sum().lt(50), ([c, n]: [NDArray, NDArray]): [NDArray, NDArray] => [c.mul(1.5).add(1), n.add(1)], [a, np.array(0, { dtype: "int32" })]);
      await both("whileLoop", w, x);
      await both("zero iterations", (a: NDArray) => lax.whileLoop((c: NDArray) => c.sum().lt(-100), (c: NDArray) => c.add(1), a), x);
      await both("traced bounds", (a: NDArray, n: NDArray) => lax.foriLoop(0, n, (_i: NDArray, c: NDArray) => c.add(c.mean()), a), x, np.array(4, { dtype: "int32" }));
      const nested = (a: NDArray, p: NDArray) => lax.cond(p, (v: NDArray) => lax.whileLoop((c: NDArray) => c.sum().lt(100), (c: NDArray) => c.add(1), v), (v: NDArray) => v, a);
      for (const p of [true, false]) await both(`while in a branch ${p}`, nested, x, np.array(p));
      const counter = (n: NDArray, hi: NDArray) => lax.whileLoop(([c]: [NDArray, NDArray]) => c.lt(hi), ([c, v]: [NDArray, NDArray]): [NDArray, NDArray] => [c.add(1), v.mul(1.01)], [n, np.ones([3])]);
      for (const hi of [0, 5, 300]) await both(`while, ${hi} iterations`, counter, np.array(0, { dtype: "int32" }), np.array(hi, { dtype: "int32" }));
    },
  },
];

export const indexingCases: readonly BackendCase[] = [
  {
    name: "traced scalar indices and lax dynamic slices (clamped)",
    async run({ both }) {
      const x = np.sin(np.arange(60).astype("float32")).reshape([5, 12]);
      for (const i of [-7, -1, 0, 3, 9]) {
        await both(`x.slice(${i})`, (x: NDArray, i: NDArray) => x.slice(i).mul(2), x, i32(i));
        await both(`dynamicSlice ${i}`, (x: NDArray, i: NDArray) => lax.dynamicSlice(x, [i, i], [2, 5]).exp(), x, i32(i));
        await both(`dynamicUpdateSlice ${i}`, (x: NDArray, i: NDArray) => lax.dynamicUpdateSlice(x, np.ones([2, 3]), [i, np.multiply(i, 2)]), x, i32(i));
      }
      await both("foriLoop reading row i", (x: NDArray) => lax.foriLoop(0, 5, (i, acc: NDArray) => acc.add(x.slice(i)), np.zeros([12])), x);
    },
  },
  {
    name: "gathers: advanced indexing, take with fill, takeAlongAxis",
    async run({ both }) {
      const x = np.sin(np.arange(60).astype("float32")).reshape([5, 12]);
      const ids = i32([4, -1, 0, 2, 9]);
      await both("x[ids]", (x: NDArray, k: NDArray) => x.slice(k).mul(3).add(1), x, ids);
      await both("x[ids, ::2]", (x: NDArray, k: NDArray) => x.slice(k, [null, null, 2]), x, ids);
      await both("x[:, ids]", (x: NDArray, k: NDArray) => x.slice(":", k), x, ids);
      await both("x[[0,2], ids[:,None]]", (x: NDArray, k: NDArray) => x.slice(i32([0, 2]), k.reshape([5, 1])), x, ids);
      await both("take fill", (x: NDArray, k: NDArray) => np.take(x, k, { axis: 1, mode: "fill" }), x, i32([11, 12, -12, -13]));
      await both("takeAlongAxis", (x: NDArray, k: NDArray) => np.takeAlongAxis(x, k, 1), x, i32([[0], [11], [3], [-1], [5]]));
      await both("int gather", (x: NDArray, k: NDArray) => np.take(x, k), np.arange(10), i32([3, 3, -2, 40]));
    },
  },
  {
    name: "scatters: every mode, with duplicates and out-of-range rows, float and int32",
    async run({ both }) {
      const x = np.sin(np.arange(60).astype("float32")).reshape([5, 12]);
      const rows = i32([1, 3, 1, -1, 7, -9, 1]);
      const u = np.cos(np.arange(7 * 12).astype("float32")).reshape([7, 12]);
      for (const mode of ["set", "add", "multiply", "min", "max"] as const) {
        await both(`scatter ${mode}`, (x: NDArray, k: NDArray, u: NDArray) => x.at(k)[mode](u), x, rows, u);
        await both(`int scatter ${mode}`, (x: NDArray, k: NDArray, u: NDArray) => x.at(k)[mode](u), np.arange(60).reshape([5, 12]), rows, np.arange(84).reshape([7, 12]));
      }
      await both("scatter x.at(:, k)", (x: NDArray, k: NDArray, u: NDArray) => x.at(":", k).add(u), x, i32([3, 3, -1, 20]), np.ones([5, 4]));
      await both("scatter x.at(k, :, m)", (z: NDArray, k: NDArray, m: NDArray) => z.at(k, ":", m).max(np.arange(8).astype("float32").reshape([2, 4])),
        np.zeros([3, 4, 5]), i32([1, 1]), i32([2, 2]));
      const bins = i32(Array.from({ length: 300 }, (_, i) => (i * 7) % 10));
      await both("histogram", (h: NDArray, k: NDArray) => h.at(k).add(1), np.zeros([10], { dtype: "int32" }), bins);
    },
  },
];

/** Random fused programs (test/helpers/programs.ts), float and int, plain and mapped over a stacked batch. */
export const randomProgramCases: readonly BackendCase[] = [
  {
    name: "40 random programs (float and int)",
    async run({ both }) {
      for (let seed = 1; seed <= 40; seed++) {
        const p = randomProgram(new Rng(seed * 7919), seed % 2 ? "float" : "int");
        await both(`seed ${seed * 7919}\n${describeProgram(p)}`, programFn(p), ...p.inputs.map((i) => i.x));
      }
    },
  },
  {
    name: "8 random programs mapped over a stacked batch (scan bodies read and write through dynamic offsets)",
    async run({ both }) {
      for (let seed = 41; seed <= 48; seed++) {
        const p = randomProgram(new Rng(seed * 7919), seed % 2 ? "float" : "int");
        const stacked = p.inputs.map((i) => np.stack([i.x, i.x.mul(2).astype(i.x.dtype), i.x]));
        const body = programFn(p);
        const mapped = (...xs: NDArray[]) => lax.map((slices: NDArray[]) => body(...slices), xs) as unknown as NDArray;
        await both(`mapped seed ${seed * 7919}\n${describeProgram(p)}`, mapped, ...stacked);
      }
    },
  },
];

