// A 10-op elementwise chain over two 1M-float inputs, fused into one loop by tsjit.

import { jit, np, type NDArray } from "../runtime/index.js";
import { uniform, tsArray } from "./data.js";
import { JS, type Group } from "./group.js";
import { runComparison, type Contender } from "./harness.js";
import { jaxLabel } from "./peers.js";

const N = 1 << 20;

// 1 mul, 2 add, 3 abs, 4 add, 5 div, 6 maximum, 7 negative, 8 exp, 9 mul, 10 subtract.
export const chain = jit((x: NDArray, y: NDArray) => {
  const t = x.mul(y).add(0.5).div(np.abs(y).add(1));
  return np.exp(np.maximum(t, -1).neg()).mul(x).sub(y);
});

export function chainByHand(x: Float32Array, y: Float32Array): Float32Array {
  const n = x.length;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    const yi = y[i]!;
    const t = (xi * yi + 0.5) / (Math.abs(yi) + 1);
    out[i] = Math.exp(-Math.max(t, -1)) * xi - yi;
  }
  return out;
}

export const chainGroup: Group = {
  id: "chain",
  title: "10-op elementwise chain",
  async run(ctx) {
    ctx.log("chain");
    const dx = uniform(N, 2, -2, 2);
    const dy = uniform(N, 3, -2, 2);
    const x = tsArray(dx, [N]);
    const y = tsArray(dy, [N]);
    const contenders: Contender[] = [
      { name: "tsjit", run: () => chain(x, y).dataSync() },
      { name: JS, run: () => chainByHand(dx, dy) },
    ];
    const unavailable = [];
    if (ctx.jax.ok) {
      const { np: jnp, jit: jjit } = ctx.jax.jax;
      const jf = jjit((x: any, y: any) => {
        const t = x.ref.mul(y.ref).add(0.5).div(jnp.abs(y.ref).add(1));
        return jnp.exp(jnp.maximum(t, -1).neg()).mul(x).sub(y);
      });
      const jx = ctx.jax.jax.array(dx, [N]);
      const jy = ctx.jax.jax.array(dy, [N]);
      contenders.push({ name: jaxLabel(ctx.jax.jax), run: () => jf(jx.ref, jy.ref).dataSync() });
    } else unavailable.push({ baseline: "@jax-js/jax", reason: ctx.jax.reason });
    return runComparison({
      name: "10-op elementwise chain, 2×1M f32",
      contenders,
      reference: chainByHand(dx, dy),
      target: { baseline: JS, minRatio: 1.0 },
      timing: { budgetMs: 3000 },
      unavailable,
    }).rows;
  },
};
