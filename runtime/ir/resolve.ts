// After tracing with symbolic sizes, variables unified during the trace (m = n, k = 784)
// still appear in avals created before the unification. This rewrites a jaxpr with every
// size in its canonical form, so lowering and the run-time guard see one name per size.

import { aval } from "./aval.js";
import { ClosedJaxpr, Jaxpr, Literal, Var, type Atom, type Eqn } from "./jaxpr.js";
import { resolveDim, SymDim } from "../symbolic.js";

function resolveParam(value: unknown, vars: Map<Var, Var>): unknown {
  if (value instanceof SymDim) return resolveDim(value);
  if (Array.isArray(value)) return value.map((v) => resolveParam(v, vars));
  if (value instanceof ClosedJaxpr) return new ClosedJaxpr(resolveInner(value.jaxpr, vars), value.consts);
  return value;
}

function resolveInner(j: Jaxpr, vars: Map<Var, Var>): Jaxpr {
  const mapVar = (v: Var): Var => {
    let r = vars.get(v);
    if (!r) {
      r = new Var(aval(v.aval.shape.map(resolveDim), v.aval.dtype, v.aval.weakType));
      vars.set(v, r);
    }
    return r;
  };
  const mapAtom = (a: Atom): Atom =>
    a instanceof Literal ? (typeof a.value === "number" ? a : new Literal(resolveDim(a.value), a.aval)) : mapVar(a);
  const eqns: Eqn[] = j.eqns.map((e) => ({
    primitive: e.primitive,
    inputs: e.inputs.map(mapAtom),
    params: Object.fromEntries(Object.entries(e.params).map(([k, v]) => [k, resolveParam(v, vars)])),
    outputs: e.outputs.map(mapVar),
  }));
  return new Jaxpr(j.constvars.map(mapVar), j.invars.map(mapVar), eqns, j.outvars.map(mapAtom));
}

/** The jaxpr with all sizes resolved under the active symbolic context. */
export function resolveJaxpr(closed: ClosedJaxpr): ClosedJaxpr {
  return new ClosedJaxpr(resolveInner(closed.jaxpr, new Map()), closed.consts);
}
