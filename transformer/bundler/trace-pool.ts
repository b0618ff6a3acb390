// Build-time traces for the bundler plugin, off the main thread and overlapped with it.
//
// The ts-patch host traces synchronously (tsc's emit is synchronous): one worker, and the
// main thread waits for each answer. A bundler calls `transform` for many modules at once
// and awaits each, so the plugin runs the specialization of a module twice instead: a first,
// recording pass (the same specializeSite, with a tracer that records each request and
// answers "ok") gives the module's traces, which go to a pool of workers while the main
// thread analyses other modules; the second pass is the real one, with a tracer that answers
// from those results (the same worker protocol, budgets and messages as the ts-patch host),
// and traces only what the first pass could not foresee (a fallback after a failed trace)
// synchronously, as the ts-patch host does. The plugin uses it on machines with 4 cores or
// more: the recording pass doubles the main thread's share of specialization, which only
// pays where the traces can run on idle cores.

import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { MessageChannel, Worker, type MessagePort } from "node:worker_threads";
import { encodeArgs, STARTUP_MS, timedOut, type TraceRequest, type TraceResult, type Tracer, type WorkerData } from "../specialize/tracer.js";

/** The placeholder answer of the recording pass. */
const RECORDED: TraceResult = { ok: true, entries: [], skipped: [], jaxprText: "", staticKey: "" };

/** A request as a string (undefined when some static value has no faithful JSON form). */
export function requestKey(req: TraceRequest): string | undefined {
  try {
    return JSON.stringify([req.js, req.name, req.params, req.staticPositions, encodeArgs(req.args, req.staticPositions), req.flat ?? null, req.backends ?? null, req.wrappers ?? null], (_k, v: unknown) => {
      if (typeof v === "number") return `#n${Object.is(v, -0) ? "-0" : String(v)}`;
      if (typeof v === "string") return `s${v}`;
      if (typeof v === "bigint") return `#b${v}`;
      if (v === undefined) return "#u";
      if (typeof v === "function" || typeof v === "symbol") throw new Error("not representable");
      return v;
    });
  } catch {
    return undefined;
  }
}

interface Slot {
  readonly worker: Worker;
  readonly port: MessagePort;
  fresh: boolean;
  busy: ((result: TraceResult) => void) | undefined;
}

interface Job {
  readonly req: TraceRequest;
  readonly resolve: (result: TraceResult) => void;
}

export interface TracePool {
  trace(req: TraceRequest): Promise<TraceResult>;
  /** Stops the workers (the next trace starts new ones). */
  close(): void;
}

/** Up to `size` workers running `script` (see tracer.ts), each trace within `budgetMs`. */
export function createTracePool(script: string, budgetMs: number, size = Math.max(1, Math.min(4, availableParallelism() - 2))): TracePool {
  const slots = new Set<Slot>();
  const queue: Job[] = [];

  const start = (): Slot => {
    const { port1, port2 } = new MessageChannel();
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(script, { workerData: { port: port2, flag } satisfies WorkerData, transferList: [port2] });
    worker.unref();
    port1.unref();
    const slot: Slot = { worker, port: port1, fresh: true, busy: undefined };
    const fail = () => {
      slots.delete(slot);
      slot.busy?.({ ok: false, reason: "the build-time tracing worker did not answer" });
    };
    worker.on("error", fail);
    worker.on("exit", fail);
    port1.on("message", (result: TraceResult) => slot.busy?.(result));
    slots.add(slot);
    return slot;
  };

  const run = (slot: Slot, job: Job) => {
    // Referenced while a trace is out: the build awaits it.
    slot.port.ref();
    const timer = setTimeout(() => {
      slots.delete(slot);
      void slot.worker.terminate();
      done(timedOut(budgetMs));
    }, budgetMs + (slot.fresh ? STARTUP_MS : 0));
    const done = (result: TraceResult) => {
      clearTimeout(timer);
      slot.busy = undefined;
      slot.fresh = false;
      slot.port.unref();
      job.resolve(result);
      next();
    };
    slot.busy = done;
    slot.port.postMessage({ ...job.req, args: encodeArgs(job.req.args, job.req.staticPositions) });
  };

  const next = () => {
    while (queue.length) {
      let slot = [...slots].find((s) => !s.busy);
      if (!slot && slots.size < size) slot = start();
      if (!slot) return;
      run(slot, queue.shift()!);
    }
  };

  return {
    trace(req) {
      if (!existsSync(script)) return Promise.resolve({ ok: false, reason: `the build-time tracing worker ${script} is missing`, stop: "unavailable" });
      return new Promise((resolve) => {
        queue.push({ req, resolve });
        next();
      });
    },
    close() {
      for (const slot of slots) void slot.worker.terminate();
      slots.clear();
    },
  };
}

/** Traces answered from the results of earlier recorded requests, else by `fallback`. */
export interface TraceBook {
  /** A tracer that records what it is asked (answers "ok"); `take` returns the requests. */
  recorder(): Tracer & { take(): TraceRequest[] };
  /** Starts the traces of `requests` in the pool; resolves once all are answered. */
  prefetch(requests: readonly TraceRequest[]): Promise<void>;
  /** The replaying tracer of the real pass. */
  readonly tracer: Tracer;
}

export function createTraceBook(pool: TracePool, fallback: () => Tracer, budgetMs: number): TraceBook {
  const answers = new Map<string, Promise<TraceResult>>();
  const settled = new Map<string, TraceResult>();
  return {
    recorder() {
      let requests: TraceRequest[] = [];
      return {
        budgetMs,
        trace(req) {
          requests.push(req);
          return RECORDED;
        },
        take() {
          const out = requests;
          requests = [];
          return out;
        },
      };
    },
    async prefetch(requests) {
      const waits: Promise<TraceResult>[] = [];
      for (const req of requests) {
        const key = requestKey(req);
        if (key === undefined) continue;
        let answer = answers.get(key);
        if (!answer) {
          answer = pool.trace(req).then((result) => {
            settled.set(key, result);
            return result;
          });
          answers.set(key, answer);
        }
        waits.push(answer);
      }
      await Promise.all(waits);
    },
    tracer: {
      budgetMs,
      trace(req) {
        const key = requestKey(req);
        const known = key === undefined ? undefined : settled.get(key);
        return known ?? fallback().trace(req);
      },
    },
  };
}
