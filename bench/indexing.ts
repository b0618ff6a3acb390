// Gather and scatter: an embedding lookup (4k rows of a 50k×256 table, through the fused
// gather) and its scatter-add (4k rows of updates, with repeats, added into a copy of the
// table: a serial pass, as repeated indices must accumulate in order).

import { jit, np, type NDArray } from "tsjit";
import { uniform, tsArray } from "./data.js";
import { JS, type Group } from "./group.js";
import { runComparison, type Contender } from "./harness.js";
import type { Row } from "./report.js";

const V = 50_000, D = 256, K = 4096;

export const lookup = jit((table: NDArray, ids: NDArray) => table.slice(ids));
export const scatterAdd = jit((table: NDArray, ids: NDArray, g: NDArray) => table.at(ids).add(g));

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
    const gatherContenders: Contender[] = [
      { name: "tsjit", run: () => lookup(table, ids).dataSync() },
      { name: JS, run: () => lookupByHand(dt, di) },
    ];
    const unavailable = [];
    // The peer helper builds float32 arrays only; jax-js is not compared on int32 index arrays here.
    unavailable.push({ baseline: "@jax-js/jax", reason: ctx.jax.ok ? "int32 index arrays not wired in this bench" : ctx.jax.reason });
    rows.push(...runComparison({
      name: `embedding lookup ${V / 1000}k×${D}, ${K} ids`,
      contenders: gatherContenders,
      reference: JS,
      target: { baseline: JS, minRatio: 0.5 },
      timing: { budgetMs: 3000 },
      unavailable,
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
    return rows;
  },
};
