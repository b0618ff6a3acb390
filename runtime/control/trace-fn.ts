// Tracing a user callback (branch, loop body) into a closed sub-jaxpr with hoisted consts:
// values it captures (concrete arrays, tracers of the enclosing trace) become leading
// inputs of the jaxpr and leading operands of the control-flow equation, as in JAX.

import { NDArray } from "../array/ndarray.js";
import { castScalar, dtypeOfNumber, type DType } from "../dtype.js";
import { ShapeError } from "../errors.js";
import { aval, type ShapedArray } from "../ir/aval.js";
import { ClosedJaxpr, Jaxpr, Literal, Var } from "../ir/jaxpr.js";
import { convertElementType } from "../primitives/index.js";
import { bind1, type Operand } from "../trace/core.js";
import { traceToJaxpr } from "../trace/staging.js";
import { flatten, unflatten, type Leaf, type TreeDef } from "../trace/pytree.js";

/** A flattened operand pytree: its structure, leaves as operands, and their avals and paths. */
export interface FlatOperands {
  readonly tree: TreeDef;
  readonly operands: Operand[];
  readonly avals: ShapedArray[];
  readonly paths: string[];
}

/** JS numbers become weak scalars typed by value (int if integral), like Python scalars in JAX. */
export function leafOperand(leaf: Leaf): Operand {
  if (typeof leaf === "number") return new Literal(leaf, aval([], dtypeOfNumber(leaf), true));
  if (typeof leaf === "boolean") return new Literal(+leaf, aval([], "bool"));
  return leaf;
}

export function flattenOperands(tree: unknown, what: string): FlatOperands {
  const leaves: Leaf[] = [];
  const paths: string[] = [];
  const def = flatten(tree, leaves, what, paths);
  const operands = leaves.map(leafOperand);
  return { tree: def, operands, avals: operands.map((o) => (o instanceof Literal ? o.aval : (o as NDArray).aval)), paths };
}

export interface TracedFn {
  /** Inputs: consts first, then the declared inputs. */
  readonly jaxpr: ClosedJaxpr;
  /** Captured values to pass as the leading operands. */
  readonly consts: readonly NDArray[];
  readonly outTree: TreeDef;
  readonly outAvals: readonly ShapedArray[];
  /** Output leaf paths, for messages. */
  readonly outPaths: readonly string[];
}

/**
 * Traces `fn(...unflatten(inTree, tracers))` with one tracer per input aval; returns a
 * jaxpr whose captured consts are hoisted to leading invars.
 */
export function traceFn(
  name: string,
  fn: (...args: unknown[]) => unknown,
  inTree: TreeDef,
  inAvals: readonly ShapedArray[],
  inPaths: readonly string[],
  spreadArgs: boolean,
): TracedFn {
  let outTree: TreeDef | undefined;
  const outPaths: string[] = [];
  const { jaxpr } = traceToJaxpr(
    name,
    inAvals.map((a, i) => ({ aval: a, name: inPaths[i] || name })),
    (...tracers) => {
      const args = unflatten(inTree, tracers);
      return spreadArgs ? fn(...(args as unknown[])) : fn(args);
    },
    (result) => {
      const leaves: Leaf[] = [];
      outTree = flatten(result, leaves, `the output of ${name}`, outPaths);
      return leaves.map(leafOperand);
    },
  );
  const inner = jaxpr.jaxpr;
  const hoisted = new Jaxpr([], [...inner.constvars, ...inner.invars], inner.eqns, inner.outvars);
  return {
    jaxpr: new ClosedJaxpr(hoisted, []),
    consts: jaxpr.consts as NDArray[],
    outTree: outTree!,
    outAvals: inner.outAvals,
    outPaths,
  };
}

/**
 * Gives several traced functions one shared list of leading consts (the union, by
 * identity): each jaxpr gets unused placeholder inputs for the others' consts.
 */
export function unifyConsts(traced: readonly TracedFn[]): { jaxprs: ClosedJaxpr[]; consts: NDArray[] } {
  const consts: NDArray[] = [];
  for (const t of traced) for (const c of t.consts) if (!consts.includes(c)) consts.push(c);
  const jaxprs = traced.map((t) => {
    const j = t.jaxpr.jaxpr;
    const own = j.invars.slice(0, t.consts.length);
    const rest = j.invars.slice(t.consts.length);
    const invars = consts.map((c) => {
      const at = t.consts.indexOf(c);
      return at >= 0 ? own[at]! : new Var(c.aval);
    });
    return new ClosedJaxpr(new Jaxpr([], [...invars, ...rest], j.eqns, j.outvars), []);
  });
  return { jaxprs, consts };
}

/** Converts a weak operand to the dtype a loop body settled on (JAX promotes weak carries). */
export function promoteOperand(x: Operand, to: ShapedArray): Operand {
  if (x instanceof Literal) return new Literal(castScalar(x.value, to.dtype), aval([], to.dtype, to.weakType));
  return bind1(convertElementType, [x], { new_dtype: to.dtype, weak_type: to.weakType });
}

/** Index of the first carry leaf whose type differs, or -1. */
export function firstMismatch(a: readonly ShapedArray[], b: readonly ShapedArray[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) return i;
  return -1;
}

/**
 * For loop carries: where an input leaf is weakly typed and the body returns a different
 * dtype of the same shape, adopt the body's type (returns null if nothing can change).
 */
export function weakPromotions(inAvals: readonly ShapedArray[], outAvals: readonly ShapedArray[]): ShapedArray[] | null {
  let changed = false;
  const next = inAvals.map((a, i) => {
    const o = outAvals[i];
    if (o && a !== o && a.weakType && a.shape.length === o.shape.length && a.shape.every((d, k) => d === o.shape[k])) {
      changed = true;
      return o;
    }
    return a;
  });
  return changed ? next : null;
}

export function describeTypes(avals: readonly ShapedArray[], paths: readonly string[]): string {
  return avals.map((a, i) => (paths[i] ? `${paths[i]}: ${a.str}` : a.str)).join(", ");
}

export function structureError(what: string, a: TreeDef, b: TreeDef, fix: string): ShapeError {
  return new ShapeError(`${what} must have the same structure, got ${a.key.replace(/\*/g, "·")} and ${b.key.replace(/\*/g, "·")}.`, fix);
}

export type { DType };
