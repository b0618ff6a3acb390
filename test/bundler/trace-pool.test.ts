// The bundler plugin's trace pool and trace book (transformer/bundler/trace-pool.ts): the
// pool's answers equal the synchronous worker's, concurrent traces run in several workers, a
// trace past its budget stops (and the next one gets a fresh worker), a missing worker
// answers at once; the book answers the real pass from prefetched results, tells requests
// apart by every static value (0 and -0, 1 and "1"), and traces the unforeseen synchronously.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LeafSpec } from "../../runtime/specialize/specialize.js";
import { workerTracer, type TraceRequest, type Tracer } from "../../transformer/specialize/tracer.js";
import { createTraceBook, createTracePool, requestKey } from "../../transformer/bundler/trace-pool.js";
import { REPO } from "../transformer/harness.js";
import { request, WORKER } from "../specialize/requests.js";

describe("the bundler's trace pool", { timeout: 60_000 }, () => {
  it("answers as the synchronous worker does, several traces at once", async () => {
    const pool = createTracePool(WORKER, 20_000, 2);
    try {
      const reqs = [1, 2, 3, 4].map((n) => request("return x.mul(n);", n));
      const answers = await Promise.all(reqs.map((r) => pool.trace(r)));
      const sync = workerTracer(WORKER, 20_000);
      answers.forEach((a, i) => {
        expect(a.ok).toBe(true);
        expect(a).toEqual(sync.trace(reqs[i]!));
      });
    } finally {
      pool.close();
    }
  });

  it("stops a trace past its budget; the next trace runs in a fresh worker", async () => {
    const pool = createTracePool(WORKER, 1000, 1);
    try {
      await pool.trace(request("return x;", 1)); // the worker is up: the budget alone applies
      const started = Date.now();
      const [spin, after] = await Promise.all([pool.trace(request("let k = 0; while (k < n) k = k * 1; return x;", 1)), pool.trace(request("return x.add(n);", 1))]);
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(spin).toMatchObject({ ok: false, stop: "timeout", reason: expect.stringContaining("did not finish within 1 s") });
      expect(after.ok).toBe(true);
    } finally {
      pool.close();
    }
  });

  it("answers at once when the worker is missing", async () => {
    const pool = createTracePool(join(REPO, "dist/missing-worker.cjs"), 1000);
    expect(await pool.trace(request("return x;", 1))).toMatchObject({ ok: false, stop: "unavailable", reason: expect.stringContaining("is missing") });
  });

  it("keys requests by every static value and spec", () => {
    const key = (n: unknown) => requestKey(request("return x;", n));
    expect(key(0)).not.toBe(key(-0));
    expect(key(1)).not.toBe(key("1"));
    expect(key(undefined)).not.toBe(key(null));
    expect(key(1)).toBe(key(1));
    expect(requestKey({ ...request("return x;", 1), args: [new LeafSpec("float32", ["batch", 4]), 1] })).not.toBe(key(1));
    expect(key(() => 1)).toBeUndefined();
  });

  it("replays prefetched traces and traces what was not foreseen through the fallback", async () => {
    const pool = createTracePool(WORKER, 20_000, 1);
    const asked: TraceRequest[] = [];
    const sync = workerTracer(WORKER, 20_000);
    const fallback: Tracer = { budgetMs: 20_000, trace: (r) => (asked.push(r), sync.trace(r)) };
    try {
      const book = createTraceBook(pool, () => fallback, 20_000);
      const recorder = book.recorder();
      const seen = request("return x.mul(n);", 3);
      expect(recorder.trace(seen).ok).toBe(true);
      await book.prefetch(recorder.take());
      expect(recorder.take()).toEqual([]);
      expect(book.tracer.trace(seen)).toEqual(sync.trace(seen));
      expect(asked).toEqual([]);
      const unforeseen = request("return x.add(n);", 3);
      expect(book.tracer.trace(unforeseen).ok).toBe(true);
      expect(asked).toEqual([unforeseen]);
    } finally {
      pool.close();
    }
  });
});
