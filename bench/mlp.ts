// MLP forward pass, 256×784 → 512 (relu) → 10: two matmuls plus bias and relu.

import { sumTolerance } from "./check.js";
import { tsArray } from "./data.js";
import { JS, type Group } from "./group.js";
import { runComparison, type Contender } from "./harness.js";
import { BATCH, HIDDEN, IN, MLP_FLOPS, mlpByHand, mlpData, mlpForward, OUT } from "./mlp-model.js";
import { tsjitContenders } from "./backends.js";
import { peerContenders, tfLabel } from "./peers.js";
import { formatTime, gflops } from "./report.js";

export const mlpGroup: Group = {
  id: "mlp",
  title: "MLP forward",
  async run(ctx) {
    ctx.log("mlp");
    const d = mlpData();
    const args = [tsArray(d.x, [BATCH, IN]), tsArray(d.w1, [IN, HIDDEN]), tsArray(d.b1, [HIDDEN]), tsArray(d.w2, [HIDDEN, OUT]), tsArray(d.b2, [OUT])] as const;
    const peers = peerContenders(ctx, {
      jax: (jax) => {
        const jnp = jax.np;
        const jf = jax.jit((x: any, w1: any, b1: any, w2: any, b2: any) => jnp.matmul(jnp.maximum(jnp.matmul(x, w1).add(b1), 0), w2).add(b2));
        const ja = [jax.array(d.x, [BATCH, IN]), jax.array(d.w1, [IN, HIDDEN]), jax.array(d.b1, [HIDDEN]), jax.array(d.w2, [HIDDEN, OUT]), jax.array(d.b2, [OUT])];
        return () => jf(...ja.map((a) => a.ref)).dataSync();
      },
      tf: (tf) => {
        const [x, w1, b1, w2, b2] = [tf.tensor(d.x, [BATCH, IN]), tf.tensor(d.w1, [IN, HIDDEN]), tf.tensor(d.b1, [HIDDEN]), tf.tensor(d.w2, [HIDDEN, OUT]), tf.tensor(d.b2, [OUT])];
        return () => tf.run(() => { const T = tf.tf; return T.add(T.matMul(T.relu(T.add(T.matMul(x, w1), b1)), w2), b2); });
      },
    });
    const contenders: Contender[] = [
      ...tsjitContenders(ctx, mlpForward, args),
      { name: `${JS}, i-k-j`, run: () => mlpByHand(d) },
      ...peers.contenders,
    ];
    const unavailable = peers.unavailable;
    return runComparison({
      name: `MLP forward ${BATCH}×${IN} → ${HIDDEN} → ${OUT}`,
      contenders,
      reference: `${JS}, i-k-j`,
      tolerance: sumTolerance(IN),
      format: (ms) => `${formatTime(ms)} (${gflops(MLP_FLOPS, ms).toFixed(2)} GFLOP/s)`,
      timing: { budgetMs: 5000, sampleMs: 30 },
      unavailable,
      // The wasm backend's target (issue 15): ≥ 1.0× tfjs-wasm, single thread.
      target: ctx.tf.ok ? { baseline: tfLabel(ctx.tf.tf), minRatio: 1.0 } : undefined,
    }).rows;
  },
};
