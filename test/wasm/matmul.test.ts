// The wasm matmul kernel (runtime/backend/wasm/matmul.ts) against a float64 reference:
// every element must be within the float32 rounding bound of a K-term dot product,
// (K + 2)·2⁻²⁴·Σ|a·b|. Shapes cover the tile edges (rows and columns that are not
// multiples of the 4×8 tile, K not a multiple of the K block), vectors, K = 1, batches,
// transposed and otherwise strided operands, empty dimensions and the int32 path.

import { describe, expect, it } from "vitest";
import { contiguousStrides, DEFAULT_TUNING, emitMatmul, emitMatmulInto, matmulScratchBytes, MatmulRunner, type MatmulSpec, type MatmulStrides, type MatmulTuning } from "../../runtime/backend/wasm/matmul.js";
import { FunctionBuilder, ModuleBuilder } from "../../runtime/backend/wasm/encoder.js";
import { wasmApi } from "../../runtime/backend/wasm/api.js";
import { jit, np, type BackendName, type NDArray } from "tsjit";
import { rng } from "../../bench/data.js";

interface Case {
  batch: number;
  m: number;
  k: number;
  n: number;
  transA?: boolean;
  transB?: boolean;
}

/** Strides of a contiguous [batch, rows, cols] operand, read transposed when asked. */
function layout(rows: number, cols: number, trans: boolean | undefined): MatmulStrides {
  // Stored as [batch, cols, rows] when transposed: the product reads element (r, c) at c·rows + r.
  return contiguousStrides(rows, cols, trans);
}

function reference(spec: MatmulSpec, a: ArrayLike<number>, b: ArrayLike<number>): { value: Float64Array; bound: Float64Array } {
  const { batch, m, n, k } = spec;
  const value = new Float64Array(batch * m * n);
  const bound = new Float64Array(batch * m * n);
  for (let q = 0; q < batch; q++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        let abs = 0;
        for (let p = 0; p < k; p++) {
          const x = a[q * spec.a.batch + i * spec.a.row + p * spec.a.col]! * b[q * spec.b.batch + p * spec.b.row + j * spec.b.col]!;
          s += x;
          abs += Math.abs(x);
        }
        value[(q * m + i) * n + j] = s;
        bound[(q * m + i) * n + j] = (k + 2) * 2 ** -24 * abs;
      }
    }
  }
  return { value, bound };
}

function specOf(c: Case, dtype: "float32" | "int32" = "float32"): MatmulSpec {
  return { dtype, batch: c.batch, m: c.m, n: c.n, k: c.k, a: layout(c.m, c.k, c.transA), b: layout(c.k, c.n, c.transB) };
}

function check(c: Case, tuning: MatmulTuning = DEFAULT_TUNING, seed = 1): void {
  const spec = specOf(c);
  const r = rng(seed);
  const a = Float32Array.from({ length: c.batch * c.m * c.k }, () => r() * 2 - 1);
  const b = Float32Array.from({ length: c.batch * c.k * c.n }, () => r() * 2 - 1);
  const got = new MatmulRunner(spec, a.length, b.length, tuning).run(a, b);
  const { value, bound } = reference(spec, a, b);
  expect(got.length).toBe(value.length);
  for (let i = 0; i < value.length; i++) {
    const err = Math.abs(got[i]! - value[i]!);
    if (!(err <= bound[i]!)) {
      throw new Error(`${JSON.stringify(c)} ${JSON.stringify(tuning)}: element ${i} is ${got[i]}, float64 reference ${value[i]} (error ${err} > bound ${bound[i]})`);
    }
  }
}

