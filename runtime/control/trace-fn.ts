// Tracing a user callback (branch, loop body) into a closed sub-jaxpr with hoisted consts:
// values it captures (concrete arrays, tracers of the enclosing trace) become leading
// inputs of the jaxpr and leading operands of the control-flow equation, as in JAX.

import { NDArray } from "../array/ndarray.js";
import { castLiteral, dtypeOfNumber, promoteTypes } from "../dtype.js";
import { ShapeError } from "../errors.js";
import { aval, type ShapedArray } from "../ir/aval.js";
import { ClosedJaxpr, Jaxpr, Literal, Var } from "../ir/jaxpr.js";
import { convertElementType } from "../primitives/index.js";
import { avalsMatch } from "../primitives/control.js";
import { shapesEqual } from "../shape.js";
import { bind1, type Operand } from "../trace/core.js";
import { traceToJaxpr } from "../trace/staging.js";
import { DESTRUCTURED, parseParams } from "../jit/params.js";
import { flatten, unflatten, type Leaf, type TreeDef } from "../trace/pytree.js";
import { checkTraceable } from "../jit/arguments.js";

/** A pytree as a traced function sees it: every number, boolean or array leaf is an NDArray. */
export type Arrayify<T> = T extends number | boolean | NDArray ? NDArray
  : T extends null | undefined ? T
  : { -readonly [K in keyof T]: Arrayify<T[K]> };

/** A pytree a traced function may return for a carry of type T: leaves may be arrays or JS scalars. */
export type Leafy<T> = T extends number | boolean | NDArray ? NDArray | number | boolean
  : T extends null | undefined ? T
  : { -readonly [K in keyof T]: Leafy<T[K]> };

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

/** A user callback as messages name it: its own name and what it is for ("the body of lax.scan"). */
export interface FnLabel {
  readonly name: string;
  readonly role: string;
}

/** The function's own name (without `bound `), or "<anonymous>". */
export function userName(fn: unknown): string {
  const name = typeof fn === "function" ? fn.name.replace(/^bound /, "") : "";
  return name || "<anonymous>";
}

export function callbackLabel(fn: unknown, role: string): FnLabel {
  return { name: userName(fn), role };
}

/** "function 'step' (the body of lax.scan)", or just the role for an anonymous callback. */
export function labelText(label: FnLabel): string {
  return label.name === "<anonymous>" ? label.role : `function '${label.name}' (${label.role})`;
}

/** `root` + a pytree path from `flatten` (`""`, `x`, `[1]`, `a.b`): `c`, `c.x`, `c[1]`, `c.a.b`. */
export function joinPath(root: string, path: string): string {
  return path ? `${root}${path.startsWith("[") ? "" : "."}${path}` : root;
}

/**
 * The user's names for the leaves of a callback's arguments: paths of the argument list
 * (`[0]`, `[1].w`) become `carry`, `x.w` after the callback's own parameter names;
 * `fallback[k]` names a parameter that is destructured or unnamed.
 */
export function argumentPaths(fn: unknown, paths: readonly string[], fallback: readonly string[]): string[] {
  const { names: params, hasRest } = typeof fn === "function" ? parseParams(fn) : { names: [], hasRest: false };
  const rest = hasRest && params.length > 0 ? params.length - 1 : Infinity;
  const nameOf = (k: number) => {
    if (k >= rest && params[rest] !== DESTRUCTURED) return `${params[rest]}[${k - rest}]`; // (...cs) => ...
    return params[k] && params[k] !== DESTRUCTURED ? params[k]! : (fallback[k] ?? `args[${k}]`);
  };
  return paths.map((p) => {
    const m = /^\[(\d+)\](.*)$/.exec(p);
    return m ? joinPath(nameOf(Number(m[1])), m[2]!.startsWith(".") ? m[2]!.slice(1) : m[2]!) : p;
  });
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
 * jaxpr whose captured consts are hoisted to leading invars. `name` (the callback's own
 * name) and `role` ("the body of lax.scan") name it in messages.
 */
export function traceFn(
  name: string,
  fn: (...args: unknown[]) => unknown,
  inTree: TreeDef,
  inAvals: readonly ShapedArray[],
  inPaths: readonly string[],
  spreadArgs: boolean,
  role = "a lax callback",
): TracedFn {
  // Named by its role ("trueFn of lax.cond"): an async callback's own name is usually "<anonymous>".
  checkTraceable(fn, `lax (${role})`);
  const label: FnLabel = { name, role };
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
      outTree = flatten(result, leaves, `the output of ${labelText(label)}`, outPaths);
      return leaves.map(leafOperand);
    },
    label.role,
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
  if (x instanceof Literal) return new Literal(castLiteral(x.value, to.dtype), aval([], to.dtype, to.weakType));
  return bind1(convertElementType, [x], { new_dtype: to.dtype, weak_type: to.weakType });
}

/**
 * The type several branches' outputs agree on: equal types, or, where outputs differ
 * only because some are weakly typed (JS number constants), their promotion — the weak
 * outputs are then converted. Returns null at the first leaf with no such join.
 */
export function joinOutputTypes(outs: readonly (readonly ShapedArray[])[]): { types: ShapedArray[]; mismatch: -1 } | { types: null; mismatch: number } {
  const first = outs[0]!;
  const types: ShapedArray[] = [];
  for (let k = 0; k < first.length; k++) {
    const leaf = outs.map((o) => o[k]!);
    if (leaf.every((a) => avalsMatch(a.strong(), leaf[0]!.strong()))) {
      types.push(leaf.every((a) => a.weakType) ? leaf[0]! : leaf[0]!.strong());
      continue;
    }
    const sameShape = leaf.every((a) => shapesEqual(a.shape, leaf[0]!.shape));
    const strong = leaf.filter((a) => !a.weakType);
    const target = promoteTypes(leaf);
    // Only weak leaves may change; every strong leaf must already have the joined dtype.
    if (!sameShape || strong.some((a) => a.dtype !== target.dtype)) return { types: null, mismatch: k };
    types.push(aval(leaf[0]!.shape, target.dtype, target.weakType));
  }
  return { types, mismatch: -1 };
}

/** Converts a traced function's outputs to `types` by appending convert equations. */
export function castOutputs(t: TracedFn, types: readonly ShapedArray[]): TracedFn {
  const j = t.jaxpr.jaxpr;
  if (j.outAvals.every((a, i) => a === types[i])) return t;
  const eqns = [...j.eqns];
  const outvars = j.outvars.map((o, i) => {
    const want = types[i]!;
    if (o.aval === want) return o;
    if (o instanceof Literal) return new Literal(castLiteral(o.value, want.dtype), want);
    const v = new Var(want);
    eqns.push({ primitive: convertElementType, inputs: [o], params: { new_dtype: want.dtype, weak_type: want.weakType }, outputs: [v] });
    return v;
  });
  const jaxpr = new Jaxpr(j.constvars, j.invars, eqns, outvars);
  return { ...t, jaxpr: new ClosedJaxpr(jaxpr, []), outAvals: types };
}

export function structureError(what: string, a: TreeDef, b: TreeDef, fix: string): ShapeError {
  return new ShapeError(`${what} must have the same structure, got ${a.key.replace(/\*/g, "·")} and ${b.key.replace(/\*/g, "·")}.`, fix);
}
