// Gather and scatter: an embedding lookup (4k rows of a 50k×256 table, through the fused
// gather, whose contiguous rows the CPU codegen copies as blocks) and its scatter-add (4k
// rows of updates, with repeats, added into a copy of the table: a serial pass, as repeated
// indices must accumulate in order); and np.cumsum of 16M float32s.

import { jit, np, type NDArray } from "../runtime/index.js";
import { uniform, tsArray } from "./data.js";
import { JS, type Group } from "./group.js";
import { runComparison } from "./harness.js";
import { sumTolerance } from "./check.js";
import { peerContenders } from "./peers.js";
import type { Row } from "./report.js";

const V = 50_000, D = 256, K = 4096;

export const lookup = jit((table: NDArray, ids: NDArray) => table.slice(ids));
export const scatterAdd = jit((table: NDArray, ids: NDArray, g: NDArray) => table.at(ids).add(g));
export const cumsum = jit((x: NDArray) => np.cumsum(x));

const N_CUMSUM = 1 << 24;

/** The running sum one writes by hand (a float64 accumulator, stored as float32). */
export function cumsumByHand(x: Float32Array): Float32Array {
  const out = new Float32Array(x.length);
  let acc = 0;
  for (let i = 0; i < x.length; i++) out[i] = acc += x[i]!;
  return out;
}

function lookupByHand(table: Float32Array, ids: Int32Array): Float32Array {
  const out = new Float32Array(ids.length * D);
  for (let k = 0; k < ids.length; k++) out.set(table.subarray(ids[k]! * D, ids[k]! * D + D), k * D);
  return out;
}

function scatterAddByHand(table: Float32Array, ids: Int32Array, g: Float32Array): Float32Array {
  const out = table.slice();
  for (let k = 0; k < ids.length; k++) {
    const base = ids[k]! * D;
    for (let j = 0; j < D; j++) out[base + j] = Math.fround(out[base + j]! + g[k * D + j]!);
  }
  return out;
}

export const indexingGroup: Group = {
  id: "indexing",
  title: "gather / scatter",
  async run(ctx) {
    ctx.log("indexing");
    const dt = uniform(V * D, 11), dg = uniform(K * D, 12);
    const di = Int32Array.from(uniform(K, 13, 0, V), (v) => Math.floor(v) % 2000); // repeats: 2000 distinct rows
    const table = tsArray(dt, [V, D]), g = tsArray(dg, [K, D]);
    const ids = np.array(di, { dtype: "int32" });
    const rows: Row[] = [];
    const gatherPeers = peerContenders(ctx, {
      jax: (jax) => {
        const jf = jax.jit((t: any, i: any) => jax.np.take(t, i, 0));
        const jt = jax.array(dt, [V, D]), ji = jax.array(di, [K]);
        return () => jf(jt.ref, ji.ref).dataSync();
      },
    });
    rows.push(...runComparison({
      name: `embedding lookup ${V / 1000}k×${D}, ${K} ids`,
      contenders: [
        { name: "tsjit", run: () => lookup(table, ids).dataSync() },
        { name: JS, run: () => lookupByHand(dt, di) },
        ...gatherPeers.contenders,
      ],
      reference: JS,
      target: { baseline: JS, minRatio: 0.5 },
      timing: { budgetMs: 3000 },
      unavailable: gatherPeers.unavailable,
    }).rows);
    rows.push(...runComparison({
      name: `scatter-add ${K}×${D} into ${V / 1000}k×${D} (copy + add)`,
      contenders: [
        { name: "tsjit", run: () => scatterAdd(table, ids, g).dataSync() },
        { name: JS, run: () => scatterAddByHand(dt, di, dg) },
      ],
      reference: JS,
      target: { baseline: JS, minRatio: 0.5 },
      timing: { budgetMs: 3000 },
      unavailable: [{ baseline: "@jax-js/jax", reason: "no functional scatter (.at) compared" }],
    }).rows);
    ctx.log("cumsum 16M");
    const dc = uniform(N_CUMSUM, 14);
    const xc = tsArray(dc, [N_CUMSUM]);
    const scanPeers = peerContenders(ctx, {
      jax: (jax) => {
        const jf = jax.jit((x: any) => jax.np.cumsum(x));
        const jx = jax.array(dc, [N_CUMSUM]);
        return () => jf(jx.ref).dataSync();
      },
    });
    rows.push(...runComparison({
      name: "cumsum 16M f32",
      contenders: [
        { name: "tsjit", run: () => cumsum(xc).dataSync() },
        { name: JS, run: () => cumsumByHand(dc) },
        ...scanPeers.contenders,
      ],
      reference: JS,
      tolerance: sumTolerance(N_CUMSUM),
      timing: { sampleMs: 50, minSamples: 5, maxSamples: 9, budgetMs: 8000 },
      unavailable: scanPeers.unavailable,
    }).rows);
    return rows;
  },
};
