// Fused elementwise: tanh(x*a+b)*0.5+x on 1M and 16M float32s, one kernel in tsjit,
// against the plain for loop one would write by hand (Math.tanh) and jax-js's jit.

import { jit, np, type NDArray } from "../runtime/index.js";
import { fastTanh } from "../runtime/backend/cpu/scalar-ops.js";
import { uniform, tsArray } from "./data.js";
import { JS, type Group } from "./group.js";
import { runComparison, type Contender } from "./harness.js";
import { jaxLabel } from "./peers.js";
import type { Row } from "./report.js";

const A = 0.7;
const B = 0.1;

/** The hand-written loop: what a JS programmer writes without a library. */
export function fusedByHand(x: Float32Array, a: number, b: number): Float32Array {
  const n = x.length;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]! * a + b) * 0.5 + x[i]!;
  return out;
}

/** The same loop writing into a caller-provided output (no allocation): no allocation cost. */
export function fusedByHandInto(out: Float32Array, x: Float32Array, a: number, b: number): Float32Array {
  const n = x.length;
  for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]! * a + b) * 0.5 + x[i]!;
  return out;
}

/** The hand-written loop with tsjit's own tanh approximation: isolates code generation from the math. */
export function fusedByHandFastTanh(x: Float32Array, a: number, b: number): Float32Array {
  const n = x.length;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = fastTanh(x[i]! * a + b) * 0.5 + x[i]!;
  return out;
}

export const fused = jit((x: NDArray, a: number, b: number) => np.tanh(x.mul(a).add(b)).mul(0.5).add(x));

export const fusedGroup: Group = {
  id: "fused",
  title: "fused elementwise tanh(x*a+b)*0.5+x",
  async run(ctx) {
    const rows: Row[] = [];
    for (const [label, n] of [["1M", 1 << 20], ["16M", 1 << 24]] as const) {
      ctx.log(`fused ${label}`);
      const data = uniform(n, 1, -3, 3);
      const x = tsArray(data, [n]);
      const out = new Float32Array(n);
      const contenders: Contender[] = [
        { name: "tsjit", run: () => fused(x, A, B).dataSync() },
        { name: JS, run: () => fusedByHand(data, A, B) },
        { name: `${JS}, preallocated output`, run: () => fusedByHandInto(out, data, A, B) },
      ];
      if (n <= 1 << 20) contenders.push({ name: `${JS}, tsjit's tanh approximation`, run: () => fusedByHandFastTanh(data, A, B) });
      const unavailable = [];
      if (ctx.jax.ok) {
        const jax = ctx.jax.jax;
        const jf = jax.jit((x: any, a: any, b: any) => jax.np.tanh(x.ref.mul(a).add(b)).mul(0.5).add(x));
        const jx = jax.array(data, [n]);
        contenders.push({ name: jaxLabel(jax), run: () => jf(jx.ref, A, B).dataSync() });
      } else unavailable.push({ baseline: "@jax-js/jax", reason: ctx.jax.reason });
      const big = n > 1 << 20;
      rows.push(...runComparison({
        name: `fused tanh(x*a+b)*0.5+x, ${label} f32`,
        contenders,
        reference: fusedByHand(data, A, B),
        target: { baseline: JS, minRatio: 1.0 },
        timing: big ? { sampleMs: 50, minSamples: 5, maxSamples: 9, budgetMs: 6000 } : { budgetMs: 3000 },
        unavailable,
      }).rows);
    }
    return rows;
  },
};