describe("wasm matmul: float32 against a float64 reference", () => {
  it("square sizes on and off the tile", () => {
    for (const n of [1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 31, 33, 64]) check({ batch: 1, m: n, k: n, n });
  });

  it("odd rectangular sizes, rows and columns not multiples of the tile", () => {
    check({ batch: 1, m: 7, k: 5, n: 9 });
    check({ batch: 1, m: 13, k: 300, n: 21 });
    check({ batch: 1, m: 6, k: 513, n: 1030 }); // K past a K block, N past an N block
    check({ batch: 1, m: 37, k: 29, n: 3 });
  });

  it("vectors and K = 1: 1×N, N×1, outer products", () => {
    check({ batch: 1, m: 1, k: 40, n: 70 }); // row vector · matrix
    check({ batch: 1, m: 70, k: 40, n: 1 }); // matrix · column vector
    check({ batch: 1, m: 1, k: 300, n: 1 }); // dot product
    check({ batch: 1, m: 23, k: 1, n: 19 }); // outer product
    check({ batch: 1, m: 1, k: 1, n: 1 });
  });

  it("batches", () => {
    check({ batch: 3, m: 5, k: 7, n: 9 });
    check({ batch: 4, m: 17, k: 33, n: 12 });
    check({ batch: 2, m: 1, k: 260, n: 515 });
  });

  it("transposed operands", () => {
    for (const [transA, transB] of [[true, false], [false, true], [true, true]] as const) {
      check({ batch: 1, m: 13, k: 29, n: 11, transA, transB });
      check({ batch: 2, m: 9, k: 270, n: 19, transA, transB });
      check({ batch: 1, m: 1, k: 8, n: 30, transA, transB });
    }
  });

  it("non-contiguous strides (a column slice of a wider matrix, a broadcast batch)", () => {
    // A: columns 0..k of a 10-wide row-major matrix; B: one matrix shared by every batch.
    const m = 6, k = 7, n = 13, batch = 3;
    const spec: MatmulSpec = { dtype: "float32", batch, m, n, k, a: { batch: m * 10, row: 10, col: 1 }, b: { batch: 0, row: n, col: 1 } };
    const r = rng(7);
    const a = Float32Array.from({ length: batch * m * 10 }, () => r() - 0.5);
    const b = Float32Array.from({ length: k * n }, () => r() - 0.5);
    const got = new MatmulRunner(spec, a.length, b.length).run(a, b);
    const { value, bound } = reference(spec, a, b);
    for (let i = 0; i < value.length; i++) expect(Math.abs(got[i]! - value[i]!)).toBeLessThanOrEqual(bound[i]!);
  });

  it("every tile shape and blocking is correct, not just the default", () => {
    const tunings: MatmulTuning[] = [
      { mr: 6, nr: 8, kc: 16, nc: 16, unroll: 4 },
      { mr: 5, nr: 8, kc: 7, nc: 24, unroll: 2 },
      { mr: 3, nr: 16, kc: 32, nc: 32, unroll: 3 },
      { mr: 1, nr: 4, kc: 5, nc: 8, unroll: 1 },
    ];
    for (const t of tunings) {
      check({ batch: 2, m: 19, k: 41, n: 37 }, t);
      check({ batch: 1, m: 11, k: 9, n: 5, transA: true, transB: true }, t);
    }
  });

  it("a row range computes exactly those rows (threads split rows this way)", () => {
    const c: Case = { batch: 2, m: 23, k: 40, n: 17 };
    const spec = specOf(c);
    const r = rng(3);
    const a = Float32Array.from({ length: c.batch * c.m * c.k }, () => r() - 0.5);
    const b = Float32Array.from({ length: c.batch * c.k * c.n }, () => r() - 0.5);
    const runner = new MatmulRunner(spec, a.length, b.length);
    const whole = runner.run(a, b);
    // Rows 5..14 only: the others keep what the previous call left (the whole product),
    // so first poison C by a run over rows [0, 23) of zeroed inputs, then run the range.
    runner.run(new Float32Array(a.length), b);
    const part = runner.run(a, b, 5, 14);
    for (let q = 0; q < c.batch; q++) {
      for (let i = 0; i < c.m; i++) {
        for (let j = 0; j < c.n; j++) {
          const e = (q * c.m + i) * c.n + j;
          expect(part[e]).toBe(i >= 5 && i < 14 ? whole[e] : 0);
        }
      }
    }
  });

  it("empty dimensions: K = 0 gives zeros, M/N/batch = 0 give an empty product", () => {
    const spec = specOf({ batch: 2, m: 3, k: 0, n: 4 });
    const runner = new MatmulRunner(spec, 0, 0);
    // Poison the output area first through the memory, then expect zeros.
    new Float32Array(runner.memory.buffer as ArrayBuffer).fill(NaN, 64 / 4);
    expect(Array.from(runner.run([], []))).toEqual(new Array(24).fill(0));
    for (const c of [{ batch: 1, m: 0, k: 5, n: 4 }, { batch: 1, m: 3, k: 5, n: 0 }, { batch: 0, m: 3, k: 5, n: 4 }]) {
      const s = specOf(c);
      expect(new MatmulRunner(s, c.batch * c.m * c.k, c.batch * c.k * c.n).run(new Float32Array(c.batch * c.m * c.k), new Float32Array(c.batch * c.k * c.n))).toHaveLength(0);
    }
  });

  it("special values propagate (NaN, ±Infinity) like a plain dot product", () => {
    const spec = specOf({ batch: 1, m: 5, k: 3, n: 9 });
    const a = new Float32Array(15).fill(1);
    const b = new Float32Array(27).fill(1);
    a[0] = NaN; // row 0 → NaN everywhere
    b[4] = Infinity; // column 4 → +Infinity in rows 1..4
    const got = new MatmulRunner(spec, 15, 27).run(a, b);
    for (let j = 0; j < 9; j++) expect(got[j]).toBeNaN();
    for (let i = 1; i < 5; i++) for (let j = 0; j < 9; j++) expect(got[i * 9 + j]).toBe(j === 4 ? Infinity : 3);
  });
});

