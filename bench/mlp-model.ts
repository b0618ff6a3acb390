// The MLP used by the forward-pass and first-call benchmarks: 784 → 512 (relu) → 10 on a
// batch of 256, its weights, and the hand-written forward pass.

import { np, type NDArray } from "../runtime/index.js";
import { uniform } from "./data.js";
import type { JaxJs, TfWasm } from "./peers.js";

export const BATCH = 256;
export const IN = 784;
export const HIDDEN = 512;
export const OUT = 10;
export const MLP_FLOPS = 2 * BATCH * IN * HIDDEN + 2 * BATCH * HIDDEN * OUT;

export interface MlpData {
  readonly x: Float32Array;
  readonly w1: Float32Array;
  readonly b1: Float32Array;
  readonly w2: Float32Array;
  readonly b2: Float32Array;
}

export function mlpData(): MlpData {
  // Glorot-like scales keep activations O(1).
  return {
    x: uniform(BATCH * IN, 31, 0, 1),
    w1: uniform(IN * HIDDEN, 32, -1 / Math.sqrt(IN), 1 / Math.sqrt(IN)),
    b1: uniform(HIDDEN, 33, -0.1, 0.1),
    w2: uniform(HIDDEN * OUT, 34, -1 / Math.sqrt(HIDDEN), 1 / Math.sqrt(HIDDEN)),
    b2: uniform(OUT, 35, -0.1, 0.1),
  };
}

/** The model as a tsjit function (jit it once per use). */
export function mlpForward(x: NDArray, w1: NDArray, b1: NDArray, w2: NDArray, b2: NDArray): NDArray {
  const h = np.maximum(np.matmul(x, w1).add(b1), 0);
  return np.matmul(h, w2).add(b2);
}

/** The forward pass by hand: i-k-j matmuls with the bias and relu folded in. */
export function mlpByHand(d: MlpData): Float32Array {
  const h = new Float32Array(BATCH * HIDDEN);
  const out = new Float32Array(BATCH * OUT);
  const { x, w1, b1, w2, b2 } = d;
  for (let i = 0; i < BATCH; i++) {
    const hi = i * HIDDEN;
    for (let j = 0; j < HIDDEN; j++) h[hi + j] = b1[j]!;
    for (let p = 0; p < IN; p++) {
      const a = x[i * IN + p]!;
      const wp = p * HIDDEN;
      for (let j = 0; j < HIDDEN; j++) h[hi + j] = h[hi + j]! + a * w1[wp + j]!;
    }
    for (let j = 0; j < HIDDEN; j++) h[hi + j] = Math.max(h[hi + j]!, 0);
    const oi = i * OUT;
    for (let j = 0; j < OUT; j++) out[oi + j] = b2[j]!;
    for (let p = 0; p < HIDDEN; p++) {
      const a = h[hi + p]!;
      const wp = p * OUT;
      for (let j = 0; j < OUT; j++) out[oi + j] = out[oi + j]! + a * w2[wp + j]!;
    }
  }
  return out;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
/** The same forward pass on @jax-js/jax: one call (inputs made once, passed as refs). */
export function mlpJax(jax: JaxJs, d: MlpData): () => ArrayLike<number> {
  const jnp = jax.np;
  const ja = [jax.array(d.x, [BATCH, IN]), jax.array(d.w1, [IN, HIDDEN]), jax.array(d.b1, [HIDDEN]), jax.array(d.w2, [HIDDEN, OUT]), jax.array(d.b2, [OUT])];
  const jf = jax.jit((x: any, w1: any, b1: any, w2: any, b2: any) => jnp.matmul(jnp.maximum(jnp.matmul(x, w1).add(b1), 0), w2).add(b2));
  return () => jf(...ja.map((a) => a.ref)).dataSync();
}

/** The same forward pass on tfjs-wasm, op by op: one call. */
export function mlpTf(tf: TfWasm, d: MlpData): () => ArrayLike<number> {
  const T = tf.tf;
  const [x, w1, b1, w2, b2] = [tf.tensor(d.x, [BATCH, IN]), tf.tensor(d.w1, [IN, HIDDEN]), tf.tensor(d.b1, [HIDDEN]), tf.tensor(d.w2, [HIDDEN, OUT]), tf.tensor(d.b2, [OUT])];
  return () => tf.run(() => T.add(T.matMul(T.relu(T.add(T.matMul(x, w1), b1)), w2), b2));
}
