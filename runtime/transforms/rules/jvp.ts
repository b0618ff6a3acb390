// JVP rules, one per primitive: (primals, tangents, params) -> (primal outs, tangent outs).
// A null tangent is a symbolic zero. Rules run on the trace below the JVP trace and are
// written with traceable ops, so they can be staged, batched and differentiated again.
// Tangent expressions stay linear in the tangents (partial evaluation relies on it).

import type { NDArray } from "../../array/ndarray.js";
import { Jaxpr, ClosedJaxpr, Var, type Params } from "../../ir/jaxpr.js";
import * as p from "../../primitives/index.js";
import type { Primitive } from "../../primitives/primitive.js";
import { bind, bind1, type Operand } from "../../trace/core.js";
import { add, avalOf, convert, div, fill, lit, mul, neg, scale, select, sub, zeros } from "../ops.js";
import { hasTangent, jvpJaxpr, type Tangent } from "../jvp.js";

export type JvpRule = (primals: Operand[], tangents: Tangent[], params: Params) => [Operand[], Tangent[]];

export const jvpRules = new Map<string, JvpRule>();

const def = (prim: Primitive, rule: JvpRule) => jvpRules.set(prim.name, rule);

/** Sum of possibly-zero terms (null when all are zero). */
function sumTangents(ts: readonly Tangent[]): Tangent {
  let acc: Tangent = null;
  for (const t of ts) if (t !== null) acc = acc === null ? t : add(acc, t);
  return acc;
}

/** Zero-tangent primitives: piecewise constant, integer- or bool-valued. */
for (const prim of [p.sign, p.floor, p.ceil, p.round, p.not, p.isFinite, p.gt, p.ge, p.lt, p.le, p.eq, p.ne, p.and, p.or, p.xor,
  p.argmax, p.argmin, p.reduceAnd, p.reduceOr, p.iota]) {
  def(prim, (primals, _t, params) => {
    const outs = bind(prim, primals, params);
    return [outs, outs.map(() => null)];
  });
}

/** A unary op whose derivative is `d(x, y)`: tangent = t * d. */
function unaryRule(prim: Primitive, d: (x: Operand, y: NDArray) => Operand): void {
  def(prim, ([x], [t]) => {
    const y = bind1(prim, [x!]);
    return [[y], [t === null ? null : mul(t, d(x!, y))]];
  });
}

const one = (x: Operand) => lit(1, avalOf(x).dtype);
const call = (prim: Primitive, ...xs: Operand[]) => bind1(prim, xs);

def(p.neg, ([x], [t]) => [[call(p.neg, x!)], [t === null ? null : neg(t)]]);
unaryRule(p.abs, (x) => call(p.sign, x));
unaryRule(p.exp, (_x, y) => y);
unaryRule(p.log, (x) => div(one(x), x));
unaryRule(p.log1p, (x) => div(one(x), add(x, one(x))));
unaryRule(p.expm1, (x, y) => add(y, one(x)));
unaryRule(p.tanh, (x, y) => sub(one(x), mul(y, y)));
unaryRule(p.logistic, (x, y) => mul(y, sub(one(x), y)));
unaryRule(p.sin, (x) => call(p.cos, x));
unaryRule(p.cos, (x) => neg(call(p.sin, x)));
unaryRule(p.tan, (x, y) => add(one(x), mul(y, y)));
unaryRule(p.sqrt, (_x, y) => div(lit(0.5, avalOf(y).dtype), y));
unaryRule(p.rsqrt, (x, y) => div(scale(y, -0.5), x));
// d erf(x) = 2/√π · e^(-x²) dx, d erfc = -d erf.
const erfSlope = (x: Operand, c: number) => scale(call(p.exp, neg(mul(x, x))), c);
unaryRule(p.erf, (x) => erfSlope(x, 2 / Math.sqrt(Math.PI)));
unaryRule(p.erfc, (x) => erfSlope(x, -2 / Math.sqrt(Math.PI)));

