// JVP and batching rules of sort and top_k (JAX's lax.py rules are the model). Sorting is
// a permutation: the JVP sorts an iota alongside the operands and gathers each tangent
// through that permutation (a gather, linear in the tangent, so reverse mode transposes it
// into a scatter-add); top_k gathers the tangent at its indices. Index outputs are int32
// and get no tangent. Batching moves the batch axis to 0 and shifts the sort dimension.

import * as p from "../../primitives/index.js";
import type { SortParams } from "../../primitives/sort.js";
import { bind, bind1, type Operand } from "../../trace/core.js";
import { avalOf, iota, moveAxis } from "../ops.js";
import { batchAt0 } from "../batching.js";
import { batchRules } from "./batch.js";
import { jvpRules } from "./jvp.js";

/** `t` permuted along `dim` by `perm` (same shape as the result): t[i0, ..., perm[i], ...]. */
export function permuted(t: Operand, perm: Operand, dim: number): Operand {
  const shape = avalOf(perm).shape as number[];
  const indices = shape.map((_, d) => (d === dim ? perm : iota(shape, d)));
  return bind1(p.gather, [t, ...indices], { axes: shape.map((_, d) => d) });
}

jvpRules.set("sort", (primals, tangents, params) => {
  if (tangents.every((t) => t === null)) {
    const outs = bind(p.sort, primals, params);
    return [outs, outs.map(() => null)];
  }
  const { dimension } = params as SortParams;
  const outs = bind(p.sort, [...primals, iota(avalOf(primals[0]!).shape as number[], dimension)], params);
  const perm = outs.pop()!;
  return [outs, tangents.map((t) => (t === null ? null : permuted(t, perm, dimension)))];
});

jvpRules.set("top_k", ([x], [t], params) => {
  const [values, indices] = bind(p.topK, [x!], params);
  const rank = avalOf(x!).ndim;
  return [[values!, indices!], [t === null ? null : permuted(t, indices!, rank - 1), null]];
});

batchRules.set("sort", (vals, dims, params, size) => {
  const ins = vals.map((v, i) => batchAt0(v, dims[i]!, size));
  const outs = bind(p.sort, ins, { ...params, dimension: (params as SortParams).dimension + 1 });
  return [outs, outs.map(() => 0)];
});

batchRules.set("top_k", ([x], [d], params) => {
  // top_k works on the last axis: a batch axis there moves to the front.
  const last = avalOf(x!).ndim - 1;
  const at = d === last ? 0 : d!;
  const outs = bind(p.topK, [d === last ? moveAxis(x!, d, 0) : x!], params);
  return [outs, [at, at]];
});
