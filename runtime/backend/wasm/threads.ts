// Multi-core for the wasm backend: worker threads that share the backend's WebAssembly
// memory (`shared: true`, a SharedArrayBuffer) and run exported kernel functions of
// modules registered with the pool, each on its own part of the work (matmul: a range of
// rows, each thread with its own packing scratch).
//
// Node: `worker_threads`, the workers' code passed as a string (`eval: true`, so bundlers
// need no extra file). A call is synchronous, as `dataSync()` is: the calling thread hands
// each worker its arguments through a shared control block (Atomics.store + notify), runs
// its own part, then sleeps in Atomics.wait until every worker has finished. Workers sleep
// in Atomics.wait between calls; new modules reach them as messages they drain with
// `receiveMessageOnPort` when a call names a module they have not instantiated yet (their
// event loop never runs while they wait). Workers are unref'd: they do not keep the
// process alive.
//
// Browsers (Web Workers on a cross-origin-isolated page) are not wired yet: `createPool`
// returns undefined there, and kernels run single-threaded. Single-threaded is also the
// default everywhere; `TSJIT_THREADS=<n>` in Node or `setThreads(n)` asks for n threads in
// all (the calling thread plus n − 1 workers).

import { wasmApi, type WasmMemory, type WasmModule } from "./api.js";

const MAX_ARGS = 12;
const SLOT = 16; // int32s per worker: [sequence, function id, argc, args...]
const PENDING = 0; // ctrl[0]: workers still running the current call
const FAILED = 1; // ctrl[1]: a worker threw (its message follows by port)
const READY = 2; // ctrl[2]: workers that have started

/** The thread count asked for: setThreads, else TSJIT_THREADS, else 1. */
let requested: number | undefined;

export function setThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > 64) {
    throw new RangeError(`setThreads(n): n must be an integer in [1, 64], got ${n}. Use 1 for single-threaded kernels.`);
  }
  requested = n;
}

export function getThreads(): number {
  if (requested !== undefined) return requested;
  const env = typeof process !== "undefined" ? process.env?.TSJIT_THREADS : undefined;
  if (env === undefined || env === "") return 1;
  const n = Number(env);
  if (!Number.isInteger(n) || n < 1 || n > 64) {
    throw new RangeError(`TSJIT_THREADS=${JSON.stringify(env)} is not a thread count. Set an integer in [1, 64], or unset it for one thread.`);
  }
  return n;
}

interface NodeWorker {
  postMessage(value: unknown, transfer?: unknown[]): void;
  unref(): void;
  terminate(): Promise<number>;
  on(event: "error", listener: (e: Error) => void): void;
}

interface WorkerThreads {
  Worker: new (code: string, options: { eval: true; workerData: unknown; transferList?: unknown[] }) => NodeWorker;
  MessageChannel: new () => { port1: { postMessage(v: unknown): void; unref?(): void; close(): void }; port2: unknown };
  receiveMessageOnPort(port: unknown): { message: unknown } | undefined;
}

// The workers' code (CommonJS, run with eval). Kept dependency-free on purpose.
const WORKER_SOURCE = `
const { workerData, receiveMessageOnPort } = require("node:worker_threads");
const { memory, control, port, index } = workerData;
const ctrl = new Int32Array(control);
const base = 16 + index * ${SLOT};
const fns = [];
Atomics.add(ctrl, ${READY}, 1);
Atomics.notify(ctrl, ${READY});
function drain() {
  let m;
  while ((m = receiveMessageOnPort(port))) {
    const { id, module, name } = m.message;
    fns[id] = new WebAssembly.Instance(module, { env: { memory } }).exports[name];
  }
}
let seen = 0;
for (;;) {
  Atomics.wait(ctrl, base, seen);
  const seq = Atomics.load(ctrl, base);
  if (seq === seen) continue;
  seen = seq;
  const id = ctrl[base + 1];
  if (id < 0) break;
  try {
    if (fns[id] === undefined) drain();
    const argc = ctrl[base + 2];
    const args = [];
    for (let i = 0; i < argc; i++) args.push(ctrl[base + 3 + i]);
    fns[id](...args);
  } catch (e) {
    Atomics.store(ctrl, ${FAILED}, 1);
    port.postMessage(String(e && e.stack || e));
  }
  if (Atomics.sub(ctrl, ${PENDING}, 1) === 1) Atomics.notify(ctrl, ${PENDING});
}
`;

type KernelFn = (...args: number[]) => void;

/** Worker threads over one shared memory; see the file comment. */
export class ThreadPool {
  private readonly ctrl: Int32Array;
  private readonly local: KernelFn[] = [];
  private readonly modules: { module: WasmModule; name: string }[] = [];
  private readonly sent: number[];
  private closed = false;

  private constructor(
    readonly memory: WasmMemory,
    /** Threads in all, the calling thread included. */
    readonly threads: number,
    private readonly workers: NodeWorker[],
    private readonly ports: { postMessage(v: unknown): void; close(): void }[],
    control: SharedArrayBuffer,
    private readonly wt: WorkerThreads,
  ) {
    this.ctrl = new Int32Array(control);
    this.sent = workers.map(() => 0);
  }