def(p.add, ([a, b], [ta, tb]) => [[call(p.add, a!, b!)], [sumTangents([ta!, tb!])]]);
def(p.sub, ([a, b], [ta, tb]) => [[call(p.sub, a!, b!)], [sumTangents([ta!, tb === null ? null : neg(tb)])]]);
def(p.mul, ([a, b], [ta, tb]) => [[call(p.mul, a!, b!)], [sumTangents([ta === null ? null : mul(ta, b!), tb === null ? null : mul(a!, tb)])]]);
def(p.div, ([a, b], [ta, tb]) => {
  const out = call(p.div, a!, b!);
  // d(a/b) = ta/b - tb*out/b
  return [[out], [sumTangents([ta === null ? null : div(ta, b!), tb === null ? null : neg(mul(tb, div(out, b!)))])]];
});
def(p.rem, ([a, b], [ta, tb]) => {
  const out = call(p.rem, a!, b!);
  // rem(a, b) = a - b*trunc(a/b); trunc is piecewise constant.
  const q = div(a!, b!);
  const trunc = select(call(p.lt, q, lit(0, avalOf(q).dtype)), call(p.floor, q), call(p.ceil, q));
  return [[out], [sumTangents([ta, tb === null ? null : neg(mul(tb, trunc))])]];
});
def(p.pow, ([a, b], [ta, tb]) => {
  const out = call(p.pow, a!, b!);
  const dt = avalOf(out).dtype;
  const ta2 = ta === null ? null : mul(ta, mul(b!, call(p.pow, a!, sub(b!, lit(1, dt)))));
  // d/db a^b = a^b log a, taken as 0 where a == 0 (as JAX does).
  const tb2 = tb === null ? null : mul(tb, select(call(p.eq, a!, lit(0, dt)), mul(out, call(p.log, a!)), lit(0, dt)));
  return [[out], [sumTangents([ta2, tb2])]];
});
def(p.atan2, ([a, b], [ta, tb]) => {
  const out = call(p.atan2, a!, b!);
  const den = add(mul(a!, a!), mul(b!, b!));
  return [[out], [sumTangents([ta === null ? null : mul(ta, div(b!, den)), tb === null ? null : neg(mul(tb, div(a!, den)))])]];
});

/** max/min: the tangent of the chosen operand; the average of both on ties (JAX's convention). */
function extremumRule(prim: Primitive, pick: Primitive): void {
  def(prim, ([a, b], [ta, tb]) => {
    const out = call(prim, a!, b!);
    const za = ta ?? zeros(avalOf(a!)), zb = tb ?? zeros(avalOf(b!));
    const chosen = select(call(pick, a!, b!), zb, za);
    const tie = call(p.eq, a!, b!);
    return [[out], [select(tie, chosen, scale(add(za, zb), 0.5))]];
  });
}
extremumRule(p.max, p.gt);
extremumRule(p.min, p.lt);

def(p.selectN, ([which, c0, c1], [, t0, t1]) => {
  const out = call(p.selectN, which!, c0!, c1!);
  if (t0 === null && t1 === null) return [[out], [null]];
  return [[out], [select(which!, t0 ?? zeros(avalOf(c0!)), t1 ?? zeros(avalOf(c1!)))]];
});

def(p.convertElementType, ([x], [t], params) => {
  const out = bind1(p.convertElementType, [x!], params);
  // stop_gradient is a marked identity conversion: its tangent is zero by definition.
  if (t === null || params.stop_gradient || !hasTangent(avalOf(x!)) || !hasTangent(avalOf(out))) return [[out], [null]];
  return [[out], [bind1(p.convertElementType, [t], params)]];
});

/** Linear primitives: the tangent is the primitive applied to the tangent. */
for (const prim of [p.reduceSum, p.broadcastInDim, p.reshape, p.transpose, p.squeeze, p.slice]) {
  def(prim, ([x], [t], params) => [[bind1(prim, [x!], params)], [t === null ? null : bind1(prim, [t], params)]]);
}

def(p.concatenate, (xs, ts, params) => {
  const out = bind1(p.concatenate, xs, params);
  if (ts.every((t) => t === null)) return [[out], [null]];
  return [[out], [bind1(p.concatenate, ts.map((t, i) => t ?? zeros(avalOf(xs[i]!))), params)]];
});

