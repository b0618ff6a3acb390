// Transpose rules of the linear primitives: (output cotangents, inputs, params) -> input
// cotangents. Inputs are UndefinedPrimal where linear, values otherwise. Written with
// traceable ops, so a transposed program can be staged and differentiated again.

import type { ShapedArray } from "../../ir/aval.js";
import { ClosedJaxpr, Jaxpr } from "../../ir/jaxpr.js";
import * as p from "../../primitives/index.js";
import { freeAxes, type DimensionNumbers } from "../../primitives/dot.js";
import { bind, bind1, type Operand } from "../../trace/core.js";
import { traceToJaxpr } from "../../trace/staging.js";
import {
  avalOf, broadcastInDim, convert, div, inversePermutation, lit, mul, neg, reduceSum, reshape, select, transpose, unbroadcast, zeros,
} from "../ops.js";
import { backwardPass, isLinear, type Cotangent, type LinearIn, type TransposeRule } from "../transpose.js";
import { keptDims } from "./jvp.js";

export const transposeRules = new Map<string, TransposeRule>();
const def = (name: string, rule: TransposeRule) => transposeRules.set(name, rule);

const typeOf = (x: LinearIn): ShapedArray => (isLinear(x) ? x.aval : avalOf(x));
const ifLinear = (x: LinearIn, f: () => Operand): Cotangent => (isLinear(x) ? f() : null);

def("add", ([ct], [a, b]) => [ifLinear(a!, () => unbroadcast(ct!, typeOf(a!))), ifLinear(b!, () => unbroadcast(ct!, typeOf(b!)))]);
def("sub", ([ct], [a, b]) => [ifLinear(a!, () => unbroadcast(ct!, typeOf(a!))), ifLinear(b!, () => unbroadcast(neg(ct!), typeOf(b!)))]);
def("neg", ([ct]) => [neg(ct!)]);
def("mul", ([ct], [a, b]) => {
  if (isLinear(a!) && isLinear(b!)) throw new Error("internal: mul of two linear values is not linear");
  return [ifLinear(a!, () => unbroadcast(mul(ct!, b as Operand), typeOf(a!))), ifLinear(b!, () => unbroadcast(mul(a as Operand, ct!), typeOf(b!)))];
});
def("div", ([ct], [a, b]) => {
  if (isLinear(b!)) throw new Error("internal: division by a linear value is not linear");
  return [unbroadcast(div(ct!, b as Operand), typeOf(a!)), null];
});
def("convert_element_type", ([ct], [x]) => [convert(ct!, typeOf(x!))]);
def("reduce_sum", ([ct], [x], { axes }) => {
  const a = typeOf(x!);
  return [broadcastInDim(ct!, a.shape, keptDims(a.ndim, axes as number[]))];
});
def("broadcast_in_dim", ([ct], [x], { shape, broadcast_dimensions }) => {
  const a = typeOf(x!);
  const dims = broadcast_dimensions as readonly number[];
  const out = shape as readonly number[];
  const summed: number[] = [];
  for (let d = 0; d < out.length; d++) {
    const at = dims.indexOf(d);
    if (at < 0 || (a.shape[at] === 1 && out[d] !== 1)) summed.push(d);
  }
  const r = reduceSum(ct!, summed);
  return [avalOf(r).shape.length === a.ndim && avalOf(r).shape.every((s, i) => s === a.shape[i]) ? r : reshape(r, a.shape)];
});
def("reshape", ([ct], [x]) => [reshape(ct!, typeOf(x!).shape)]);
def("squeeze", ([ct], [x]) => [reshape(ct!, typeOf(x!).shape)]);
def("transpose", ([ct], _x, { permutation }) => [transpose(ct!, inversePermutation(permutation as number[]))]);

/** Zeros of `like`'s dtype with `shape`. */
function zerosShaped(like: ShapedArray, shape: readonly number[]): Operand {
  return zeros(like.withShape(shape));
}

