// MLP forward pass, 256×784 → 512 (relu) → 10: two matmuls plus bias and relu.

import { sumTolerance } from "./check.js";
import { tsArray } from "./data.js";
import { JS, type Group } from "./group.js";
import { runComparison, type Contender } from "./harness.js";
import { BATCH, HIDDEN, IN, MLP_FLOPS, mlpByHand, mlpData, mlpForward, mlpJax, mlpTf, OUT } from "./mlp-model.js";
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
    const peers = peerContenders(ctx, { jax: (jax) => mlpJax(jax, d), tf: (tf) => mlpTf(tf, d) });
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
