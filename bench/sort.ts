// Sorting 1M floats: np.sort and np.argsort (a per-row LSD radix sort of order keys on the
// CPU backend) against hand-written JavaScript — Float32Array.prototype.sort on a copy, and
// for argsort an index array sorted with a comparator (value, then index: stable) — and
// @jax-js/jax's np.sort / np.argsort.

import { jit, np, type NDArray } from "../runtime/index.js";
import { uniform, tsArray } from "./data.js";
import { JS, type Group } from "./group.js";
import { runComparison, type Contender } from "./harness.js";
import { peerContenders } from "./peers.js";
import type { Row } from "./report.js";

const N = 1 << 20;

export const sortJit = jit((x: NDArray) => np.sort(x));
export const argsortJit = jit((x: NDArray) => np.argsort(x));

export function argsortByHand(x: Float32Array): Int32Array {
  const idx = new Int32Array(x.length);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  return idx.sort((a, b) => x[a]! - x[b]! || a - b);
}

export const sortGroup: Group = {
  id: "sort",
  title: "sorting",
  async run(ctx) {
    ctx.log("sort");
    const data = uniform(N, 21);
    const x = tsArray(data, [N]);
    const rows: Row[] = [];
    for (const kind of ["sort", "argsort"] as const) {
      const peers = peerContenders(ctx, {
        jax: ({ np: jnp, jit: jjit, array }) => {
          const jf = jjit((v: any) => (kind === "sort" ? jnp.sort(v) : jnp.argsort(v))); // eslint-disable-line @typescript-eslint/no-explicit-any
          const jx = array(data, [N]);
          return () => jf(jx.ref).dataSync();
        },
      });
      const contenders: Contender[] = [
        { name: "tsjit", run: () => (kind === "sort" ? sortJit(x) : argsortJit(x)).dataSync() },
        { name: JS, run: () => (kind === "sort" ? data.slice().sort() : argsortByHand(data)) },
        ...peers.contenders,
      ];
      rows.push(...runComparison({
        name: `np.${kind} of ${N / (1 << 20)}M f32`,
        contenders,
        reference: JS,
        tolerance: { rtol: 0, atol: 0 },
        target: { baseline: JS, minRatio: 1 },
        timing: { budgetMs: 4000 },
        unavailable: peers.unavailable,
      }).rows);
    }
    return rows;
  },
};
