// Partial evaluation of a jaxpr (JAX's pe.partial_eval_jaxpr_nounits): given which inputs
// are unknown, split it into a "known" jaxpr (known inputs -> known outputs ++ residuals)
// and an "unknown" one (residuals ++ unknown inputs -> unknown outputs). Applied to the JVP
// of a function with the tangents unknown, the unknown half is the linear program that
// reverse mode transposes, and the residuals are what the forward pass saves for it.

import { ArgumentError } from "../errors.js";
import { aval } from "../ir/aval.js";
import { ClosedJaxpr, Jaxpr, Literal, Var, type Atom, type Eqn } from "../ir/jaxpr.js";
import * as p from "../primitives/index.js";

export interface Partial {
  readonly known: Jaxpr;
  readonly unknown: Jaxpr;
  readonly outUnknown: boolean[];
  readonly numRes: number;
}

/** A control-flow rule: returns the known equation (or none) and the unknown one. */
type PeRule = (eqn: Eqn, unknownIns: readonly boolean[]) => { known: Eqn | null; unknown: Eqn; outUnknown: boolean[] };
const peRules = new Map<string, PeRule>();

export function partialEval(jaxpr: Jaxpr, unknownIns: readonly boolean[], instantiate: readonly boolean[]): Partial {
  const unknown = new Set<Var>();
  jaxpr.invars.forEach((v, i) => unknownIns[i] && unknown.add(v));
  const knownEqns: Eqn[] = [];
  const unknownEqns: Eqn[] = [];
  const residuals: Var[] = [];
  const resSet = new Set<Var>();
  const isUnknown = (a: Atom) => a instanceof Var && unknown.has(a);
  const needRes = (a: Atom) => {
    if (a instanceof Var && !unknown.has(a) && !resSet.has(a)) {
      resSet.add(a);
      residuals.push(a);
    }
  };
  for (const eqn of jaxpr.eqns) {
    const unk = eqn.inputs.map(isUnknown);
    if (!unk.some(Boolean)) {
      knownEqns.push(eqn);
      continue;
    }
    const rule = peRules.get(eqn.primitive.name);
    if (rule) {
      const r = rule(eqn, unk);
      if (r.known) knownEqns.push(r.known);
      unknownEqns.push(r.unknown);
      r.unknown.inputs.forEach(needRes);
      r.unknown.outputs.forEach((v) => unknown.add(v));
    } else {
      unknownEqns.push(eqn);
      eqn.inputs.forEach(needRes);
      eqn.outputs.forEach((v) => unknown.add(v));
    }
  }
  const outUnknown = jaxpr.outvars.map((o, i) => isUnknown(o) || instantiate[i] === true);
  jaxpr.outvars.forEach((o, i) => outUnknown[i] && needRes(o));
  const known = new Jaxpr([], jaxpr.invars.filter((_, i) => !unknownIns[i]), knownEqns, [...jaxpr.outvars.filter((_, i) => !outUnknown[i]), ...residuals]);
  const unknownJ = new Jaxpr([], [...residuals, ...jaxpr.invars.filter((_, i) => unknownIns[i])], unknownEqns, jaxpr.outvars.filter((_, i) => outUnknown[i]));
  return { known, unknown: unknownJ, outUnknown, numRes: residuals.length };
}

const pick = <T>(xs: readonly T[], mask: readonly boolean[], want: boolean) => xs.filter((_, i) => mask[i] === want);

/** An equation that makes a zero array of `v`'s type (a placeholder residual). */
function zerosEqn(v: Var): Eqn {
  return { primitive: p.broadcastInDim, inputs: [new Literal(0, aval([], v.aval.dtype, v.aval.weakType))], params: { shape: v.aval.shape, broadcast_dimensions: [] }, outputs: [v] };
}

peRules.set("cond", (eqn, unk) => {
  const branches = eqn.params.branches as readonly ClosedJaxpr[];
  const [index, ...ops] = eqn.inputs;
  const opsUnk = unk.slice(1);
  let outUnk = branches[0]!.outAvals.map(() => false);
  for (const b of branches) outUnk = outUnk.map((u, i) => u || partialEval(b.jaxpr, opsUnk, []).outUnknown[i]!);
  const parts = branches.map((b) => partialEval(b.jaxpr, opsUnk, outUnk));
  // Each branch saves its own residuals; the others' slots are zero-filled.
  const resAvals = parts.flatMap((r) => r.known.outvars.slice(r.known.outvars.length - r.numRes).map((v) => v.aval));
  let offset = 0;
  const knownBranches: ClosedJaxpr[] = [];
  const unknownBranches: ClosedJaxpr[] = [];
  for (const r of parts) {
    const nk = r.known.outvars.length - r.numRes;
    const own = r.known.outvars.slice(nk);
    const placeholders = resAvals.map((a) => new Var(a));
    const eqns = [...r.known.eqns];
    const resOut: Atom[] = resAvals.map((_, j) => {
      if (j >= offset && j < offset + r.numRes) return own[j - offset]!;
      eqns.push(zerosEqn(placeholders[j]!));
      return placeholders[j]!;
    });
    knownBranches.push(new ClosedJaxpr(new Jaxpr([], r.known.invars, eqns, [...r.known.outvars.slice(0, nk), ...resOut]), []));
    const resIn = resAvals.map((a, j) => (j >= offset && j < offset + r.numRes ? r.unknown.invars[j - offset]! : new Var(a)));
    unknownBranches.push(new ClosedJaxpr(new Jaxpr([], [...resIn, ...r.unknown.invars.slice(r.numRes)], r.unknown.eqns, r.unknown.outvars), []));
    offset += r.numRes;
  }
  const resVars = resAvals.map((a) => new Var(a));
  const known: Eqn = { primitive: eqn.primitive, inputs: [index!, ...pick(ops, opsUnk, false)], params: { branches: knownBranches }, outputs: [...pick(eqn.outputs, outUnk, false), ...resVars] };
  const unknown: Eqn = { primitive: eqn.primitive, inputs: [index!, ...resVars, ...pick(ops, opsUnk, true)], params: { branches: unknownBranches }, outputs: pick(eqn.outputs, outUnk, true) };
  return { known, unknown, outUnknown: outUnk };
});

