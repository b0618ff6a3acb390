// Jaxpr-to-jaxpr passes run before lowering: constant folding of scalar literals (with a
// few exact algebraic identities), common-subexpression elimination, dead-code elimination.
// All primitives are pure, so an equation whose outputs are unused can be dropped.

import { castScalar } from "../dtype.js";
import { ClosedJaxpr, Jaxpr, Literal, Var, type Atom, type Eqn, type Params } from "./jaxpr.js";
import { operandDType, type Primitive } from "../primitives/primitive.js";
import type { DType } from "../dtype.js";
import { shapesEqual } from "../shape.js";
import { prettyPrint } from "./printer.js";
import { SymDim } from "../symbolic.js";
import { identityOf } from "../identity.js";

export function optimize(jaxpr: Jaxpr): Jaxpr {
  return dce(cse(foldConstants(jaxpr)));
}

// --- structural keys (for CSE and caches) -------------------------------------------------

const jaxprTexts = new WeakMap<object, string>();

/** Structural text of a sub-jaxpr (equal programs share eager-op and CSE keys). */
function jaxprKey(j: Jaxpr | ClosedJaxpr): string {
  let text = jaxprTexts.get(j);
  if (text === undefined) jaxprTexts.set(j, (text = prettyPrint(j)));
  return text;
}

/** A string that is equal for equal params; sub-jaxprs compare by their printed text. */
export function paramsKey(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (value instanceof SymDim) return `~${value.toString()}`;
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "boolean") return value ? "T" : "F";
  if (Array.isArray(value)) return `[${value.map(paramsKey).join(",")}]`;
  if (value instanceof ClosedJaxpr || value instanceof Jaxpr) return jaxprKey(value);
  if (typeof value === "object") {
    return `{${Object.keys(value).sort().map((k) => `${k}:${paramsKey((value as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  if (typeof value === "function") return `#${identityOf(value)}`;
  return String(value);
}

// --- substitution ----------------------------------------------------------------------------

function rewrite(jaxpr: Jaxpr, eqns: Eqn[], subst: Map<Var, Atom>): Jaxpr {
  const sub = (a: Atom): Atom => (a instanceof Var ? subst.get(a) ?? a : a);
  return new Jaxpr(jaxpr.constvars, jaxpr.invars, eqns, jaxpr.outvars.map(sub));
}

function substituted(eqn: Eqn, subst: Map<Var, Atom>): Eqn {
  if (!eqn.inputs.some((a) => a instanceof Var && subst.has(a))) return eqn;
  return { ...eqn, inputs: eqn.inputs.map((a) => (a instanceof Var ? subst.get(a) ?? a : a)) };
}

// --- constant folding ----------------------------------------------------------------------

const isLit = (a: Atom | undefined): a is Literal => a instanceof Literal;

/**
 * The value of `prim` applied to scalar literals with its exact semantics, as a value of
 * `outDType`; undefined where it has none. Constant folding and eager math on JS numbers
 * (trace/eval.ts) both use it, so they agree to the bit.
 */
export function foldScalar(prim: Primitive, inputs: readonly Literal[], outDType: DType, params: Params): number | undefined {
  if (!prim.scalar || inputs.length === 0 || !inputs.every((a) => typeof a.value === "number")) return undefined;
  const fn = prim.scalar(operandDType(inputs), outDType, params);
  if (!fn) return undefined;
  // A literal holds a JS number: folded as a value of its dtype (0.1 as a float32).
  return castScalar(fn(...inputs.map((a) => castScalar(a.value as number, a.aval.dtype))), outDType);
}

/**
 * Folds elementwise equations over scalar literals with the primitive's exact semantics
 * (`Primitive.scalar`: the correctly computed value, not a backend's fast approximation),
 * and drops exact identities (`Primitive.identity`: x*1, x/1, x-0, x+(-0)).
 */
export function foldConstants(jaxpr: Jaxpr): Jaxpr {
  const subst = new Map<Var, Atom>();
  const eqns: Eqn[] = [];
  for (const original of jaxpr.eqns) {
    const eqn = substituted(original, subst);
    const out = eqn.outputs[0]!;
    const prim = eqn.primitive;
    if (eqn.outputs.length === 1 && out.aval.ndim === 0 && eqn.inputs.every(isLit)) {
      const value = foldScalar(prim, eqn.inputs as Literal[], out.aval.dtype, eqn.params);
      if (value !== undefined) {
        subst.set(out, new Literal(value, out.aval));
        continue;
      }
    }
    const [a, b] = eqn.inputs;
    const id = prim.identity;
    const x = id === undefined || eqn.inputs.length !== 2 ? undefined
      : id.rhs !== undefined && isLit(b) && Object.is(b.value, id.rhs) ? a
      : id.lhs !== undefined && isLit(a) && Object.is(a.value, id.lhs) ? b
      : undefined;
    if (x instanceof Var && x.aval.dtype === out.aval.dtype && shapesEqual(x.aval.shape, out.aval.shape) && x.aval.weakType === out.aval.weakType) {
      subst.set(out, x);
      continue;
    }
    eqns.push(eqn);
  }
  return rewrite(jaxpr, eqns, subst);
}

// --- common-subexpression elimination --------------------------------------------------------

export function cse(jaxpr: Jaxpr): Jaxpr {
  const subst = new Map<Var, Atom>();
  const seen = new Map<string, readonly Var[]>();
  const eqns: Eqn[] = [];
  for (const original of jaxpr.eqns) {
    const eqn = substituted(original, subst);
    const key = `${eqn.primitive.name}|${paramsKey(eqn.params)}|${eqn.inputs
      .map((a) => (a instanceof Var ? `v${a.id}` : `l${paramsKey(a.value)}:${a.aval.id}`))
      .join(",")}`;
    const prior = seen.get(key);
    if (prior) {
      eqn.outputs.forEach((v, i) => subst.set(v, prior[i]!));
      continue;
    }
    seen.set(key, eqn.outputs);
    eqns.push(eqn);
  }
  return rewrite(jaxpr, eqns, subst);
}

// --- dead-code elimination -------------------------------------------------------------------

export function dce(jaxpr: Jaxpr): Jaxpr {
  const live = new Set<Var>();
  for (const a of jaxpr.outvars) if (a instanceof Var) live.add(a);
  const kept: Eqn[] = [];
  for (let i = jaxpr.eqns.length - 1; i >= 0; i--) {
    const eqn = jaxpr.eqns[i]!;
    if (!eqn.outputs.some((v) => live.has(v))) continue;
    kept.push(eqn);
    for (const a of eqn.inputs) if (a instanceof Var) live.add(a);
  }
  kept.reverse();
  return new Jaxpr(jaxpr.constvars, jaxpr.invars, kept, jaxpr.outvars);
}