def("slice", ([ct], [x], { start_indices, strides }) => {
  const a = typeOf(x!);
  const start = start_indices as number[], step = strides as number[] | null;
  let g: Operand = ct!;
  for (let d = 0; d < a.ndim; d++) {
    const n = a.shape[d] as number, s = start[d]!, k = step ? step[d]! : 1;
    let shape = avalOf(g).shape.slice() as number[];
    const m = shape[d]!;
    if (k > 1 && m > 0) {
      // Interleave k-1 zeros after each element: [.., m, 1, ..] ++ zeros [.., m, k-1, ..] -> [.., m*k, ..].
      const col = reshape(g, [...shape.slice(0, d), m, 1, ...shape.slice(d + 1)]);
      const z = zerosShaped(avalOf(g), [...shape.slice(0, d), m, k - 1, ...shape.slice(d + 1)]);
      g = reshape(bind1(p.concatenate, [col, z], { dimension: d + 1 }), [...shape.slice(0, d), m * k, ...shape.slice(d + 1)]);
      shape = avalOf(g).shape.slice() as number[];
      const keep = (m - 1) * k + 1;
      g = bind1(p.slice, [g], { start_indices: shape.map(() => 0), limit_indices: shape.map((x, i) => (i === d ? keep : x)), strides: null });
      shape = avalOf(g).shape.slice() as number[];
    }
    const len = shape[d]!;
    const before = s, after = n - s - len;
    const parts: Operand[] = [];
    if (before > 0) parts.push(zerosShaped(avalOf(g), shape.map((x, i) => (i === d ? before : x))));
    parts.push(g);
    if (after > 0) parts.push(zerosShaped(avalOf(g), shape.map((x, i) => (i === d ? after : x))));
    if (parts.length > 1) g = bind1(p.concatenate, parts, { dimension: d });
  }
  return [g];
});

def("concatenate", ([ct], ins, { dimension }) => {
  const d = dimension as number;
  const shape = avalOf(ct!).shape as number[];
  let offset = 0;
  return ins.map((x) => {
    const size = typeOf(x).shape[d] as number;
    const from = offset;
    offset += size;
    return ifLinear(x, () => bind1(p.slice, [ct!], {
      start_indices: shape.map((_, i) => (i === d ? from : 0)),
      limit_indices: shape.map((s, i) => (i === d ? from + size : s)),
      strides: null,
    }));
  });
});

def("select_n", ([ct], [which, c0, c1]) => {
  const zero = lit(0, avalOf(ct!).dtype);
  return [
    null,
    ifLinear(c0!, () => unbroadcast(select(which as Operand, ct!, zero), typeOf(c0!))),
    ifLinear(c1!, () => unbroadcast(select(which as Operand, zero, ct!), typeOf(c1!))),
  ];
});

def("dot_general", ([ct], [lhs, rhs], params) => {
  const [[lc, rc], [lb, rb]] = params.dimension_numbers as DimensionNumbers;
  const la = typeOf(lhs!), ra = typeOf(rhs!);
  const nb = lb.length;
  const lFree = freeAxes(la.ndim, [...lc, ...lb]);
  const rFree = freeAxes(ra.ndim, [...rc, ...rb]);
  const ctBatch = lb.map((_, i) => i);
  const ctLFree = lFree.map((_, i) => nb + i);
  const ctRFree = rFree.map((_, i) => nb + lFree.length + i);
  const sortedPos = (axes: readonly number[], a: number) => [...axes].sort((x, y) => x - y).indexOf(a);
  const out: Cotangent[] = [null, null];
  if (isLinear(lhs!)) {
    // ct · rhs over rhs's free axes -> (batch, lhs free, rhs contracting (sorted)); then into lhs's layout.
    const r = bind1(p.dotGeneral, [ct!, rhs as Operand], { dimension_numbers: [[ctRFree, rFree], [ctBatch, rb]], preferred_element_type: null });
    const perm = Array.from({ length: la.ndim }, (_, a) => {
      if (lb.includes(a)) return lb.indexOf(a);
      if (lFree.includes(a)) return nb + lFree.indexOf(a);
      return nb + lFree.length + sortedPos(rc, rc[lc.indexOf(a)]!);
    });
    out[0] = convert(transpose(r, perm), la);
  }
  if (isLinear(rhs!)) {
    const r = bind1(p.dotGeneral, [ct!, lhs as Operand], { dimension_numbers: [[ctLFree, lFree], [ctBatch, lb]], preferred_element_type: null });
    const perm = Array.from({ length: ra.ndim }, (_, a) => {
      if (rb.includes(a)) return rb.indexOf(a);
      if (rFree.includes(a)) return nb + rFree.indexOf(a);
      return nb + rFree.length + sortedPos(lc, lc[rc.indexOf(a)]!);
    });
    out[1] = convert(transpose(r, perm), ra);
  }
  return out;
});

// --- control flow ---------------------------------------------------------------------

/** Cotangent operands with zeros instantiated (control flow needs every slot filled). */
const filled = (cts: readonly Cotangent[], avals: readonly ShapedArray[]): Operand[] => cts.map((c, i) => (c === null ? zeros(avals[i]!) : convert(c, avals[i]!)));

/** Stages `fn` over the given input types into a closed jaxpr with no consts. */
function stage(avals: readonly ShapedArray[], fn: (xs: Operand[]) => Operand[]): ClosedJaxpr {
  const { jaxpr } = traceToJaxpr("transpose", avals.map((a) => ({ aval: a, name: "ct" })), (...xs) => fn(xs), (r) => r);
  if (jaxpr.jaxpr.constvars.length) throw new Error("internal: a transposed sub-jaxpr captured constants");
  const j = jaxpr.jaxpr;
  return new ClosedJaxpr(new Jaxpr([], j.invars, j.eqns, j.outvars), []);
}