def(p.dotGeneral, ([a, b], [ta, tb], params) => {
  const out = bind1(p.dotGeneral, [a!, b!], params);
  return [[out], [sumTangents([ta === null ? null : bind1(p.dotGeneral, [ta, b!], params), tb === null ? null : bind1(p.dotGeneral, [a!, tb], params)])]];
});

/** Keeps the operand axes that a reduction over `axes` leaves (for broadcasting results back). */
export function keptDims(rank: number, axes: readonly number[]): number[] {
  const kept: number[] = [];
  for (let i = 0; i < rank; i++) if (!axes.includes(i)) kept.push(i);
  return kept;
}

/** reduce_max/min: the tangent at the extreme locations, averaged over ties (as JAX does). */
function extremeReduceRule(prim: Primitive): void {
  def(prim, ([x], [t], params) => {
    const axes = params.axes as readonly number[];
    const out = bind1(prim, [x!], params);
    const xa = avalOf(x!);
    const back = bind1(p.broadcastInDim, [out], { shape: xa.shape, broadcast_dimensions: keptDims(xa.ndim, axes) });
    const mask = convert(call(p.eq, x!, back), xa.strong());
    const count = bind1(p.reduceSum, [mask], { axes });
    return [[out], [div(bind1(p.reduceSum, [mul(t!, mask)], { axes }), count)]];
  });
}
extremeReduceRule(p.reduceMax);
extremeReduceRule(p.reduceMin);

def(p.reduceProd, ([x], [t], params) => {
  const axes = params.axes as readonly number[];
  const out = bind1(p.reduceProd, [x!], params);
  const xa = avalOf(x!);
  // d prod = sum(t * prod / x): exact away from zeros of x.
  const back = bind1(p.broadcastInDim, [out], { shape: xa.shape, broadcast_dimensions: keptDims(xa.ndim, axes) });
  return [[out], [bind1(p.reduceSum, [mul(t!, div(back, x!))], { axes })]];
});

// --- control flow -------------------------------------------------------------------------

/** A jaxpr with the same equations and its inputs/outputs listed in a new order. */
export function permuted(closed: ClosedJaxpr, inOrder: readonly number[], outOrder: readonly number[]): ClosedJaxpr {
  const j = closed.jaxpr;
  return new ClosedJaxpr(new Jaxpr([], inOrder.map((i) => j.invars[i]!), j.eqns, outOrder.map((i) => j.outvars[i]!)), []);
}

const range = (start: number, n: number) => Array.from({ length: n }, (_, i) => start + i);

/** Tangent operands for the `nonzero` positions, zeros instantiated, typed like their primals. */
function tangentOperands(primals: readonly Operand[], tangents: readonly Tangent[], nonzero: readonly boolean[]): Operand[] {
  return primals.flatMap((x, i) => (nonzero[i] ? [convert(fill(tangents[i] ?? zeros(avalOf(x)), avalOf(x).shape), avalOf(x))] : []));
}

def(p.control.cond, ([index, ...ops], [, ...tangents], params) => {
  const branches = params.branches as readonly ClosedJaxpr[];
  const nonzero = tangents.map((t, i) => t !== null && hasTangent(avalOf(ops[i]!)));
  const outFloat = branches[0]!.outAvals.map(hasTangent);
  const jvps = branches.map((b) => jvpJaxpr(b, nonzero, outFloat).jaxpr);
  const outs = bind(p.control.cond, [index!, ...ops, ...tangentOperands(ops, tangents, nonzero)], { branches: jvps });
  const n = outFloat.length;
  let k = n;
  return [outs.slice(0, n), outFloat.map((f) => (f ? outs[k++]! : null))];
});

