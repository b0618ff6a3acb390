// Cache-hit dispatch overhead: jit(x => x.add(1)) on a 1-element array. The kernel's own
// time is measured by running tsjit's generated code for it directly (the same source,
// compiled the same way), interleaved with the jitted calls; the overhead is the difference.

import { jit, np, type NDArray } from "../runtime/index.js";
import { cpuRuntime, type KernelFactory } from "../runtime/backend/cpu/index.js";
import type { Group } from "./group.js";
import { runComparison, type Contender } from "./harness.js";
import { jaxLabel } from "./peers.js";
import { formatTime, type Row } from "./report.js";

export const TARGET_OVERHEAD_NS = 1000;

export const dispatchGroup: Group = {
  id: "dispatch",
  title: "cache-hit dispatch overhead",
  async run(ctx) {
    ctx.log("dispatch");
    const inc = jit((x: NDArray) => x.add(1));
    const x = np.array(Float32Array.of(41));
    const xbuf = x.dataSync();
    // The generated kernel, called without jit's dispatch around it.
    const source = inc.lower(x).asText("js");
    const kernel = (new Function("rt", "consts", source) as KernelFactory)(cpuRuntime, []);
    const KERNEL = "its kernel alone (generated code)";
    const contenders: Contender[] = [
      { name: "tsjit", run: () => inc(x).dataSync() },
      { name: KERNEL, run: () => kernel([xbuf])[0]! },
    ];
    const unavailable = [];
    if (ctx.jax.ok) {
      const jax = ctx.jax.jax;
      const jf = jax.jit((x: any) => x.add(1));
      const jx = jax.array(Float32Array.of(41), [1]);
      contenders.push({ name: `${jaxLabel(jax)}, whole call`, run: () => jf(jx.ref).dataSync() });
    } else unavailable.push({ baseline: "@jax-js/jax", reason: ctx.jax.reason });
    const timing = { sampleMs: 20, minSamples: 9, maxSamples: 21, budgetMs: 3000 };
    const { rows, timings } = runComparison({
      name: "tiny op jit(x => x.add(1)), f32[1], per call",
      contenders,
      reference: [42],
      timing,
      unavailable,
    });
    const call = timings.get("tsjit");
    const own = timings.get(KERNEL);
    if (!call || !own) return rows;
    const stats = inc.stats;
    if (stats.traces !== 1 || stats.compiles !== 1) {
      return [...rows, { name: "cache-hit dispatch overhead", tsjit: "?", baseline: "", status: "FAIL", note: `calls were not cache hits: ${JSON.stringify(stats)}` }];
    }
    // Overhead per round, paired: both sides of a round ran back to back.
    const pairs = call.samples.map((c, i) => c - own.samples[i]!);
    const overheadMs = pairs.sort((a, b) => a - b)[pairs.length >> 1]!;
    const ns = overheadMs * 1e6;
    const summary: Row = {
      name: "cache-hit dispatch overhead",
      tsjit: `${ns.toFixed(0)} ns/call`,
      baseline: "",
      target: `≤ ${TARGET_OVERHEAD_NS / 1000} µs`,
      status: ns <= TARGET_OVERHEAD_NS ? "PASS" : "MISS",
      note: `per call ${formatTime(call.median)} − kernel ${formatTime(own.median)} (median of per-round differences over ${pairs.length} rounds; ${stats.hits} cache hits, 1 trace)`,
    };
    return [...rows, summary];
  },
};
