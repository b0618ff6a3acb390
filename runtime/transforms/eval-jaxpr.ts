// Re-binds a jaxpr's equations through the current trace: how a transformation runs a
// staged program (a sub-jaxpr of cond/scan, the known half of a linearization) on its own
// tracers, or how such a program lands in an enclosing jit trace.

import type { NDArray } from "../array/ndarray.js";
import { Literal, Var, type Atom, type ClosedJaxpr, type Jaxpr } from "../ir/jaxpr.js";
import { bind, type Operand } from "../trace/core.js";

export function evalJaxpr(jaxpr: Jaxpr, consts: readonly Operand[], args: readonly Operand[]): Operand[] {
  const env = new Map<Var, Operand>();
  const read = (a: Atom): Operand => (a instanceof Literal ? a : env.get(a)!);
  jaxpr.constvars.forEach((v, i) => env.set(v, consts[i]!));
  jaxpr.invars.forEach((v, i) => env.set(v, args[i]!));
  for (const eqn of jaxpr.eqns) {
    const outs = bind(eqn.primitive, eqn.inputs.map(read), eqn.params);
    eqn.outputs.forEach((v, i) => env.set(v, outs[i]!));
  }
  return jaxpr.outvars.map(read);
}

export function evalClosed(closed: ClosedJaxpr, args: readonly Operand[]): Operand[] {
  return evalJaxpr(closed.jaxpr, closed.consts as NDArray[], args);
}