describe("wasm matmul: inline with the whole row range (only the m mod 4 row tail is emitted)", () => {
  it("every row tail, against the runner's result", () => {
    for (const m of [4, 5, 6, 7, 8, 9, 10, 11, 13]) {
      const spec = specOf({ batch: 2, m, k: 19, n: 21 });
      const r = rng(m);
      const a = Float32Array.from({ length: 2 * m * 19 }, () => r() - 0.5);
      const b = Float32Array.from({ length: 2 * 19 * 21 }, () => r() - 0.5);
      const want = new MatmulRunner(spec, a.length, b.length).run(a, b);
      const mod = new ModuleBuilder();
      mod.importMemory("env", "memory", { initial: 1 });
      const f = new FunctionBuilder(["i32", "i32", "i32", "i32"], []);
      emitMatmulInto(f, spec, { a: () => f.get(0), b: () => f.get(1), c: () => f.get(2), scratch: () => f.get(3) });
      mod.addFunction(f, "mm");
      const api = wasmApi!;
      const memory = new api.Memory({ initial: 1 });
      const run = new api.Instance(new api.Module(mod.encode()), { env: { memory } }).exports.mm as (a: number, b: number, c: number, s: number) => void;
      const f32 = new Float32Array(memory.buffer as ArrayBuffer);
      f32.set(a, 0);
      f32.set(b, 1024);
      run(0, 4096, 8192, 16384);
      expect(Array.from(f32.subarray(2048, 2048 + want.length))).toEqual(Array.from(want));
    }
  });
});

describe("wasm matmul: int32", () => {
  it("is exact, including wrap-around on overflow, transposes and batches", () => {
    const c: Case = { batch: 2, m: 7, k: 11, n: 5, transB: true };
    const spec = specOf(c, "int32");
    const r = rng(11);
    const a = Int32Array.from({ length: c.batch * c.m * c.k }, () => Math.floor(r() * 2001) - 1000);
    const b = Int32Array.from({ length: c.batch * c.k * c.n }, () => Math.floor(r() * 2001) - 1000);
    a[0] = 2 ** 31 - 1; // overflows: int32 wraps
    const got = new MatmulRunner(spec, a.length, b.length).run(a, b);
    for (let q = 0; q < c.batch; q++) {
      for (let i = 0; i < c.m; i++) {
        for (let j = 0; j < c.n; j++) {
          let s = 0;
          for (let p = 0; p < c.k; p++) s = (s + Math.imul(a[q * spec.a.batch + i * spec.a.row + p * spec.a.col]!, b[q * spec.b.batch + p * spec.b.row + j * spec.b.col]!)) | 0;
          expect(got[(q * c.m + i) * c.n + j]).toBe(s);
        }
      }
    }
  });
});

describe("wasm matmul: the emitted module", () => {
  it("validates, into a module with other functions and a shared memory", () => {
    const mod = new ModuleBuilder();
    mod.importMemory("env", "memory", { initial: 1, maximum: 16, shared: true });
    const spec = specOf({ batch: 1, m: 9, k: 10, n: 11 });
    emitMatmul(mod, specOf({ batch: 1, m: 3, k: 2, n: 5 }, "int32"), DEFAULT_TUNING, "mmInt");
    expect(emitMatmul(mod, spec, DEFAULT_TUNING, "mm")).toBe(1);
    expect(wasmApi!.validate(mod.encode())).toBe(true);
    expect(matmulScratchBytes(spec) % 16).toBe(0);
  });

  it("rejects sizes, strides and tunings that are not well formed, naming them", () => {
    const mod = new ModuleBuilder();
    expect(() => emitMatmul(mod, { ...specOf({ batch: 1, m: 2, k: 2, n: 2 }), m: -1 })).toThrow(/m = -1/);
    expect(() => emitMatmul(mod, { ...specOf({ batch: 1, m: 2, k: 2, n: 2 }), m: 2.5 })).toThrow(/m = 2.5/);
    expect(() => emitMatmul(mod, specOf({ batch: 1, m: 2, k: 2, n: 2 }), { ...DEFAULT_TUNING, nr: 6 })).toThrow(/tuning/);
  });
});