peRules.set("scan", (eqn, unk) => {
  const { jaxpr, num_consts: nc, num_carry: ncar, length } = eqn.params as { jaxpr: ClosedJaxpr; num_consts: number; num_carry: number; length: number };
  const body = jaxpr.jaxpr;
  const nys = body.outvars.length - ncar;
  const constUnk = unk.slice(0, nc), xsUnk = unk.slice(nc + ncar);
  const carryUnk = unk.slice(nc, nc + ncar);
  let r: Partial;
  // A carry is unknown if it enters unknown or the body makes it unknown: iterate to a fixpoint.
  for (;;) {
    r = partialEval(body, [...constUnk, ...carryUnk, ...xsUnk], [...carryUnk, ...new Array<boolean>(nys).fill(false)]);
    const grew = r.outUnknown.slice(0, ncar).some((u, i) => u && !carryUnk[i]);
    if (!grew) break;
    r.outUnknown.slice(0, ncar).forEach((u, i) => u && (carryUnk[i] = true));
  }
  const ysUnk = r.outUnknown.slice(ncar);
  const inUnk = [...constUnk, ...carryUnk, ...xsUnk];
  const nkOut = r.known.outvars.length - r.numRes;
  const res = r.known.outvars.slice(nkOut) as Var[];
  const resIn = r.unknown.invars.slice(0, r.numRes);
  // Residuals that are known consts of the body are loop-invariant: pass them as consts, not stacked per step.
  const constRes = res.map((v) => { const at = body.invars.indexOf(v); return at >= 0 && at < nc ? at : -1; });
  const stacked = res.filter((_, j) => constRes[j]! < 0);
  const knownBody = new Jaxpr([], r.known.invars, r.known.eqns, [...r.known.outvars.slice(0, nkOut), ...stacked]);
  const stackedVars = stacked.map((v) => new Var(aval([length, ...v.aval.shape], v.aval.dtype, v.aval.weakType)));
  const kCarry = carryUnk.filter((u) => !u).length;
  const known: Eqn = {
    primitive: eqn.primitive,
    inputs: pick(eqn.inputs, inUnk, false),
    params: { ...eqn.params, jaxpr: new ClosedJaxpr(knownBody, []), num_consts: constUnk.filter((u) => !u).length, num_carry: kCarry },
    outputs: [...pick(eqn.outputs.slice(0, ncar), carryUnk, false), ...pick(eqn.outputs.slice(ncar), ysUnk, false), ...stackedVars],
  };
  const uIns = r.unknown.invars.slice(r.numRes);
  const nuc = constUnk.filter(Boolean).length, nucar = carryUnk.filter(Boolean).length;
  const unknownBody = new Jaxpr([], [
    ...resIn.filter((_, j) => constRes[j]! >= 0), ...uIns.slice(0, nuc), ...uIns.slice(nuc, nuc + nucar),
    ...resIn.filter((_, j) => constRes[j]! < 0), ...uIns.slice(nuc + nucar),
  ], r.unknown.eqns, r.unknown.outvars);
  const ops = eqn.inputs;
  const unknown: Eqn = {
    primitive: eqn.primitive,
    inputs: [
      ...constRes.filter((at) => at >= 0).map((at) => ops[at]!), ...pick(ops.slice(0, nc), constUnk, true), ...pick(ops.slice(nc, nc + ncar), carryUnk, true),
      ...stackedVars, ...pick(ops.slice(nc + ncar), xsUnk, true),
    ],
    params: { ...eqn.params, jaxpr: new ClosedJaxpr(unknownBody, []), num_consts: constRes.filter((at) => at >= 0).length + nuc, num_carry: nucar },
    outputs: [...pick(eqn.outputs.slice(0, ncar), carryUnk, true), ...pick(eqn.outputs.slice(ncar), ysUnk, true)],
  };
  return { known, unknown, outUnknown: [...carryUnk, ...ysUnk] };
});

peRules.set("while", () => {
  throw new ArgumentError(
    "Reverse-mode differentiation does not work for lax.while_loop or lax.fori_loop with dynamic start/stop values (lax.whileLoop / lax.foriLoop with traced bounds).",
    "Use lax.foriLoop with static (JS number) bounds or lax.scan, which support reverse mode; or differentiate in forward mode (jvp, jacfwd).",
  );
});
