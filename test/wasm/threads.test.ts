// Worker threads over one shared memory (runtime/backend/wasm/threads.ts): the matmul
// split by rows across threads gives the single-thread result bit for bit; row splitting;
// errors in a worker surface in the caller; thread-count settings are checked.

import { afterAll, describe, expect, it } from "vitest";
import { contiguousStrides, DEFAULT_TUNING, MatmulRunner, type MatmulSpec } from "../../runtime/backend/wasm/matmul.js";
import { wasmApi } from "../../runtime/backend/wasm/api.js";
import { jit, np, setThreads as setBackendThreads, type BackendName, type NDArray } from "tsjit";
import { getThreads, setThreads, splitRows, ThreadPool } from "../../runtime/backend/wasm/threads.js";

const pools: ThreadPool[] = [];
afterAll(() => pools.forEach((p) => p.close()));

function inputs(spec: MatmulSpec, seed: number): [Float32Array, Float32Array] {
  let s = seed;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296) - 0.5;
  return [Float32Array.from({ length: spec.batch * spec.m * spec.k }, next), Float32Array.from({ length: spec.batch * spec.k * spec.n }, next)];
}

describe("wasm threads", () => {
  it("splits rows into contiguous ranges that cover [0, m) once, in multiples of the tile", () => {
    expect(splitRows(100, 2, 4)).toEqual([[0, 52], [52, 100]]);
    expect(splitRows(3, 4, 4)).toEqual([[0, 3]]);
    expect(splitRows(0, 2, 4)).toEqual([[0, 0]]);
    for (const [m, parts] of [[1, 2], [17, 3], [1024, 2], [5, 8]] as const) {
      const r = splitRows(m, parts, 4);
      expect(r[0]![0]).toBe(0);
      expect(r[r.length - 1]![1]).toBe(m);
      for (let i = 1; i < r.length; i++) expect(r[i]![0]).toBe(r[i - 1]![1]);
      expect(r.length).toBeLessThanOrEqual(parts);
    }
  });

  it("a matmul on 2 and 3 threads equals the single-thread result exactly (batches, transposes, tails)", async () => {
    for (const threads of [2, 3]) {
      for (const spec of [
        { dtype: "float32", batch: 1, m: 131, n: 67, k: 300, a: contiguousStrides(131, 300), b: contiguousStrides(300, 67) },
        { dtype: "float32", batch: 3, m: 9, n: 20, k: 17, a: contiguousStrides(9, 17, true), b: contiguousStrides(17, 20, true) },
        { dtype: "int32", batch: 2, m: 7, n: 5, k: 3, a: contiguousStrides(7, 3), b: contiguousStrides(3, 5) },
      ] satisfies MatmulSpec[]) {
        const [a, b] = inputs(spec, threads);
        const ints = spec.dtype === "int32";
        const A = ints ? Int32Array.from(a, (x) => Math.round(x * 100)) : a;
        const B = ints ? Int32Array.from(b, (x) => Math.round(x * 100)) : b;
        const single = new MatmulRunner(spec, A.length, B.length).run(A, B);
        const runner = new MatmulRunner(spec, A.length, B.length, DEFAULT_TUNING, threads);
        const pool = ThreadPool.create(runner.memory, threads);
        expect(pool, "worker_threads and SharedArrayBuffer exist in Node").toBeDefined();
        pools.push(pool!);
        runner.useThreads(pool!);
        expect(Array.from(runner.run(A, B))).toEqual(Array.from(single));
        expect(Array.from(runner.run(A, B))).toEqual(Array.from(single)); // again: workers reuse their instances
      }
    }
  });

  it("a trap in a worker becomes an error in the caller, and the pool keeps working", async () => {
    const spec: MatmulSpec = { dtype: "float32", batch: 1, m: 8, n: 8, k: 8, a: contiguousStrides(8, 8), b: contiguousStrides(8, 8) };
    const runner = new MatmulRunner(spec, 64, 64, DEFAULT_TUNING, 2);
    const pool = (ThreadPool.create(runner.memory, 2))!;
    pools.push(pool);
    runner.useThreads(pool);
    const [a, b] = inputs(spec, 5);
    const expected = Array.from(new MatmulRunner(spec, 64, 64).run(a, b));
    const id = pool.register(new wasmApi!.Module(runner.bytes), "matmul");
    // The worker's part reads A out of bounds (address 2³⁰ in a memory of a few pages).
    expect(() => pool.run(id, [[64, 512, 1024, 4096, 0, 0], [2 ** 30, 512, 1024, 8192, 0, 8]])).toThrow(/worker thread.*(out of bounds|RuntimeError)/s);
    expect(Array.from(runner.run(a, b))).toEqual(expected);
  });

  it("one thread asked for, or an unshared memory: no pool (kernels run on the calling thread)", async () => {
    const unshared = new wasmApi!.Memory({ initial: 1, maximum: 1 });
    expect(ThreadPool.create(unshared, 2)).toBeUndefined();
    const shared = new wasmApi!.Memory({ initial: 1, maximum: 1, shared: true });
    expect(ThreadPool.create(shared, 1)).toBeUndefined();
  });

  it("thread counts: TSJIT_THREADS and setThreads, bad values named with a fix", () => {
    const saved = process.env.TSJIT_THREADS;
    try {
      delete process.env.TSJIT_THREADS;
      expect(getThreads()).toBe(1);
      process.env.TSJIT_THREADS = "2";
      expect(getThreads()).toBe(2);
      process.env.TSJIT_THREADS = "two";
      expect(() => getThreads()).toThrow(/TSJIT_THREADS="two" is not a thread count.*unset it/);
      expect(() => setThreads(0)).toThrow(/setThreads\(n\): n must be an integer in \[1, 64\], got 0/);
      expect(() => setThreads(1.5)).toThrow(/got 1.5/);
      setThreads(3);
      expect(getThreads()).toBe(3);
    } finally {
      setThreads(1);
      if (saved === undefined) delete process.env.TSJIT_THREADS;
      else process.env.TSJIT_THREADS = saved;
    }
  });
});

