// Batching rules, one per primitive: (values, batch dims, params, axis size) -> (outputs,
// their batch dims). Batched operands are moved to axis 0 and the primitive's axes shift
// by one; control flow batches its sub-jaxprs (a batched cond predicate becomes a select
// of all branches; a batched while predicate runs until every row is done).

import type { ShapedArray } from "../../ir/aval.js";
import { ClosedJaxpr, Jaxpr, type Params } from "../../ir/jaxpr.js";
import * as p from "../../primitives/index.js";
import { elementwiseShape } from "../../primitives/elementwise.js";
import type { Primitive } from "../../primitives/primitive.js";
import { bind, bind1, type Operand } from "../../trace/core.js";
import { traceToJaxpr } from "../../trace/staging.js";
import { evalClosed } from "../eval-jaxpr.js";
import { avalOf, broadcastInDim, lit, moveAxis, select } from "../ops.js";
import { batchAt0, unbatchedAval, vmapJaxpr, type BDim } from "../batching.js";
import { freeAxes, type DimensionNumbers } from "../../primitives/dot.js";

export type BatchRule = (vals: Operand[], dims: BDim[], params: Params, size: number) => [Operand[], BDim[]];
export const batchRules = new Map<string, BatchRule>();
const def = (prim: Primitive, rule: BatchRule) => batchRules.set(prim.name, rule);

const shift = (axes: readonly number[]) => axes.map((a) => a + 1);
const to0 = (x: Operand, d: BDim) => (d === null ? x : moveAxis(x, d, 0));

/** Elementwise: every operand gets the full batched shape, or stays rank 0 if unbatched rank 0. */
export function elementwiseRule(prim: Primitive): BatchRule {
  return (vals, dims, params, size) => {
    const rows = vals.map((v, i) => unbatchedAval(avalOf(v), dims[i]!));
    const shape = [size, ...elementwiseShape(prim.name, rows)];
    const ins = vals.map((v, i) => {
      const d = dims[i]!;
      if (d === null) return rows[i]!.ndim === 0 ? v : broadcastInDim(v, shape, rows[i]!.shape.map((_, k) => k + 1));
      const moved = moveAxis(v, d, 0);
      return rows[i]!.ndim === shape.length - 1 ? moved : broadcastInDim(moved, shape, [0]);
    });
    return [bind(prim, ins, params), [0]];
  };
}

for (const prim of [p.neg, p.sign, p.abs, p.exp, p.log, p.log1p, p.expm1, p.tanh, p.logistic, p.sin, p.cos, p.tan, p.sqrt, p.rsqrt, p.erf, p.erfc,
  p.floor, p.ceil, p.round, p.not, p.isFinite, p.add, p.sub, p.mul, p.div, p.rem, p.pow, p.atan2, p.max, p.min, p.and, p.or, p.xor,
  p.gt, p.ge, p.lt, p.le, p.eq, p.ne, p.selectN, p.convertElementType]) {
  def(prim, elementwiseRule(prim));
}

for (const prim of [p.reduceSum, p.reduceProd, p.reduceMax, p.reduceMin, p.reduceAnd, p.reduceOr, p.argmax, p.argmin]) {
  def(prim, ([x], [d], params) => [[bind1(prim, [to0(x!, d!)], { ...params, axes: shift(params.axes as number[]) })], [0]]);
}

def(p.broadcastInDim, ([x], [d], params, size) => [[bind1(p.broadcastInDim, [to0(x!, d!)], {
  shape: [size, ...(params.shape as number[])], broadcast_dimensions: [0, ...shift(params.broadcast_dimensions as number[])],
})], [0]]);
def(p.reshape, ([x], [d], params, size) => [[bind1(p.reshape, [to0(x!, d!)], { new_sizes: [size, ...(params.new_sizes as number[])] })], [0]]);
def(p.transpose, ([x], [d], params) => [[bind1(p.transpose, [to0(x!, d!)], { permutation: [0, ...shift(params.permutation as number[])] })], [0]]);
def(p.squeeze, ([x], [d], params) => [[bind1(p.squeeze, [to0(x!, d!)], { dimensions: shift(params.dimensions as number[]) })], [0]]);
def(p.slice, ([x], [d], params, size) => {
  const strides = params.strides as number[] | null;
  return [[bind1(p.slice, [to0(x!, d!)], {
    start_indices: [0, ...(params.start_indices as number[])],
    limit_indices: [size, ...(params.limit_indices as number[])],
    strides: strides ? [1, ...strides] : null,
  })], [0]];
});
def(p.concatenate, (vals, dims, params, size) => [[bind1(p.concatenate, vals.map((v, i) => batchAt0(v, dims[i]!, size)), { dimension: (params.dimension as number) + 1 })], [0]]);

def(p.dotGeneral, ([l, r], [dl, dr], params) => {
  const [[lc, rc], [lb, rb]] = params.dimension_numbers as DimensionNumbers;
  const lhs = to0(l!, dl!), rhs = to0(r!, dr!);
  if (dl !== null && dr !== null) {
    const dn = [[shift(lc), shift(rc)], [[0, ...shift(lb)], [0, ...shift(rb)]]];
    return [[bind1(p.dotGeneral, [lhs, rhs], { ...params, dimension_numbers: dn })], [0]];
  }
  if (dl !== null) {
    // The batch axis is lhs's first free axis: it lands right after the batch dimensions.
    const dn = [[shift(lc), rc], [shift(lb), rb]];
    return [[bind1(p.dotGeneral, [lhs, rhs], { ...params, dimension_numbers: dn })], [lb.length]];
  }
  const dn = [[lc, shift(rc)], [lb, shift(rb)]];
  const lFree = freeAxes(avalOf(lhs).ndim, [...lc, ...lb]).length;
  return [[bind1(p.dotGeneral, [lhs, rhs], { ...params, dimension_numbers: dn })], [lb.length + lFree]];
});

