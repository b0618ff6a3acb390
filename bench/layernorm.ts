// Layer normalization over the rows of a 4096×256 matrix: mean, centred variance, scale by
// 1/sqrt(var + eps), then a per-column gain and bias. Every contender computes the same
// formula (two reductions per row and elementwise work).

import { np, type NDArray } from "../runtime/index.js";
import { sumTolerance } from "./check.js";
import { uniform, tsArray } from "./data.js";
import { JS, type Group } from "./group.js";
import { runComparison, type Contender } from "./harness.js";
import { tsjitContenders } from "./backends.js";
import { peerContenders } from "./peers.js";

const R = 4096;
const C = 256;
const EPS = 1e-5;

export function layernormFn(x: NDArray, g: NDArray, b: NDArray): NDArray {
  const xc = x.sub(np.mean(x, -1, { keepdims: true }));
  const v = np.mean(xc.mul(xc), -1, { keepdims: true });
  return xc.div(np.sqrt(v.add(EPS))).mul(g).add(b);
}

export function layernormByHand(x: Float32Array, g: Float32Array, b: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let s = 0;
    for (let j = 0; j < cols; j++) s += x[o + j]!;
    const m = s / cols;
    let v = 0;
    for (let j = 0; j < cols; j++) {
      const d = x[o + j]! - m;
      v += d * d;
    }
    const inv = 1 / Math.sqrt(v / cols + EPS);
    for (let j = 0; j < cols; j++) out[o + j] = (x[o + j]! - m) * inv * g[j]! + b[j]!;
  }
  return out;
}

export const layernormGroup: Group = {
  id: "layernorm",
  title: "layer norm",
  async run(ctx) {
    ctx.log("layernorm");
    const data = uniform(R * C, 5, -3, 3);
    const gain = uniform(C, 6, 0.5, 1.5);
    const bias = uniform(C, 7, -0.5, 0.5);
    const args = [tsArray(data, [R, C]), tsArray(gain, [C]), tsArray(bias, [C])] as const;
    const peers = peerContenders(ctx, {
      jax: ({ np: jnp, jit: jjit, array }) => {
        const jf = jjit((x: any, g: any, b: any) => {
          const xc = x.ref.sub(jnp.mean(x, -1, { keepdims: true }));
          const v = jnp.mean(xc.ref.mul(xc.ref), -1, { keepdims: true });
          return xc.div(jnp.sqrt(v.add(EPS))).mul(g).add(b);
        });
        const ja = [array(data, [R, C]), array(gain, [C]), array(bias, [C])];
        return () => jf(...ja.map((a) => a.ref)).dataSync();
      },
      tf: (tf) => {
        const T = tf.tf;
        const [x, g, b] = [tf.tensor(data, [R, C]), tf.tensor(gain, [C]), tf.tensor(bias, [C])];
        return () => tf.run(() => {
          const xc = T.sub(x, T.mean(x, -1, true));
          const v = T.mean(T.mul(xc, xc), -1, true);
          return T.add(T.mul(T.div(xc, T.sqrt(T.add(v, EPS))), g), b);
        });
      },
    });
    const contenders: Contender[] = [
      ...tsjitContenders(ctx, layernormFn, args),
      { name: JS, run: () => layernormByHand(data, gain, bias, R, C) },
      ...peers.contenders,
    ];
    return runComparison({
      name: `layer norm over rows, ${R}×${C} f32`,
      contenders,
      reference: JS,
      tolerance: sumTolerance(C),
      timing: { budgetMs: 3000 },
      unavailable: peers.unavailable,
    }).rows;
  },
};
