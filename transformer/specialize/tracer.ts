// Running the build-time traces. A trace runs the user's function, and a JavaScript loop
// that never ends for some static value (`while (k < n) k = k * 1;`) records no operation
// a step counter could see; a synchronous loop cannot be interrupted from its own thread.
// So the ts-patch host traces in a worker thread and waits for each result with
// `Atomics.wait` and a time budget (tsc's emit is synchronous); past the budget the worker
// is terminated (V8 stops the loop) and the site is traced at run time, with a warning.
//
// `inProcessTracer` traces in the calling thread, with no budget: the host uses it only
// when the worker script is not there (running from source, in tests).

import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import * as runtime from "../../runtime/index.js";
import { LeafSpec, specialize, type Specialized, type SpecTree } from "../../runtime/specialize/specialize.js";
import { evaluateExtraction } from "./extract.js";
import type { Wrapper } from "./index.js";

export interface TraceRequest {
  /** The extracted function (see extract.ts): JS returning the function, given the runtime. */
  readonly js: string;
  readonly name: string;
  readonly params: readonly string[];
  readonly staticPositions: readonly number[];
  /** Per position: a static value, or the SpecTree of a dynamic argument. */
  readonly args: readonly unknown[];
  /** A size variable standing for "any shape" (one elementwise kernel): see specialize.ts. */
  readonly flat?: string;
  /** The backends to emit entries for (the plugin's prebuiltBackends). */
  readonly backends: readonly string[];
  /** Transformations applied to the function before tracing (`jit(grad(f))`), outermost first. */
  readonly wrappers?: readonly Wrapper[];
}

export type TraceResult =
  | Specialized
  /** `stop`: the site's other combinations are not worth trying (evaluation failed, time ran out). */
  | {
      readonly ok: false;
      readonly reason: string;
      readonly stop?: "evaluation" | "timeout" | "unavailable";
      /** The error's stack, to place the note on the user's line. */
      readonly stack?: string;
      /** The trace needed a concrete size where the spec had a symbolic one. */
      readonly needsConcreteSize?: true;
    };

export interface Tracer {
  trace(request: TraceRequest): TraceResult;
  /** The time budget of one trace in milliseconds (undefined: none). */
  readonly budgetMs: number | undefined;
}

/** Traces in this thread: evaluates each extraction once (the last one is kept). */
export function inProcessTracer(): Tracer {
  let last: { js: string; fn: ((...args: unknown[]) => unknown) | Error } | undefined;
  return {
    budgetMs: undefined,
    trace(req) {
      if (last?.js !== req.js) {
        try {
          last = { js: req.js, fn: evaluateExtraction(req.js, runtime as unknown as Record<string, unknown>) };
        } catch (e) {
          last = { js: req.js, fn: e instanceof Error ? e : new Error(String(e)) };
        }
      }
      if (last.fn instanceof Error) return { ok: false, reason: `evaluating it at build time failed (${last.fn.message})`, stop: "evaluation" };
      let fn = last.fn;
      for (const w of [...(req.wrappers ?? [])].reverse()) {
        const transform = (runtime as unknown as Record<string, (f: unknown, o?: unknown) => (...args: unknown[]) => unknown>)[w.name];
        if (typeof transform !== "function") return { ok: false, reason: `this tsjit runtime has no transformation ${w.name}`, stop: "evaluation" };
        fn = transform(fn, w.options);
      }
      return specialize({
        fn,
        name: req.name,
        params: req.params,
        staticPositions: new Set(req.staticPositions),
        args: req.args,
        backends: req.backends,
        ...(req.flat !== undefined ? { flat: req.flat } : {}),
      });
    },
  };
}

// Spec trees cross the thread boundary by structured clone, which drops the LeafSpec class.
const LEAF = "__tsjitLeafSpec";

export function encodeArgs(args: readonly unknown[], staticPositions: readonly number[]): unknown[] {
  const encode = (t: SpecTree): unknown => {
    if (t instanceof LeafSpec) return { [LEAF]: [t.dtype, t.shape, t.weakType] };
    if (t === null || t === undefined) return t;
    if (Array.isArray(t)) return t.map(encode);
    return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, encode(v as SpecTree)]));
  };
  return args.map((a, i) => (staticPositions.includes(i) ? a : encode(a as SpecTree)));
}

export function decodeArgs(args: readonly unknown[], staticPositions: readonly number[]): unknown[] {
  const decode = (t: unknown): SpecTree => {
    if (t === null || t === undefined) return t;
    if (Array.isArray(t)) return t.map(decode);
    const o = t as Record<string, unknown>;
    const leaf = o[LEAF] as [LeafSpec["dtype"], LeafSpec["shape"], boolean] | undefined;
    if (leaf) return new LeafSpec(leaf[0], leaf[1], leaf[2]);
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, decode(v)]));
  };
  return args.map((a, i) => (staticPositions.includes(i) ? a : decode(a)));
}

