// One training step of a small MLP (the examples/grad.ts model: 2 → 32 (tanh) → 1 on a
// batch of 256, mean squared error): loss and all four gradients, by jit(valueAndGrad).

import { jit, np, valueAndGrad, type NDArray } from "../runtime/index.js";
import { tsArray, uniform } from "./data.js";
import { JS, type Group } from "./group.js";
import { runComparison, type Contender } from "./harness.js";
import { jaxLabel } from "./peers.js";
import { formatTime } from "./report.js";

const B = 256, D = 2, H = 32;

interface Data { x: Float32Array; y: Float32Array; w1: Float32Array; b1: Float32Array; w2: Float32Array; b2: Float32Array }

function loss(w1: NDArray, b1: NDArray, w2: NDArray, b2: NDArray, x: NDArray, y: NDArray): NDArray {
  const h = np.tanh(np.add(np.matmul(x, w1), b1));
  return np.mean(np.square(np.subtract(np.add(np.matmul(h, w2), b2), y)));
}

function concat(parts: readonly ArrayLike<number>[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let k = 0;
  for (const p of parts) for (let i = 0; i < p.length; i++) out[k++] = p[i]!;
  return out;
}

/** The backward pass by hand, in float64: [loss, dw1, db1, dw2, db2]. */
function byHand(d: Data): Float32Array {
  const gw1 = new Float64Array(D * H), gb1 = new Float64Array(H), gw2 = new Float64Array(H), gb2 = new Float64Array(1);
  const h = new Float64Array(H);
  let L = 0;
  for (let i = 0; i < B; i++) {
    for (let j = 0; j < H; j++) {
      let s = d.b1[j]!;
      for (let k = 0; k < D; k++) s += d.x[i * D + k]! * d.w1[k * H + j]!;
      h[j] = Math.tanh(s);
    }
    let o = d.b2[0]!;
    for (let j = 0; j < H; j++) o += h[j]! * d.w2[j]!;
    const diff = o - d.y[i]!;
    L += (diff * diff) / B;
    const dout = (2 * diff) / B;
    gb2[0] += dout;
    for (let j = 0; j < H; j++) {
      gw2[j] += dout * h[j]!;
      const dpre = dout * d.w2[j]! * (1 - h[j]! * h[j]!);
      gb1[j] += dpre;
      for (let k = 0; k < D; k++) gw1[k * H + j] += dpre * d.x[i * D + k]!;
    }
  }
  return concat([[L], gw1, gb1, gw2, gb2]);
}

export const trainStepGroup: Group = {
  id: "train",
  title: "MLP training step",
  async run(ctx) {
    ctx.log("train step");
    const d: Data = { x: uniform(B * D, 41), y: uniform(B, 42), w1: uniform(D * H, 43), b1: uniform(H, 44, -0.1, 0.1), w2: uniform(H, 45, -0.3, 0.3), b2: uniform(1, 46, -0.1, 0.1) };
    const args = [tsArray(d.w1, [D, H]), tsArray(d.b1, [H]), tsArray(d.w2, [H]), tsArray(d.b2, []), tsArray(d.x, [B, D]), tsArray(d.y, [B])] as const;
    const step = jit(valueAndGrad(loss, { argnums: [0, 1, 2, 3] }));
    const contenders: Contender[] = [
      { name: "tsjit", run: () => {
        const [v, g] = step(...args) as [NDArray, NDArray[]];
        return concat([v.dataSync(), ...g.map((x) => x.dataSync())]);
      } },
      { name: `${JS}, float64`, run: () => byHand(d) },
    ];
    const unavailable = [];
    if (ctx.jax.ok) {
      const jax = ctx.jax.jax;
      const jnp = jax.np;
      const jloss = (w1: any, b1: any, w2: any, b2: any, x: any, y: any) => // eslint-disable-line @typescript-eslint/no-explicit-any
        jnp.mean(jnp.square(jnp.matmul(jnp.tanh(jnp.matmul(x, w1).add(b1)), w2).add(b2).sub(y)));
      const jf = jax.jit(jax.valueAndGrad(jloss, { argnums: [0, 1, 2, 3] }));
      const ja = [jax.array(d.w1, [D, H]), jax.array(d.b1, [H]), jax.array(d.w2, [H]), jax.array(d.b2, []), jax.array(d.x, [B, D]), jax.array(d.y, [B])];
      contenders.push({ name: jaxLabel(jax), run: () => {
        const [v, g] = jf(...ja.map((a: any) => a.ref)); // eslint-disable-line @typescript-eslint/no-explicit-any
        return concat([v.dataSync(), ...g.map((x: any) => x.dataSync())]); // eslint-disable-line @typescript-eslint/no-explicit-any
      } });
    } else unavailable.push({ baseline: "@jax-js/jax", reason: ctx.jax.reason });
    return runComparison({
      name: `MLP train step ${B}×${D} → ${H} → 1, jit(valueAndGrad)`,
      contenders,
      reference: `${JS}, float64`,
      tolerance: { rtol: 1e-4, atol: 1e-5 },
      format: formatTime,
      timing: { budgetMs: 3000, sampleMs: 20 },
      unavailable,
    }).rows;
  },
};
