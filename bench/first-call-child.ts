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

import { jit } from "../runtime/index.js";
import { tsArray } from "./data.js";
import { BATCH, HIDDEN, IN, mlpByHand, mlpData, mlpForward, mlpJax, mlpTf, OUT } from "./mlp-model.js";
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
    const mlp = jit(mlpForward, which === "tsjit-wasm" ? { backend: "wasm" } : {});
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
  } else if (which === "jax" || which === "tf") {
    const peer = which === "jax" ? await loadJaxJs() : await loadTfWasm();
    result = !peer.ok ? { first: NaN, steady: NaN, error: peer.reason } : measure("jax" in peer ? mlpJax(peer.jax, d) : mlpTf(peer.tf, d));
  } else {
    throw new Error("usage: first-call-child.js tsjit|tsjit-wasm|split|hand|jax|tf");
  }
  console.log(JSON.stringify(result));
}

await main();
