// Run in a fresh Node process by first-call.ts, so that nothing is warm: V8 has compiled
// none of tsjit's code and nothing has been traced — what an application sees on its
// first call. Prints one line of JSON (a FirstCall).
//
//   tsjit  the first call of a jitted MLP, then steady-state calls
//   split  the same trace + compile alone, through lower() (trace) and asText("js")
//          (optimize, fuse, generate, new Function), before any kernel has run
//   hand   the hand-written forward pass: its first call pays V8's warm-up only
//   jax    @jax-js/jax's jit of the same model
//   tf     tfjs-wasm (single thread) running the same model op by op
//   tsjit-wasm  as tsjit, on the wasm backend

import { jit, type BackendName } from "tsjit";
import { tsArray } from "./data.js";
import { BATCH, HIDDEN, IN, mlpByHand, mlpData, mlpForward, OUT } from "./mlp-model.js";
import { loadJaxJs, loadTfWasm } from "./peers.js";
import { median } from "./timing.js";

export interface FirstCall {
  /** ms of the first call (trace + compile + first run + readback). */
  readonly first: number;
  /** Median ms of the following calls. */
  readonly steady: number;
  /** split: ms tracing (lower) and compiling (asText("js")). */
  readonly trace?: number;
  readonly compile?: number;
  readonly error?: string;
}

function measure(call: () => unknown): FirstCall {
  let t = performance.now();
  call();
  const first = performance.now() - t;
  const rest: number[] = [];
  for (let i = 0; i < 5; i++) {
    t = performance.now();
    call();
    rest.push(performance.now() - t);
  }
  return { first, steady: median(rest) };
}

async function main(): Promise<void> {
  const which = process.argv[2];
  const d = mlpData();
  const args = [tsArray(d.x, [BATCH, IN]), tsArray(d.w1, [IN, HIDDEN]), tsArray(d.b1, [HIDDEN]), tsArray(d.w2, [HIDDEN, OUT]), tsArray(d.b2, [OUT])] as const;
  let result: FirstCall;
  if (which === "tsjit" || which === "tsjit-wasm") {
    const mlp = jit(mlpForward, which === "tsjit-wasm" ? { backend: "wasm" as BackendName } : {});
    result = measure(() => mlp(...args).dataSync());
    if (mlp.stats.traces !== 1 || mlp.stats.compiles !== 1) throw new Error(`unexpected stats ${JSON.stringify(mlp.stats)}`);
  } else if (which === "split") {
    const mlp = jit(mlpForward);
    const t0 = performance.now();
    const lowered = mlp.lower(...args);
    const t1 = performance.now();
    lowered.asText("js");
    const t2 = performance.now();
    result = { ...measure(() => mlp(...args).dataSync()), trace: t1 - t0, compile: t2 - t1 };
  } else if (which === "hand") {
    result = measure(() => mlpByHand(d));
  } else if (which === "jax") {
    const peer = await loadJaxJs();
    if (!peer.ok) {
      result = { first: NaN, steady: NaN, error: peer.reason };
    } else {
      const jax = peer.jax;
      const jnp = jax.np;
      const ja = [jax.array(d.x, [BATCH, IN]), jax.array(d.w1, [IN, HIDDEN]), jax.array(d.b1, [HIDDEN]), jax.array(d.w2, [HIDDEN, OUT]), jax.array(d.b2, [OUT])];
      const jf = jax.jit((x: any, w1: any, b1: any, w2: any, b2: any) => jnp.matmul(jnp.maximum(jnp.matmul(x, w1).add(b1), 0), w2).add(b2));
      result = measure(() => jf(...ja.map((a) => a.ref)).dataSync());
    }
  } else if (which === "tf") {
    const peer = await loadTfWasm();
    if (!peer.ok) {
      result = { first: NaN, steady: NaN, error: peer.reason };
    } else {
      const tf = peer.tf;
      const [x, w1, b1, w2, b2] = [tf.tensor(d.x, [BATCH, IN]), tf.tensor(d.w1, [IN, HIDDEN]), tf.tensor(d.b1, [HIDDEN]), tf.tensor(d.w2, [HIDDEN, OUT]), tf.tensor(d.b2, [OUT])];
      result = measure(() => tf.run(() => { const T = tf.tf; return T.add(T.matMul(T.relu(T.add(T.matMul(x, w1), b1)), w2), b2); }));
    }
  } else {
    throw new Error("usage: first-call-child.js tsjit|tsjit-wasm|split|hand|jax|tf");
  }
  console.log(JSON.stringify(result));
}

await main();
