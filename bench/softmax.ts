// Softmax over the rows of a 1024×1024 matrix (max, exp, sum, divide).

import { jit, np, type NDArray } from "../runtime/index.js";
import { uniform, tsArray } from "./data.js";
import { JS, type Group } from "./group.js";
import { runComparison, type Contender } from "./harness.js";
import { tsjitContenders } from "./backends.js";
import { peerContenders } from "./peers.js";

const R = 1024;
const C = 1024;

function softmaxFn(x: NDArray): NDArray {
  const e = np.exp(x.sub(np.max(x, -1, { keepdims: true })));
  return e.div(np.sum(e, -1, { keepdims: true }));
}
export const softmax = jit(softmaxFn);

export function softmaxByHand(x: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let m = -Infinity;
    for (let j = 0; j < cols; j++) m = Math.max(m, x[o + j]!);
    let s = 0;
    for (let j = 0; j < cols; j++) {
      const e = Math.exp(x[o + j]! - m);
      out[o + j] = e;
      s += e;
    }
    for (let j = 0; j < cols; j++) out[o + j] = out[o + j]! / s;
  }
  return out;
}

export const softmaxGroup: Group = {
  id: "softmax",
  title: "row softmax",
  async run(ctx) {
    ctx.log("softmax");
    const data = uniform(R * C, 4, -5, 5);
    const x = tsArray(data, [R, C]);
    const peers = peerContenders(ctx, {
      jax: ({ np: jnp, jit: jjit, array }) => {
        // The same formula as tsjit's (jax-js's nn.softmax is the same computation).
        const jf = jjit((x: any) => {
          const e = jnp.exp(x.ref.sub(jnp.max(x, -1, { keepdims: true })));
          return e.ref.div(jnp.sum(e, -1, { keepdims: true }));
        });
        const jx = array(data, [R, C]);
        return () => jf(jx.ref).dataSync();
      },
      // tfjs-wasm's softmax kernel (one op, max-subtracted like the formula above).
      tf: (tf) => {
        const tx = tf.tensor(data, [R, C]);
        return () => tf.run(() => tf.tf.softmax(tx, -1));
      },
    });
    const contenders: Contender[] = [
      ...tsjitContenders(ctx, softmaxFn, [x]),
      { name: JS, run: () => softmaxByHand(data, R, C) },
      ...peers.contenders,
    ];
    const unavailable = peers.unavailable;
    return runComparison({
      name: `softmax over rows, ${R}×${C} f32`,
      contenders,
      reference: softmaxByHand(data, R, C),
      tolerance: { rtol: 1e-5, atol: 1e-7 },
      timing: { budgetMs: 3000 },
      unavailable,
    }).rows;
  },
};