describe("wasm matmul through jit on the wasm backend", () => {
  const f64 = (x: ArrayLike<number>) => Float64Array.from(x);
  it("np.matmul (batched, transposed, with a fused epilogue) uses the packed kernel and matches float64", () => {
    const r = rng(21);
    const data = (n: number) => Float32Array.from({ length: n }, () => r() * 2 - 1);
    const cases: { k: number; a: number[]; b: number[]; f: (a: NDArray, b: NDArray) => NDArray; ref: (a: Float64Array, b: Float64Array) => Float64Array }[] = [];
    const mm = (a: Float64Array, b: Float64Array, batch: number, m: number, k: number, n: number, ta = false, tb = false) => {
      const c = new Float64Array(batch * m * n);
      for (let q = 0; q < batch; q++) for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[q * m * k + (ta ? p * m + i : i * k + p)]! * b[q * k * n + (tb ? j * k + p : p * n + j)]!;
        c[(q * m + i) * n + j] = s;
      }
      return c;
    };
    cases.push({ k: 53, a: [37, 53], b: [53, 29], f: (a, b) => np.matmul(a, b), ref: (a, b) => mm(a, b, 1, 37, 53, 29) });
    cases.push({ k: 300, a: [3, 9, 300], b: [3, 300, 17], f: (a, b) => np.matmul(a, b), ref: (a, b) => mm(a, b, 3, 9, 300, 17) });
    cases.push({ k: 40, a: [40, 12], b: [20, 40], f: (a, b) => np.matmul(a.T, b.T), ref: (a, b) => mm(a, b, 1, 12, 40, 20, true, true) });
    cases.push({
      k: 16, a: [8, 16], b: [16, 8], f: (a, b) => np.maximum(np.matmul(a, b).add(1), 0),
      ref: (a, b) => mm(a, b, 1, 8, 16, 8).map((x) => Math.max(x + 1, 0)),
    });
    for (const c of cases) {
      const da = data(c.a.reduce((x, y) => x * y, 1));
      const db = data(c.b.reduce((x, y) => x * y, 1));
      const fn = jit(c.f, { backend: "wasm" as BackendName });
      const A = np.array(da).reshape(c.a);
      const B = np.array(db).reshape(c.b);
      expect(fn.lower(A, B).asText("wasm")).toContain("v128.load32_splat");
      const got = fn(A, B).dataSync();
      const want = c.ref(f64(da), f64(db));
      expect(got.length).toBe(want.length);
      // |a|, |b| < 1: the float32 rounding bound (k + 2)·2⁻²⁴·Σ|a·b| is at most (k + 2)·2⁻²⁴·k (+1 ulp for the epilogue).
      for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThanOrEqual((c.k + 2) * 2 ** -24 * c.k + 1e-6);
    }
  });
});

describe("wasm matmul: hot loops out of line (V8 optimizes a wasm function only between its calls)", () => {
  /** The module text split into functions: index → body text. */
  const functions = (text: string): Map<number, string> => {
    const out = new Map<number, string>();
    const parts = text.split(/\n(?= {2}\(func \d+)/);
    for (const p of parts) {
      const m = /^ {2}\(func (\d+)/.exec(p);
      if (m) out.set(Number(m[1]), p);
    }
    return out;
  };

  it("the micro-kernel and the packing are functions of their own, which `run` calls in its loops", () => {
    const fn = jit((a: NDArray, b: NDArray) => np.matmul(a, b), { backend: "wasm" as BackendName });
    const text = fn.lower(np.ones([64, 96]), np.ones([96, 80])).asText("wasm");
    const funcs = functions(text);
    const run = [...funcs.values()].find((f) => f.includes("$run"))!;
    expect(run).toBeDefined();
    // No micro-kernel code inline in `run` ...
    expect(run).not.toContain("v128.load32_splat");
    expect(run).not.toContain("f32x4.mul");
    // ... but calls, inside its loops, to a function that has it.
    const called = [...run.matchAll(/call (\d+)/g)].map((m) => Number(m[1]));
    const kernel = called.find((i) => funcs.get(i)?.includes("v128.load32_splat"));
    expect(kernel).toBeDefined();
    expect(run.indexOf("loop")).toBeLessThan(run.indexOf(`call ${kernel}`));
    expect(called.some((i) => i !== kernel && funcs.has(i))).toBe(true); // the packing
    const A = np.array(Float32Array.from({ length: 64 * 96 }, (_, i) => (i % 7) - 3)).reshape([64, 96]);
    const B = np.array(Float32Array.from({ length: 96 * 80 }, (_, i) => (i % 5) - 2)).reshape([96, 80]);
    const got = fn(A, B).dataSync();
    const da = A.dataSync(), db = B.dataSync();
    for (const [i, j] of [[0, 0], [13, 77], [63, 79], [40, 3]] as const) {
      let s = 0;
      for (let p = 0; p < 96; p++) s += da[i * 96 + p]! * db[p * 80 + j]!;
      expect(got[i * 80 + j]).toBe(s);
    }
  });
});