def(p.control.scan, (ins, tangents, params) => {
  const { jaxpr, num_consts: nc, num_carry: ncar } = params as { jaxpr: ClosedJaxpr; num_consts: number; num_carry: number };
  const nx = ins.length - nc - ncar;
  // Every float carry gets a tangent (JAX iterates to a fixpoint; instantiating is simpler and equal in value).
  const nonzero = ins.map((x, i) => hasTangent(avalOf(x)) && ((i >= nc && i < nc + ncar) || tangents[i] !== null));
  const nys = jaxpr.outAvals.length - ncar;
  const outFloat = jaxpr.outAvals.map(hasTangent);
  const { jaxpr: body } = jvpJaxpr(jaxpr, nonzero, outFloat);
  const count = (from: number, n: number) => nonzero.slice(from, from + n).filter(Boolean).length;
  const [tc, tcar, tx] = [count(0, nc), count(nc, ncar), count(nc + ncar, nx)];
  const nIn = ins.length;
  // jvp order: (consts, carry, xs, tconsts, tcarry, txs) -> scan order: (consts, tconsts, carry, tcarry, xs, txs).
  const inOrder = [...range(0, nc), ...range(nIn, tc), ...range(nc, ncar), ...range(nIn + tc, tcar), ...range(nc + ncar, nx), ...range(nIn + tc + tcar, tx)];
  const tcarOut = outFloat.slice(0, ncar).filter(Boolean).length;
  const tysOut = outFloat.slice(ncar).filter(Boolean).length;
  const nOut = ncar + nys;
  const outOrder = [...range(0, ncar), ...range(nOut, tcarOut), ...range(ncar, nys), ...range(nOut + tcarOut, tysOut)];
  const tops = tangentOperands(ins, tangents, nonzero);
  const operands = [...ins.slice(0, nc), ...tops.slice(0, tc), ...ins.slice(nc, nc + ncar), ...tops.slice(tc, tc + tcar), ...ins.slice(nc + ncar), ...tops.slice(tc + tcar)];
  const outs = bind(p.control.scan, operands, { ...params, jaxpr: permuted(body, inOrder, outOrder), num_consts: nc + tc, num_carry: ncar + tcar });
  const carry = outs.slice(0, ncar), tcarry = outs.slice(ncar, ncar + tcarOut);
  const ys = outs.slice(ncar + tcarOut, ncar + tcarOut + nys), tys = outs.slice(ncar + tcarOut + nys);
  let a = 0, b = 0;
  return [[...carry, ...ys], [...outFloat.slice(0, ncar).map((f) => (f ? tcarry[a++]! : null)), ...outFloat.slice(ncar).map((f) => (f ? tys[b++]! : null))]];
});

def(p.control.whileLoop, (ins, tangents, params) => {
  const { cond_jaxpr, body_jaxpr, cond_nconsts: cn, body_nconsts: bn } = params as { cond_jaxpr: ClosedJaxpr; body_jaxpr: ClosedJaxpr; cond_nconsts: number; body_nconsts: number };
  const bodyIns = ins.slice(cn);
  const bodyTangents = tangents.slice(cn);
  const ncar = bodyIns.length - bn;
  const nonzero = bodyIns.map((x, i) => hasTangent(avalOf(x)) && (i >= bn || bodyTangents[i] !== null));
  const carryFloat = body_jaxpr.outAvals.map(hasTangent);
  const { jaxpr: body } = jvpJaxpr(body_jaxpr, nonzero, carryFloat);
  const tb = nonzero.slice(0, bn).filter(Boolean).length;
  const tcar = carryFloat.filter(Boolean).length;
  const n = bodyIns.length;
  const bodyJ = permuted(body, [...range(0, bn), ...range(n, tb), ...range(bn, ncar), ...range(n + tb, tcar)], range(0, ncar + tcar));
  // The predicate sees the primal carry only; the tangent carry is an ignored input.
  const cj = cond_jaxpr.jaxpr;
  const tanVars = body_jaxpr.outAvals.filter(hasTangent).map((a) => new Var(a));
  const condJ = new ClosedJaxpr(new Jaxpr([], [...cj.invars, ...tanVars], cj.eqns, cj.outvars), []);
  const tops = tangentOperands(bodyIns, bodyTangents, nonzero);
  const outs = bind(p.control.whileLoop, [...ins.slice(0, cn), ...bodyIns.slice(0, bn), ...tops.slice(0, tb), ...bodyIns.slice(bn), ...tops.slice(tb)],
    { cond_jaxpr: condJ, body_jaxpr: bodyJ, cond_nconsts: cn, body_nconsts: bn + tb });
  let k = ncar;
  return [outs.slice(0, ncar), carryFloat.map((f) => (f ? outs[k++]! : null))];
});