/** The worker's half of the protocol (transformer/specialize/worker.ts runs it). */
export interface WorkerData {
  readonly port: MessagePort;
  /** [0]: 0 while a request is pending, 1 once its answer is posted (or the worker is ready). */
  readonly flag: Int32Array;
}

export function serveTraces({ port, flag }: WorkerData): void {
  const tracer = inProcessTracer();
  const answer = (result: TraceResult) => {
    port.postMessage(result);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  };
  port.on("message", (req: TraceRequest) => {
    let result: TraceResult;
    try {
      result = tracer.trace({ ...req, args: decodeArgs(req.args, req.staticPositions) });
    } catch (e) {
      result = { ok: false, reason: `tracing failed: ${e instanceof Error ? `${e.name}: ${e.message.split("\n")[0]}` : String(e)}` };
    }
    answer(result);
  });
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

/** How long a worker may take to start (load the runtime): generous, a busy CI machine is slow. */
export const STARTUP_MS = 30_000;

interface Running {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly flag: Int32Array;
}

/** One worker per process and script, shared by every program (a --watch rebuild reuses it). */
const running = new Map<string, Running>();

function start(script: string): Running {
  if (!existsSync(script)) throw new Error(`the build-time tracing worker ${script} is missing`);
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(script, { workerData: { port: port2, flag } satisfies WorkerData, transferList: [port2] });
  // Neither keeps tsc alive: tsc exits when its work is done, a --watch session when stopped.
  worker.unref();
  port1.unref();
  worker.on("error", () => {}); // a dead worker shows as a timeout; the next trace starts a new one
  if (Atomics.wait(flag, 0, 0, STARTUP_MS) === "timed-out") {
    void worker.terminate();
    throw new Error(`the build-time tracing worker (${script}) did not start within ${STARTUP_MS / 1000} s`);
  }
  const r = { worker, port: port1, flag };
  running.set(script, r);
  return r;
}

function stop(script: string): void {
  const r = running.get(script);
  running.delete(script);
  // terminate() stops the worker's JavaScript at once (V8's TerminateExecution) from this
  // thread; the promise only reports when the thread has gone.
  if (r) void r.worker.terminate();
}

/** Traces in a worker thread running `script`, each trace within `budgetMs`. */
export function workerTracer(script: string, budgetMs: number): Tracer {
  let unavailable: string | undefined; // a worker that did not start is not tried again by this tracer
  return {
    budgetMs,
    trace(req) {
      if (unavailable) return { ok: false, reason: unavailable, stop: "unavailable" };
      let w = running.get(script);
      if (!w) {
        try {
          w = start(script);
        } catch (e) {
          unavailable = (e as Error).message;
          return { ok: false, reason: unavailable, stop: "unavailable" };
        }
      }
      Atomics.store(w.flag, 0, 0);
      w.port.postMessage({ ...req, args: encodeArgs(req.args, req.staticPositions) });
      if (Atomics.wait(w.flag, 0, 0, budgetMs) === "timed-out") {
        stop(script);
        return timedOut(budgetMs);
      }
      const message = receiveMessageOnPort(w.port);
      if (!message) {
        stop(script);
        return { ok: false, reason: "the build-time tracing worker did not answer" };
      }
      return message.message as TraceResult;
    },
  };
}

/** The result of a trace stopped after `budgetMs`. */
export function timedOut(budgetMs: number): TraceResult {
  return { ok: false, reason: `tracing it did not finish within ${formatMs(budgetMs)} (a loop that never ends for this value?)`, stop: "timeout" };
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** The worker script shipped next to the bundled transformer (dist/specialize-worker.cjs), if there. */
export function bundledWorkerScript(): string | undefined {
  try {
    // Beside dist/transform.cjs, or one folder up from the bundler plugin (dist/bundler/*.mjs).
    for (const rel of ["./specialize-worker.cjs", "../specialize-worker.cjs"]) {
      const path = fileURLToPath(new URL(rel, import.meta.url));
      if (existsSync(path)) return path;
    }
    return undefined;
  } catch {
    return undefined;
  }
}

/** The host's tracer: in a worker with a budget when the worker script is there, else in process. */
export function defaultTracer(budgetMs: number): Tracer {
  const script = bundledWorkerScript();
  return script ? workerTracer(script, budgetMs) : inProcessTracer();
}