  /**
   * A pool of `threads` threads in all over `memory`, or undefined where that cannot work
   * (one thread asked for, the memory is not shared, no worker_threads).
   */
  static create(memory: WasmMemory, threads: number): ThreadPool | undefined {
    if (threads <= 1 || typeof SharedArrayBuffer === "undefined" || !(memory.buffer instanceof SharedArrayBuffer)) return undefined;
    // Synchronous (a kernel call may be the first to want the pool): Node ≥ 20.16 has
    // process.getBuiltinModule; elsewhere there are no worker_threads to use.
    const getBuiltin = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
    const wt = getBuiltin?.("node:worker_threads") as WorkerThreads | undefined;
    if (!wt) return undefined;
    const control = new SharedArrayBuffer(4 * (16 + SLOT * threads));
    const workers: NodeWorker[] = [];
    const ports: { postMessage(v: unknown): void; close(): void }[] = [];
    for (let i = 0; i < threads - 1; i++) {
      const ch = new wt.MessageChannel();
      // Each worker has its own port: modules go to it, a kernel's error message comes back.
      const w = new wt.Worker(WORKER_SOURCE, { eval: true, workerData: { memory, control, port: ch.port2, index: i }, transferList: [ch.port2] });
      w.on("error", () => {});
      w.unref();
      ch.port1.unref?.();
      workers.push(w);
      ports.push(ch.port1);
    }
    // Wait (up to 10 s) until every worker runs its loop; a worker that cannot start would
    // otherwise leave a call waiting for it forever. Workers start without this thread's
    // event loop, so blocking here is fine.
    const ctrl = new Int32Array(control);
    const deadline = Date.now() + 10_000;
    for (;;) {
      const ready = Atomics.load(ctrl, READY);
      if (ready >= threads - 1) break;
      if (Date.now() > deadline) {
        for (const w of workers) void w.terminate();
        return undefined;
      }
      Atomics.wait(ctrl, READY, ready, 100);
    }
    return new ThreadPool(memory, threads, workers, ports, control, wt);
  }

  /** Makes `module`'s export `name` callable by `run`; its id. The module may import only env.memory. */
  register(module: WasmModule, name: string): number {
    const api = wasmApi!;
    const id = this.modules.length;
    this.modules.push({ module, name });
    this.local.push(new api.Instance(module, { env: { memory: this.memory } }).exports[name] as KernelFn);
    return id;
  }

  /**
   * Runs function `id` once per thread, thread t with `args[t]` (args.length ≤ threads; the
   * calling thread takes args[0]); returns when all have finished.
   */
  run(id: number, args: readonly (readonly number[])[]): void {
    if (this.closed) throw new Error("ThreadPool.run: the pool was closed");
    const ctrl = this.ctrl;
    const extra = Math.min(args.length - 1, this.workers.length);
    Atomics.store(ctrl, PENDING, extra);
    Atomics.store(ctrl, FAILED, 0);
    for (let w = 0; w < extra; w++) {
      // Modules this worker has not been sent yet go by message (drained on demand).
      while (this.sent[w]! < this.modules.length) {
        const k = this.sent[w]!;
        this.ports[w]!.postMessage({ id: k, ...this.modules[k]! });
        this.sent[w]!++;
      }
      const a = args[w + 1]!;
      if (a.length > MAX_ARGS) throw new Error(`internal: ThreadPool.run: ${a.length} arguments (at most ${MAX_ARGS})`);
      const base = 16 + w * SLOT;
      ctrl[base + 1] = id;
      ctrl[base + 2] = a.length;
      for (let i = 0; i < a.length; i++) ctrl[base + 3 + i] = a[i]!;
      Atomics.add(ctrl, base, 1);
      Atomics.notify(ctrl, base);
    }
    let error: unknown;
    try {
      this.local[id]!(...args[0]!);
    } catch (e) {
      error = e;
    }
    for (;;) {
      const p = Atomics.load(ctrl, PENDING);
      if (p === 0) break;
      Atomics.wait(ctrl, PENDING, p);
    }
    if (error !== undefined) throw error;
    if (Atomics.load(ctrl, FAILED)) {
      let message = "a worker thread failed";
      for (const port of this.ports) {
        const m = this.wt.receiveMessageOnPort(port);
        if (m) message = String(m.message);
      }
      throw new Error(`wasm worker thread: ${message}`);
    }
  }

  /** Stops the workers. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.workers.forEach((_, w) => {
      const base = 16 + w * SLOT;
      this.ctrl[base + 1] = -1;
      Atomics.add(this.ctrl, base, 1);
      Atomics.notify(this.ctrl, base);
    });
    for (const p of this.ports) p.close();
  }
}

/** Splits rows [0, m) into `parts` contiguous ranges of near-equal size, in multiples of `align` where possible. */
export function splitRows(m: number, parts: number, align: number): [number, number][] {
  const out: [number, number][] = [];
  const blocks = Math.ceil(m / align);
  let start = 0;
  for (let t = 0; t < parts; t++) {
    const end = Math.min(m, Math.round(((t + 1) * blocks) / parts) * align);
    if (end > start) out.push([start, end]);
    start = Math.max(start, end);
  }
  if (out.length === 0) out.push([0, m]);
  else out[out.length - 1]![1] = m;
  return out;
}