def("cond", (cts, [index, ...ops], { branches }) => {
  const bs = branches as readonly ClosedJaxpr[];
  const linear = ops.map(isLinear);
  const knownOps = ops.filter((x) => !isLinear(x)) as Operand[];
  const outAvals = bs[0]!.outAvals;
  const linAvals = ops.filter(isLinear).map((x) => x.aval);
  const transposed = bs.map((b) => stage([...knownOps.map(avalOf), ...outAvals], (xs) => {
    let k = 0;
    const args = linear.map((l) => (l ? null : xs[k++]!));
    const res = backwardPass(b.jaxpr, linear, args, xs.slice(knownOps.length));
    return filled(res.filter((_, i) => linear[i]), linAvals);
  }));
  const outs = bind(p.control.cond, [index as Operand, ...knownOps, ...filled(cts, outAvals)], { branches: transposed });
  let k = 0;
  return [null, ...linear.map((l) => (l ? outs[k++]! : null))];
});

def("scan", (cts, ins, params) => {
  const { jaxpr, num_consts: nc, num_carry: ncar, reverse, length } = params as { jaxpr: ClosedJaxpr; num_consts: number; num_carry: number; reverse: boolean; length: number };
  const body = jaxpr.jaxpr;
  const consts = ins.slice(0, nc), xs = ins.slice(nc + ncar);
  const constLin = consts.map(isLinear), xsLin = xs.map(isLinear);
  // Carries are linear in the body even if one enters as a known value (then its cotangent is dropped).
  const bodyLinear = [...constLin, ...new Array<boolean>(ncar).fill(true), ...xsLin];
  const kConsts = consts.filter((x) => !isLinear(x)) as Operand[];
  const kXs = xs.filter((x) => !isLinear(x)) as Operand[];
  const linConstAvals = body.invars.slice(0, nc).filter((_, i) => constLin[i]).map((v) => v.aval);
  const carryAvals = body.invars.slice(nc, nc + ncar).map((v) => v.aval);
  const linXAvals = body.invars.slice(nc + ncar).filter((_, i) => xsLin[i]).map((v) => v.aval);
  const kXAvals = body.invars.slice(nc + ncar).filter((_, i) => !xsLin[i]).map((v) => v.aval);
  const yAvals = body.outAvals.slice(ncar);
  const nlc = linConstAvals.length;
  // Transposed body: (known consts; const-ct accumulators, carry cts; known xs, y cts) -> (accumulators, carry cts; x cts).
  const tBody = stage([...kConsts.map(avalOf), ...linConstAvals, ...carryAvals, ...kXAvals, ...yAvals], (vs) => {
    let o = 0;
    const kc = vs.slice(o, (o += kConsts.length));
    const acc = vs.slice(o, (o += nlc));
    const ctCarry = vs.slice(o, (o += ncar));
    const kx = vs.slice(o, (o += kXs.length));
    const ctY = vs.slice(o);
    let ic = 0, ix = 0;
    const args = [...constLin.map((l) => (l ? null : kc[ic++]!)), ...carryAvals.map(() => null), ...xsLin.map((l) => (l ? null : kx[ix++]!))];
    const res = backwardPass(body, bodyLinear, args, [...ctCarry, ...ctY]);
    const cConst = filled(res.slice(0, nc).filter((_, i) => constLin[i]), linConstAvals);
    const cCarry = filled(res.slice(nc, nc + ncar), carryAvals);
    const cXs = filled(res.slice(nc + ncar).filter((_, i) => xsLin[i]), linXAvals);
    return [...acc.map((a, i) => bind1(p.add, [a, cConst[i]!])), ...cCarry, ...cXs];
  });
  const carryCts = filled(cts.slice(0, ncar), carryAvals);
  const yCts = filled(cts.slice(ncar), yAvals.map((a) => a.withShape([length, ...a.shape])));
  const outs = bind(p.control.scan, [...kConsts, ...linConstAvals.map(zeros), ...carryCts, ...kXs, ...yCts], {
    ...params, jaxpr: tBody, reverse: !reverse, num_consts: kConsts.length, num_carry: nlc + ncar,
  });
  let ic = 0, ix = 0;
  const constCts = outs.slice(0, nlc), carryIn = outs.slice(nlc, nlc + ncar), xCts = outs.slice(nlc + ncar);
  return [
    ...constLin.map((l) => (l ? constCts[ic++]! : null)),
    ...ins.slice(nc, nc + ncar).map((x, i) => (isLinear(x) ? carryIn[i]! : null)),
    ...xsLin.map((l) => (l ? xCts[ix++]! : null)),
  ];
});
