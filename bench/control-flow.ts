// Structured control flow (issue 4): a 10,000-step foriLoop over a 1k-element carry
// against the hand-written JS loop, and compile time (trace + optimize + fuse + codegen)
// of 10 vs 10,000 steps, which must be equal within noise because loops are not unrolled.

import { jit, lax, type NDArray } from "../runtime/index.js";
import { uniform, tsArray } from "./data.js";
import { JS, type Group } from "./group.js";
import { runComparison } from "./harness.js";
import { median } from "./timing.js";
import { formatRatio, formatTime, type Row } from "./report.js";

const STEPS = 10_000;
const N = 1000;

export const decayLoop = (steps: number) => (x: NDArray) => lax.foriLoop(0, steps, (_i, v) => v.mul(0.999).add(0.001), x);

/** The hand-written loop: the carry updated in place. */
export function decayByHand(x: Float32Array, steps: number): Float32Array {
  const v = Float32Array.from(x);
  for (let t = 0; t < steps; t++) for (let i = 0; i < v.length; i++) v[i] = v[i]! * 0.999 + 0.001;
  return v;
}

/** Time to trace and compile a fresh jit of the loop (no run). */
function compileOnce(steps: number, x: NDArray): number {
  const f = jit(decayLoop(steps));
  const t0 = performance.now();
  f.lower(x).asText("js");
  return performance.now() - t0;
}

/** Compiles differing by less than this are equal: a sub-millisecond compile's noise (one GC, one tier-up). */
const NOISE_FLOOR_MS = 0.25;

export const controlFlowGroup: Group = {
  id: "control-flow",
  title: "lax control flow",
  async run(ctx) {
    ctx.log("foriLoop 10,000 steps");
    const data = uniform(N, 7, -1, 1);
    const x = tsArray(data, [N]);
    const loop = jit(decayLoop(STEPS));
    const rows: Row[] = runComparison({
      name: `foriLoop ${STEPS.toLocaleString("en")} steps, f32[${N}] carry`,
      contenders: [
        { name: "tsjit", run: () => loop(x).dataSync() },
        { name: JS, run: () => decayByHand(data, STEPS) },
      ],
      reference: JS,
      // 10,000 dependent float32 steps: the float64 intermediates of both sides differ slightly.
      tolerance: { rtol: 1e-4, atol: 1e-5 },
      target: { baseline: JS, minRatio: 0.8 },
      timing: { budgetMs: 4000 },
    }).rows;

    ctx.log("compile time, 10 vs 10,000 steps");
    for (let r = 0; r < 10; r++) { compileOnce(10, x); compileOnce(STEPS, x); } // warm the compiler's own code
    const small: number[] = [], large: number[] = [];
    for (let r = 0; r < 40; r++) { small.push(compileOnce(10, x)); large.push(compileOnce(STEPS, x)); }
    const t10 = median(small), t10k = median(large);
    const ratio = t10 / t10k;
    const equal = (ratio > 2 / 3 && ratio < 1.5) || Math.abs(t10k - t10) < NOISE_FLOOR_MS;
    rows.push({
      name: "foriLoop compile time, 10 vs 10,000 steps",
      tsjit: `${formatTime(t10k)} (10,000)`,
      baseline: "10 steps",
      baselineTime: formatTime(t10),
      ratio,
      target: "equal",
      status: equal ? "PASS" : "MISS",
      note: `trace + optimize + fuse + codegen, medians of 40 interleaved compiles; equal = within ±50% or ${NOISE_FLOOR_MS} ms ` +
        `(an unrolled loop would take ~1000× longer); ratio ${formatRatio(ratio)}`,
    });
    return rows;
  },
};
