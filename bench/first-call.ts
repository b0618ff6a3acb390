// First-call latency of the MLP. Cold, each measurement in a fresh Node process (what an
// application sees): tsjit's trace + compile alone (the target), and the first call's
// excess over a steady call next to the hand-written loop's and jax-js's (for JS code that
// excess includes V8 warming up the kernel code itself). Warm: fresh jit objects in this
// process, after the tracer and compiler have been exercised.

import { jit } from "../runtime/index.js";
import { CPU_BASELINE } from "./backends.js";
import { tsArray } from "./data.js";
import type { FirstCall } from "./first-call-child.js";
import { runFresh } from "./fresh.js";
import { JS, type Group } from "./group.js";
import { BATCH, HIDDEN, IN, mlpData, mlpForward, OUT } from "./mlp-model.js";
import { jaxLabel, tfLabel } from "./peers.js";
import { formatTime, type Row } from "./report.js";
import { median } from "./timing.js";

export const TARGET_FIRST_CALL_MS = 20;
const PROCESSES = 3;

function fresh(which: "tsjit" | "tsjit-wasm" | "split" | "hand" | "jax" | "tf"): FirstCall[] {
  return runFresh<FirstCall>("first-call-child.js", [which], PROCESSES);
}

const excess = (runs: readonly FirstCall[]) => median(runs.map((r) => r.first - r.steady));
const describe = (runs: readonly FirstCall[]) =>
  `first ${formatTime(median(runs.map((r) => r.first)))}, steady ${formatTime(median(runs.map((r) => r.steady)))}`;

export const firstCallGroup: Group = {
  id: "first-call",
  title: "first-call latency",
  async run(ctx) {
    const rows: Row[] = [];
    ctx.log("first-call (fresh processes)");
    const split = fresh("split");
    const traceCompile = median(split.map((r) => r.trace! + r.compile!));
    rows.push({
      name: "MLP first call: trace + compile, cold",
      tsjit: formatTime(traceCompile),
      baseline: "",
      target: `≤ ${TARGET_FIRST_CALL_MS} ms`,
      status: traceCompile <= TARGET_FIRST_CALL_MS ? "PASS" : "MISS",
      note: `fresh process, median of ${PROCESSES}: trace (lower) ${formatTime(median(split.map((r) => r.trace!)))}, ` +
        `optimize+fuse+codegen (asText("js")) ${formatTime(median(split.map((r) => r.compile!)))}`,
    });

    const tsjit = fresh("tsjit");
    const hand = fresh("hand");
    const t = excess(tsjit);
    const h = excess(hand);
    const name = "MLP first call − steady call, cold";
    rows.push({ name, tsjit: formatTime(t), baseline: JS, baselineTime: formatTime(h), ratio: h / t,
      note: `tsjit ${describe(tsjit)}; hand-written ${describe(hand)} (its excess is V8 warming up the loops)` });
    const jaxName = ctx.jax.ok ? jaxLabel(ctx.jax.jax) : "@jax-js/jax";
    const jax = ctx.jax.ok ? fresh("jax") : [];
    const jaxError = ctx.jax.ok ? jax.find((r) => r.error)?.error : ctx.jax.reason;
    if (jaxError !== undefined) rows.push({ name: "", tsjit: "", baseline: jaxName, baselineTime: "n/a", note: jaxError });
    else {
      const j = excess(jax);
      rows.push({ name: "", tsjit: "", baseline: jaxName, baselineTime: formatTime(j), ratio: j / t, note: `jax-js ${describe(jax)}` });
    }

    // The whole first call (trace, compile, run, readback) in a fresh process, side by side
    // with the peers' first calls (issue 15: the wasm backend's first call ≤ tfjs-wasm's).
    const firstOf = (runs: readonly FirstCall[]) => median(runs.map((r) => r.first));
    const tf = ctx.tf.ok ? fresh("tf") : [];
    const tfError = ctx.tf.ok ? tf.find((r) => r.error)?.error : ctx.tf.reason;
    const p = firstOf(ctx.wasm === undefined ? fresh("tsjit-wasm") : tsjit);
    const tfName = ctx.tf.ok ? tfLabel(ctx.tf.tf) : "tfjs-wasm";
    const whole = `MLP first call, cold (${ctx.wasm === undefined ? "wasm" : "cpu"} backend)`;
    const firstRows: Row[] = [];
    if (jaxError === undefined) firstRows.push({ name: "", tsjit: "", baseline: jaxName, baselineTime: formatTime(firstOf(jax)), ratio: firstOf(jax) / p });
    if (tfError === undefined) {
      const f = firstOf(tf);
      firstRows.push({ name: "", tsjit: "", baseline: tfName, baselineTime: formatTime(f), ratio: f / p, target: "≤ tfjs-wasm's", status: p <= f ? "PASS" : "MISS" });
    } else firstRows.push({ name: "", tsjit: "", baseline: tfName, baselineTime: "n/a", note: tfError });
    if (ctx.wasm === undefined) firstRows.push({ name: "", tsjit: "", baseline: CPU_BASELINE, baselineTime: formatTime(firstOf(tsjit)), ratio: firstOf(tsjit) / p });
    firstRows[0] = { ...firstRows[0]!, name: whole, tsjit: formatTime(p) };
    rows.push(...firstRows);

    // Warm: fresh jit objects in this process.
    ctx.log("first-call (this process)");
    const d = mlpData();
    const args = [tsArray(d.x, [BATCH, IN]), tsArray(d.w1, [IN, HIDDEN]), tsArray(d.b1, [HIDDEN]), tsArray(d.w2, [HIDDEN, OUT]), tsArray(d.b2, [OUT])] as const;
    const steadyJit = jit(mlpForward);
    steadyJit(...args).dataSync();
    const overheads: number[] = [];
    const traces: number[] = [];
    const compiles: number[] = [];
    for (let i = 0; i < 7; i++) {
      const f = jit(mlpForward);
      let t0 = performance.now();
      f(...args).dataSync();
      const first = performance.now() - t0;
      t0 = performance.now();
      steadyJit(...args).dataSync();
      overheads.push(first - (performance.now() - t0));
      const g = jit(mlpForward);
      t0 = performance.now();
      const lowered = g.lower(...args);
      const t1 = performance.now();
      lowered.asText("js");
      traces.push(t1 - t0);
      compiles.push(performance.now() - t1);
    }
    rows.push({
      name: "MLP first call − steady call, warm",
      tsjit: formatTime(median(overheads)),
      baseline: "",
      note: `fresh jit objects in this process, median of 7; trace ${formatTime(median(traces))}, optimize+fuse+codegen ${formatTime(median(compiles))}`,
    });
    return rows;
  },
};
