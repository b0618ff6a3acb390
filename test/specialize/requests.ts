// The tracing worker built by `npm run build`, and a trace request for tests of the tracers
// (test/specialize/tracer.test.ts, test/bundler/trace-pool.test.ts): `f(x, n)` with `n`
// static and `x` a [batch, 3] float32 spec.
import { join } from "node:path";
import { LeafSpec } from "../../runtime/specialize/specialize.js";
import type { TraceRequest } from "../../transformer/specialize/tracer.js";
import { REPO } from "../transformer/harness.js";

export const WORKER = join(REPO, "dist/specialize-worker.cjs");

export const request = (body: string, n: unknown): TraceRequest => ({
  js: `return (function f(x, n) { ${body} });`,
  name: "f",
  params: ["x", "n"],
  staticPositions: [1],
  args: [new LeafSpec("float32", ["batch", 3]), n],
  backends: ["cpu"],
});
