// JVP, transpose and batching rules of cumsum/cumprod/cummax/cummin (JAX's lax.control
// rules are the model).
// - cumsum is linear: its tangent is the cumsum of the tangent, and its transpose is the
//   cumsum in the other direction (reverse flipped).
// - cummax/cummin: the tangent at k is the tangent of the element the running extreme took
//   its value from — the last position j ≤ k (in fold order) with x_j equal to the running
//   value, found as a cummax (cummin when reverse) of those positions, then a gather.
// - cumprod, safe for zeros: with z = (x == 0), x' = x with zeros replaced by 1, c the
//   running count of zeros and P' = cumprod(x'), dy_k = Σ_{j≤k} t_j Π_{i≤k, i≠j} x_i is
//     P'_k · cumsum(t / x')_k           where c_k = 0 (no zero yet),
//     P'_k · t_{j0}                     where c_k = 1 (j0 the zero: only its term survives),
//     0                                  where c_k ≥ 2,
//   and t_{j0} = cumsum(t where z and c = 1)_k. Linear in t (cumsums, products and selects
//   by primal values), so reverse mode transposes it.
// Integer operands get no tangent. Batching moves the batch axis to 0 and shifts `axis`.

import * as p from "../../primitives/index.js";
import type { CumulativeParams } from "../../primitives/cumulative.js";
import type { Primitive } from "../../primitives/primitive.js";
import { isFloat } from "../../dtype.js";
import { bind1, type Operand } from "../../trace/core.js";
import { avalOf, div, iota, lit, mul, select } from "../ops.js";
import { batchAt0 } from "../batching.js";
import { batchRules } from "./batch.js";
import { jvpRules } from "./jvp.js";
import { transposeRules } from "./transpose.js";
import { permuted } from "./sort.js";

const CUMULATIVE = [p.cumsum, p.cumprod, p.cummax, p.cummin];

const cum = (prim: Primitive, x: Operand, params: CumulativeParams): Operand => bind1(prim, [x], params);
const eq = (a: Operand, b: Operand): Operand => bind1(p.eq, [a, b]);

function cumprodTangent(x: Operand, t: Operand, params: CumulativeParams): Operand {
  const dtype = avalOf(x).dtype;
  const zero = lit(0, dtype), one = lit(1, dtype);
  const z = eq(x, zero);
  const xs = select(z, x, one);
  const count = cum(p.cumsum, bind1(p.convertElementType, [z], { new_dtype: "int32", weak_type: false }), params);
  const none = eq(count, lit(0, "int32")), single = eq(count, lit(1, "int32"));
  const noZero = cum(p.cumsum, div(t, xs), params);
  const atZero = cum(p.cumsum, select(bind1(p.and, [z, single]), zero, t), params);
  const factor = select(none, select(single, zero, atZero), noZero);
  return mul(cum(p.cumprod, xs, params), factor);
}

function extremeTangent(x: Operand, y: Operand, t: Operand, { axis, reverse }: CumulativeParams): Operand {
  const shape = avalOf(x).shape as number[];
  const fallback = lit(reverse ? shape[axis]! - 1 : 0, "int32");
  const positions = select(eq(x, y), fallback, iota(shape, axis));
  const at = cum(reverse ? p.cummin : p.cummax, positions, { axis, reverse });
  return permuted(t, at, axis);
}

for (const prim of CUMULATIVE) {
  jvpRules.set(prim.name, ([x], [t], params) => {
    const ps = params as CumulativeParams;
    const y = cum(prim, x!, ps);
    if (t === null || !isFloat(avalOf(x!).dtype)) return [[y], [null]];
    switch (prim) {
      case p.cumsum: return [[y], [cum(p.cumsum, t, ps)]];
      case p.cumprod: return [[y], [cumprodTangent(x!, t, ps)]];
      default: return [[y], [extremeTangent(x!, y, t, ps)]];
    }
  });
  batchRules.set(prim.name, ([x], [d], params, size) => {
    const ps = params as CumulativeParams;
    return [[cum(prim, batchAt0(x!, d!, size), { axis: ps.axis + 1, reverse: ps.reverse })], [0]];
  });
}

transposeRules.set("cumsum", ([ct], _x, params) => {
  const ps = params as CumulativeParams;
  return [cum(p.cumsum, ct!, { axis: ps.axis, reverse: !ps.reverse })];
});
