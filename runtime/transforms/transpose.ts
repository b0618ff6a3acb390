// Transposition of a linear jaxpr (JAX's backward_pass): walks the equations in reverse,
// turning each output cotangent into input cotangents with the primitive's transpose rule.
// Inputs are either linear (an UndefinedPrimal: only its type is known) or known values
// (residuals, literals); equations with only known inputs are evaluated forward first.

import type { ShapedArray } from "../ir/aval.js";
import { Literal, Var, type Atom, type Jaxpr, type Params } from "../ir/jaxpr.js";
import { bind, type Operand } from "../trace/core.js";
import { add } from "./ops.js";
import { transposeRules } from "./rules/transpose.js";

export class UndefinedPrimal {
  constructor(readonly aval: ShapedArray) {}
}

export type LinearIn = Operand | UndefinedPrimal;
export type Cotangent = Operand | null;
export type TransposeRule = (cts: readonly Cotangent[], ins: readonly LinearIn[], params: Params) => Cotangent[];

export const isLinear = (x: LinearIn): x is UndefinedPrimal => x instanceof UndefinedPrimal;

/**
 * Cotangents of the jaxpr's inputs (null for known inputs and zero cotangents), given the
 * known inputs' values (null where linear) and the outputs' cotangents.
 */
export function backwardPass(jaxpr: Jaxpr, linear: readonly boolean[], args: readonly (Operand | null)[], cts: readonly Cotangent[]): Cotangent[] {
  const known = new Map<Var, Operand>();
  const linearVars = new Set<Var>();
  jaxpr.invars.forEach((v, i) => (linear[i] ? linearVars.add(v) : known.set(v, args[i]!)));
  const read = (a: Atom): LinearIn => (a instanceof Literal ? a : linearVars.has(a) ? new UndefinedPrimal(a.aval) : known.get(a)!);
  const linearEqns = [];
  for (const eqn of jaxpr.eqns) {
    if (eqn.inputs.some((a) => a instanceof Var && linearVars.has(a))) {
      linearEqns.push(eqn);
      eqn.outputs.forEach((v) => linearVars.add(v));
    } else {
      const outs = bind(eqn.primitive, eqn.inputs.map(read) as Operand[], eqn.params);
      eqn.outputs.forEach((v, i) => known.set(v, outs[i]!));
    }
  }
  const ctEnv = new Map<Var, Operand>();
  const accumulate = (v: Var, ct: Operand) => {
    const prior = ctEnv.get(v);
    ctEnv.set(v, prior === undefined ? ct : add(prior, ct));
  };
  jaxpr.outvars.forEach((o, i) => {
    const ct = cts[i];
    if (o instanceof Var && linearVars.has(o) && ct) accumulate(o, ct);
  });
  for (let e = linearEqns.length - 1; e >= 0; e--) {
    const eqn = linearEqns[e]!;
    const outCts = eqn.outputs.map((v) => ctEnv.get(v) ?? null);
    if (outCts.every((c) => c === null)) continue;
    const rule = transposeRules.get(eqn.primitive.name);
    if (!rule) throw new Error(`internal: no transpose rule for primitive '${eqn.primitive.name}' (it is not linear)`);
    const inCts = rule(outCts, eqn.inputs.map(read), eqn.params);
    eqn.inputs.forEach((a, i) => {
      const ct = inCts[i];
      if (ct && a instanceof Var && linearVars.has(a)) accumulate(a, ct);
    });
  }
  return jaxpr.invars.map((v, i) => (linear[i] ? ctEnv.get(v) ?? null : null));
}