// --- control flow ---------------------------------------------------------------------------

/** Stages `fn` into a closed jaxpr with no consts. */
function stage(avals: readonly ShapedArray[], fn: (xs: Operand[]) => Operand[]): ClosedJaxpr {
  const { jaxpr } = traceToJaxpr("vmap", avals.map((a) => ({ aval: a, name: "x" })), (...xs) => fn(xs), (r) => r);
  if (jaxpr.jaxpr.constvars.length) throw new Error("internal: a batched sub-jaxpr captured constants");
  const j = jaxpr.jaxpr;
  return new ClosedJaxpr(new Jaxpr([], j.invars, j.eqns, j.outvars), []);
}

/** Rowwise choice between two batched-at-0 values by a [size] bool predicate. */
function selectRows(pred: Operand, onFalse: Operand, onTrue: Operand): Operand {
  const a = avalOf(onTrue);
  const full = a.ndim === 1 ? pred : broadcastInDim(pred, a.shape, [0]);
  return select(full, onFalse, onTrue);
}

def(p.control.cond, ([index, ...ops], [di, ...dops], params, size) => {
  const branches = params.branches as readonly ClosedJaxpr[];
  const opsDims = dops.map((d) => (d === null ? null : 0));
  const opsIn = ops.map((o, i) => to0(o, dops[i]!));
  if (di === null) {
    const batched = branches.map((b) => vmapJaxpr(b, opsDims, size, true).jaxpr);
    const outs = bind(p.control.cond, [index!, ...opsIn], { branches: batched });
    return [outs, outs.map(() => 0)];
  }
  // A per-row predicate: run every branch on all rows and select per row (JAX's rule).
  const idx = moveAxis(index!, di!, 0);
  const results = branches.map((b) => evalClosed(vmapJaxpr(b, opsDims, size, true).jaxpr, opsIn));
  const outs = results[0]!.map((_, k) => {
    let acc = results[0]![k]!;
    for (let b = 1; b < results.length; b++) acc = selectRows(bind1(p.eq, [idx, lit(b, "int32")]), acc, results[b]![k]!);
    return acc;
  });
  return [outs, outs.map(() => 0)];
});

def(p.control.scan, (vals, dims, params, size) => {
  const { jaxpr, num_consts: nc, num_carry: ncar } = params as { jaxpr: ClosedJaxpr; num_consts: number; num_carry: number };
  // Every carry is batched (simpler than JAX's fixpoint, same values); xs keep axis 0 for the scan.
  const bodyDims: BDim[] = vals.map((_, i) => (i >= nc && i < nc + ncar ? 0 : dims[i] === null ? null : 0));
  const ins = vals.map((v, i) => {
    if (i < nc) return to0(v, dims[i]!);
    if (i < nc + ncar) return batchAt0(v, dims[i]!, size);
    return dims[i] === null ? v : moveAxis(v, dims[i]!, 1);
  });
  const { jaxpr: body } = vmapJaxpr(jaxpr, bodyDims, size, true);
  const outs = bind(p.control.scan, ins, { ...params, jaxpr: body });
  return [outs, outs.map((_, i) => (i < ncar ? 0 : 1))];
});

def(p.control.whileLoop, (vals, dims, params, size) => {
  const { cond_jaxpr, body_jaxpr, cond_nconsts: cn, body_nconsts: bn } = params as { cond_jaxpr: ClosedJaxpr; body_jaxpr: ClosedJaxpr; cond_nconsts: number; body_nconsts: number };
  const cc = vals.slice(0, cn).map((v, i) => to0(v, dims[i]!)), ccDims = dims.slice(0, cn).map((d) => (d === null ? null : 0));
  const bc = vals.slice(cn, cn + bn).map((v, i) => to0(v, dims[cn + i]!)), bcDims = dims.slice(cn, cn + bn).map((d) => (d === null ? null : 0));
  const carry = vals.slice(cn + bn).map((v, i) => batchAt0(v, dims[cn + bn + i]!, size));
  const carryDims = carry.map(() => 0);
  const cond = vmapJaxpr(cond_jaxpr, [...ccDims, ...carryDims], size, false);
  const body = vmapJaxpr(body_jaxpr, [...bcDims, ...carryDims], size, true).jaxpr;
  if (!cond.outBatched[0]) {
    const outs = bind(p.control.whileLoop, [...cc, ...bc, ...carry], { ...params, cond_jaxpr: cond.jaxpr, body_jaxpr: body });
    return [outs, outs.map(() => 0)];
  }
  // A per-row predicate: loop while any row goes on; finished rows keep their carry.
  const carryAvals = carry.map(avalOf);
  const anyCond = stage([...cc.map(avalOf), ...carryAvals], (xs) => [bind1(p.reduceOr, [evalClosed(cond.jaxpr, xs)[0]!], { axes: [0] })]);
  const maskedBody = stage([...cc.map(avalOf), ...bc.map(avalOf), ...carryAvals], (xs) => {
    const c = xs.slice(cn + bn);
    const pred = evalClosed(cond.jaxpr, [...xs.slice(0, cn), ...c])[0]!;
    const next = evalClosed(body, [...xs.slice(cn, cn + bn), ...c]);
    return next.map((n, i) => selectRows(pred, c[i]!, n));
  });
  const outs = bind(p.control.whileLoop, [...cc, ...cc, ...bc, ...carry], { cond_jaxpr: anyCond, body_jaxpr: maskedBody, cond_nconsts: cn, body_nconsts: cn + bn });
  return [outs, outs.map(() => 0)];
});