describe("wasm backend: matmul steps on worker threads", () => {
  it("with setThreads(2), a large float32 matmul goes to the pool and equals the inline kernel bit for bit", () => {
    const n = 136; // 136³ > PARALLEL_MIN_MACS; not a multiple of the 4×8 tile in rows per thread
    let s = 9;
    const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296) - 0.5;
    const A = np.array(Float32Array.from({ length: n * (n + 3) }, next)).reshape([n, n + 3]);
    const B = np.array(Float32Array.from({ length: (n + 3) * (n - 5) }, next)).reshape([n + 3, n - 5]);
    setBackendThreads(1);
    const inline = jit((a: NDArray, b: NDArray) => np.matmul(a, b), { backend: "wasm" as BackendName });
    // Inline: the packed kernel's broadcasts are in the program's module.
    expect(inline.lower(A, B).asText("wasm")).toContain("v128.load32_splat");
    const want = Array.from(inline(A, B).dataSync());
    try {
      setBackendThreads(2);
      const threaded = jit((a: NDArray, b: NDArray) => np.tanh(np.matmul(a, b)).mul(1), { backend: "wasm" as BackendName });
      // Threaded: the kernel lives in a module of its own; the program calls the host.
      expect(threaded.lower(A, B).asText("wasm")).not.toContain("v128.load32_splat");
      const plain = jit((a: NDArray, b: NDArray) => np.matmul(a, b), { backend: "wasm" as BackendName });
      expect(Array.from(plain(A, B).dataSync())).toEqual(want);
      expect(Array.from(plain(A, B).dataSync())).toEqual(want); // the pool again
      const t = threaded(A, B).dataSync();
      for (let i = 0; i < want.length; i += 97) expect(t[i]).toBeCloseTo(Math.tanh(want[i]!), 6);
    } finally {
      setBackendThreads(1);
    }
  });
});
