// The wasm backend against the cpu backend and @jax-js/jax (whose wasm backend is the peer
// it is meant to beat), on fused elementwise work, softmax, layer norm and cache-hit
// dispatch. tsjit here = `backend: "wasm"`; inputs live in wasm memory already.

import { jit, np, type NDArray } from "../runtime/index.js";
import { uniform } from "./data.js";
import type { Group } from "./group.js";
import { runComparison, type Contender } from "./harness.js";
import { jaxLabel } from "./peers.js";
import type { Row } from "./report.js";
import { softmaxByHand } from "./softmax.js";
import { fusedByHand } from "./fused.js";
import { layernormByHand, layernormFn } from "./layernorm.js";

const A = 0.7;
const B = 0.1;
const CPU = "tsjit cpu backend";

const fusedFn = (x: NDArray, a: number, b: number) => np.tanh(x.mul(a).add(b)).mul(0.5).add(x);
const softmaxFn = (x: NDArray) => {
  const e = np.exp(x.sub(np.max(x, -1, { keepdims: true })));
  return e.div(np.sum(e, -1, { keepdims: true }));
};
const on = (data: Float32Array, shape: number[], backend: "wasm" | "cpu") => np.array(data, { backend }).reshape(shape);

export const wasmGroup: Group = {
  id: "wasm",
  title: "wasm backend vs cpu backend and @jax-js/jax",
  async run(ctx) {
    const rows: Row[] = [];
    const jax = ctx.jax.ok ? ctx.jax.jax : undefined;
    const unavailable = jax ? [] : [{ baseline: "@jax-js/jax", reason: (ctx.jax as { reason: string }).reason }];
    const jaxName = jax ? jaxLabel(jax) : "";

    {
      ctx.log("wasm fused 1M");
      const n = 1 << 20;
      const data = uniform(n, 1, -3, 3);
      const fw = jit(fusedFn, { backend: "wasm" }), fc = jit(fusedFn, { backend: "cpu" });
      const xw = on(data, [n], "wasm"), xc = on(data, [n], "cpu");
      const contenders: Contender[] = [
        { name: "tsjit", run: () => fw(xw, A, B).dataSync() },
        { name: CPU, run: () => fc(xc, A, B).dataSync() },
      ];
      if (jax) {
        const jf = jax.jit((x: any, a: any, b: any) => jax.np.tanh(x.ref.mul(a).add(b)).mul(0.5).add(x));
        const jx = jax.array(data, [n]);
        contenders.push({ name: jaxName, run: () => jf(jx.ref, A, B).dataSync() });
      }
      rows.push(...runComparison({
        name: "wasm: fused tanh(x*a+b)*0.5+x, 1M f32", contenders, reference: fusedByHand(data, A, B),
        target: jax ? { baseline: jaxName, minRatio: 2 } : undefined, timing: { budgetMs: 3000 }, unavailable,
      }).rows);
    }

    {
      ctx.log("wasm softmax 1024²");
      const R = 1024, C = 1024;
      const data = uniform(R * C, 4, -5, 5);
      const fw = jit(softmaxFn, { backend: "wasm" }), fc = jit(softmaxFn, { backend: "cpu" });
      const xw = on(data, [R, C], "wasm"), xc = on(data, [R, C], "cpu");
      const contenders: Contender[] = [
        { name: "tsjit", run: () => fw(xw).dataSync() },
        { name: CPU, run: () => fc(xc).dataSync() },
      ];
      if (jax) {
        const jf = jax.jit((x: any) => {
          const e = jax.np.exp(x.ref.sub(jax.np.max(x, -1, { keepdims: true })));
          return e.ref.div(jax.np.sum(e, -1, { keepdims: true }));
        });
        const jx = jax.array(data, [R, C]);
        contenders.push({ name: jaxName, run: () => jf(jx.ref).dataSync() });
      }
      rows.push(...runComparison({
        name: `wasm: softmax over rows, ${R}×${C} f32`, contenders, reference: softmaxByHand(data, R, C),
        tolerance: { rtol: 1e-5, atol: 1e-7 }, target: jax ? { baseline: jaxName, minRatio: 1 } : undefined, timing: { budgetMs: 3000 }, unavailable,
      }).rows);
    }

    {
      ctx.log("wasm layernorm 4096×256");
      const R = 4096, C = 256;
      const data = uniform(R * C, 5, -2, 2), g = uniform(C, 6, 0.5, 1.5), b = uniform(C, 7, -0.1, 0.1);
      const fw = jit(layernormFn, { backend: "wasm" }), fc = jit(layernormFn, { backend: "cpu" });
      const [xw, gw, bw] = [on(data, [R, C], "wasm"), on(g, [C], "wasm"), on(b, [C], "wasm")];
      const [xc, gc, bc] = [on(data, [R, C], "cpu"), on(g, [C], "cpu"), on(b, [C], "cpu")];
      const contenders: Contender[] = [
        { name: "tsjit", run: () => fw(xw, gw, bw).dataSync() },
        { name: CPU, run: () => fc(xc, gc, bc).dataSync() },
      ];
      if (jax) {
        const jf = jax.jit((x: any, g: any, b: any) => {
          const m = jax.np.mean(x.ref, -1, { keepdims: true });
          const d = x.sub(m);
          const v = jax.np.mean(d.ref.mul(d.ref), -1, { keepdims: true });
          return d.div(jax.np.sqrt(v.add(1e-5))).mul(g).add(b);
        });
        const [jx, jg, jb] = [jax.array(data, [R, C]), jax.array(g, [C]), jax.array(b, [C])];
        contenders.push({ name: jaxName, run: () => jf(jx.ref, jg.ref, jb.ref).dataSync() });
      }
      rows.push(...runComparison({
        name: `wasm: layer norm over rows, ${R}×${C} f32`, contenders, reference: layernormByHand(data, g, b, R, C),
        tolerance: { rtol: 1e-4, atol: 1e-5 }, target: jax ? { baseline: jaxName, minRatio: 1 } : undefined, timing: { budgetMs: 3000 }, unavailable,
      }).rows);
    }

    {
      ctx.log("wasm dispatch");
      const inc = (x: NDArray) => x.add(1);
      const fw = jit(inc, { backend: "wasm" }), fc = jit(inc, { backend: "cpu" });
      const xw = on(Float32Array.of(41), [1], "wasm"), xc = on(Float32Array.of(41), [1], "cpu");
      const contenders: Contender[] = [
        { name: "tsjit", run: () => fw(xw).dataSync() },
        { name: CPU, run: () => fc(xc).dataSync() },
      ];
      if (jax) {
        const jf = jax.jit((x: any) => x.add(1));
        const jx = jax.array(Float32Array.of(41), [1]);
        contenders.push({ name: `${jaxName}, whole call`, run: () => jf(jx.ref).dataSync() });
      }
      rows.push(...runComparison({
        name: "wasm: cache-hit call jit(x => x.add(1)), f32[1], whole call", contenders, reference: [42],
        timing: { sampleMs: 20, minSamples: 9, maxSamples: 21, budgetMs: 3000 }, unavailable,
      }).rows);
    }
    return rows;
  },
};
