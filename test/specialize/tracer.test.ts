// The build-time tracer's worker (dist/specialize-worker.cjs, built by `npm run build`):
// the same results as tracing in process, a budget that stops a loop that never ends (the
// next trace starts a fresh worker), and a clear answer when the worker cannot run.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LeafSpec } from "../../runtime/specialize/specialize.js";
import { inProcessTracer, workerTracer, type TraceRequest } from "../../transformer/specialize/tracer.js";
import { REPO } from "../transformer/harness.js";

const WORKER = join(REPO, "dist/specialize-worker.cjs");

const request = (body: string, n: unknown): TraceRequest => ({
  js: `return (function f(x, n) { ${body} });`,
  name: "f",
  params: ["x", "n"],
  staticPositions: [1],
  args: [new LeafSpec("float32", ["batch", 3]), n],
  backends: ["cpu"],
});

describe("the build-time tracer", { timeout: 60_000 }, () => {
  it("traces in the worker exactly as in process (BigInt statics and spec trees cross over)", () => {
    const req = request("return __tsjit.np.multiply(x, Number(n));", 2n);
    const here = inProcessTracer().trace(req);
    const there = workerTracer(WORKER, 20_000).trace(req);
    expect(here.ok).toBe(true);
    expect(there).toEqual(here);
  });

  it("stops a trace past its budget, and the next trace runs in a fresh worker", () => {
    const tracer = workerTracer(WORKER, 1000);
    const started = Date.now();
    const spin = tracer.trace(request("let k = 0; while (k < n) k = k * 1; return x;", 1));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(spin).toMatchObject({ ok: false, stop: "timeout", reason: expect.stringContaining("did not finish within 1 s") });
    expect(tracer.trace(request("return x.add(n);", 1)).ok).toBe(true);
  });

  it("reports an evaluation failure once, and a missing worker without waiting", () => {
    expect(workerTracer(WORKER, 20_000).trace({ ...request("return x;", 1), js: "throw new Error('boom');" }))
      .toMatchObject({ ok: false, stop: "evaluation", reason: "evaluating it at build time failed (boom)" });
    const started = Date.now();
    expect(workerTracer(join(REPO, "dist/missing-worker.cjs"), 1000).trace(request("return x;", 1)))
      .toMatchObject({ ok: false, stop: "unavailable", reason: expect.stringContaining("is missing") });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
