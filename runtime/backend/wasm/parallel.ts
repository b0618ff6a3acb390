// Multi-threaded matmul steps of the wasm backend. When more than one thread is asked for
// (`setThreads(n)` / TSJIT_THREADS, see threads.ts) and the backend's memory is shared, a
// large float32 MatmulStep is compiled as a module of its own (the same kernel, emitted by
// `emitMatmul`, importing only the memory) and the program's `run` calls the host import
// `parallel_matmul(handle, a, b, c)`: the host splits the rows between the calling thread
// and the pool's workers, each with its own packing scratch. The pool is made on first use
// (synchronously; Node only) over the backend's memory; where it cannot be made, the same
// module runs on the calling thread.

import { wasmApi } from "./api.js";
import { ModuleBuilder } from "./encoder.js";
import { DEFAULT_TUNING, emitMatmul, matmulScratchBytes, type MatmulSpec } from "./matmul.js";
import { MAX_PAGES } from "./memory.js";
import { getThreads, splitRows, ThreadPool } from "./threads.js";
import { wasmArena } from "./index.js";

/** Below this many multiply-adds a matmul stays inline and single-threaded. */
export const PARALLEL_MIN_MACS = 1 << 21;

interface Job {
  readonly spec: MatmulSpec;
  readonly bytes: Uint8Array;
  readonly scratchBytes: number;
  /** Per pool: its function id, the threads' scratch (one block, `threads` parts) and their row ranges. */
  bound?: { pool: ThreadPool | undefined; id: number; scratch: number; local: (...xs: number[]) => void; parts: [number, number][] };
}

const jobs: Job[] = [];

/** Whether matmul steps of this size should be compiled for threads now. */
export function wantsThreads(spec: MatmulSpec, sharedMemory: boolean): boolean {
  return sharedMemory && getThreads() > 1 && spec.dtype === "float32" && spec.m >= 2 * DEFAULT_TUNING.mr && spec.batch * spec.m * spec.n * spec.k >= PARALLEL_MIN_MACS;
}

/** Compiles the stand-alone kernel for `spec`; the handle `parallel_matmul` takes. */
export function registerParallelMatmul(spec: MatmulSpec): number {
  const mod = new ModuleBuilder();
  mod.importMemory("env", "memory", { initial: 0, maximum: MAX_PAGES, shared: true });
  emitMatmul(mod, spec, DEFAULT_TUNING, "matmul");
  jobs.push({ spec, bytes: mod.encode(), scratchBytes: Math.ceil(matmulScratchBytes(spec) / 64) * 64 });
  return jobs.length - 1;
}

let pool: ThreadPool | undefined;
let poolFailed = -1; // the thread count a pool could not be made for

function currentPool(): ThreadPool | undefined {
  const threads = getThreads();
  if (threads <= 1) return undefined;
  if (pool?.threads === threads) return pool;
  if (poolFailed === threads) return undefined;
  pool?.close();
  pool = ThreadPool.create(wasmArena().memory, threads);
  if (!pool) poolFailed = threads;
  return pool;
}

/** The host import: C = A·B for job `handle`, rows split across the pool's threads. */
export function parallelMatmul(handle: number, a: number, b: number, c: number): number {
  const job = jobs[handle]!;
  const p = currentPool();
  if (!job.bound || job.bound.pool !== p) {
    const api = wasmApi!;
    const arena = wasmArena();
    const module = new api.Module(job.bytes);
    const local = new api.Instance(module, { env: { memory: arena.memory } }).exports.matmul as (...xs: number[]) => void;
    // Scratch for every thread; kept as long as the process (like the compiled kernel).
    const scratch = arena.alloc(job.scratchBytes * (p?.threads ?? 1)).offset;
    // The threads' row ranges, split once per pool.
    const parts = p ? splitRows(job.spec.m, p.threads, DEFAULT_TUNING.mr) : [];
    job.bound = { pool: p, id: p ? p.register(module, "matmul") : -1, scratch, local, parts };
  }
  const { id, scratch, local, parts } = job.bound;
  if (!p) {
    local(a, b, c, scratch, 0, job.spec.m);
    return 0;
  }
  p.run(id, parts.map(([m0, m1], t) => [a, b, c, scratch + t * job.scratchBytes, m0, m1]));
  return 0;
}
