// Loops: lax.whileLoop, lax.foriLoop, lax.scan, lax.map. Bodies are traced once into
// sub-jaxprs and compiled to real loops — nothing is unrolled.

import { NDArray, type ArrayLike } from "../array/ndarray.js";
import { ConcreteArray } from "../array/concrete.js";
import { ArgumentError, DTypeError, ShapeError } from "../errors.js";
import { aval, type ShapedArray } from "../ir/aval.js";
import { dimText, sameDim, SymDim, type Dim } from "../symbolic.js";
import { Literal } from "../ir/jaxpr.js";
import { scan as scanPrimitive, whileLoop as whilePrimitive } from "../primitives/control.js";
import { bind } from "../trace/core.js";
import { arrayTreeDef, unflatten, type TreeDef } from "../trace/pytree.js";
import { Tracer } from "../trace/tracer.js";
import { add, less } from "../np/elementwise.js";
import {
  describeTypes,
  firstMismatch,
  flattenOperands,
  promoteOperand,
  structureError,
  traceFn,
  weakPromotions,
  type Arrayify,
  type FlatOperands,
  type Leafy,
  type TracedFn,
} from "./trace-fn.js";

type AnyFn = (...args: any[]) => any; // eslint-disable-line @typescript-eslint/no-explicit-any
/** scan without the generic mapping, for internal callers whose carry type is itself generic. */
type UntypedScan = (f: AnyFn, init: unknown, xs: unknown, options: ScanOptions) => [[unknown, unknown], unknown];

function carryTypeError(name: string, what: string, carry: FlatOperands, out: readonly ShapedArray[], at: number): ShapeError {
  const path = carry.paths[at] ? `'${carry.paths[at]}'` : `leaf ${at}`;
  return new ShapeError(
    `${name}: ${what} must return the carry type unchanged, but at ${path} the carry enters as ${carry.avals[at]?.str} ` +
      `and is returned as ${out[at]?.str}.\n  carry in:  (${describeTypes(carry.avals, carry.paths)})\n  carry out: (${describeTypes(out, carry.paths)})`,
    "Keep every carried array's shape and dtype fixed across iterations (initialize with the final dtype, e.g. np.zeros(shape) or 0.0 via np.array(0)).",
  );
}

/** Retraces `trace` after adopting the body's dtype for weakly typed carry leaves (as JAX does). */
function settleCarry(name: string, what: string, carry: FlatOperands, trace: (c: FlatOperands) => { traced: TracedFn; carryOut: readonly ShapedArray[]; tree: TreeDef }) {
  let current = carry;
  for (let attempt = 0; ; attempt++) {
    const result = trace(current);
    if (result.tree !== current.tree) {
      throw structureError(`${name}: the carry going in and coming out of ${what}`, current.tree, result.tree,
        "Return the carry with the same structure it came in with.");
    }
    const at = firstMismatch(current.avals, result.carryOut);
    if (at < 0) return { ...result, carry: current };
    const promoted = weakPromotions(current.avals, result.carryOut);
    if (!promoted || attempt > 0) throw carryTypeError(name, what, current, result.carryOut, at);
    current = {
      ...current,
      operands: current.operands.map((o, i) => (promoted[i] !== current.avals[i] ? promoteOperand(o, promoted[i]!) : o)),
      avals: promoted,
    };
  }
}

/** Repeats `body` while `condFn(carry)` is true. */
export function whileLoop<const T>(condFn: NoInfer<(carry: Arrayify<T>) => ArrayLike>, bodyFn: NoInfer<(carry: Arrayify<T>) => Leafy<T>>, init: T): Arrayify<T> {
  if (typeof condFn !== "function" || typeof bodyFn !== "function") {
    throw new ArgumentError("lax.whileLoop(condFn, bodyFn, init) needs two functions.");
  }
  const carry0 = flattenOperands(init, "the initial carry of lax.whileLoop");
  let condTraced: TracedFn | undefined;
  const settled = settleCarry("lax.whileLoop", "bodyFn", carry0, (c) => {
    condTraced = traceFn("condFn", condFn as AnyFn, c.tree, c.avals, c.paths, false);
    const out = condTraced.outAvals;
    if (out.length !== 1 || out[0]!.ndim !== 0 || out[0]!.dtype !== "bool") {
      throw new DTypeError(`lax.whileLoop: condFn must return a bool scalar, got (${out.map((a) => a.str).join(", ")}).`,
        "Return a comparison of scalars, e.g. (c) => c.i.lt(10); reduce arrays with np.any/np.all.");
    }
    const traced = traceFn("bodyFn", bodyFn as AnyFn, c.tree, c.avals, c.paths, false);
    return { traced, carryOut: traced.outAvals, tree: traced.outTree };
  });
  const body = settled.traced;
  const cond = condTraced!;
  const outs = bind(whilePrimitive, [...cond.consts, ...body.consts, ...settled.carry.operands], {
    cond_jaxpr: cond.jaxpr,
    body_jaxpr: body.jaxpr,
    cond_nconsts: cond.consts.length,
    body_nconsts: body.consts.length,
  });
  return unflatten(settled.carry.tree, outs) as Arrayify<T>;
}

export interface ScanOptions {
  /** Number of iterations (needed when xs is null; must agree with xs otherwise). */
  length?: number;
  /** Iterate from the last element to the first (ys stay in index order). */
  reverse?: boolean;
}

/**
 * `f(carry, x) -> [carry, y]` over the leading axis of xs; returns [final carry, stacked ys].
 */
export function scan<const C, const X, F extends (carry: NoInfer<Arrayify<C>>, x: NoInfer<Arrayify<X>>) => readonly [NoInfer<Leafy<C>>, unknown]>(
  f: F,
  init: C,
  xs: X,
  options: ScanOptions = {},
): [Arrayify<C>, Arrayify<ReturnType<F>[1]>] {
  if (typeof f !== "function") throw new ArgumentError("lax.scan(f, init, xs) needs a function f(carry, x) => [carry, y].");
  const { length: lengthOpt, reverse = false } = options;
  const rawLength: unknown = lengthOpt;
  if (rawLength !== undefined && typeof rawLength !== "number" && !(rawLength instanceof SymDim)) {
    throw new ArgumentError(
      `lax.scan: length must be a static integer, got ${rawLength instanceof Tracer ? `a traced value (${rawLength.aval.str})` : String(rawLength)}.`,
      "The number of iterations is part of the compiled program: pass a JS number (e.g. from x.shape[0]) or mark it static; for a data-dependent count use lax.whileLoop.",
    );
  }
  if (typeof lengthOpt === "number" && (!Number.isInteger(lengthOpt) || lengthOpt < 0)) {
    throw new ArgumentError(`lax.scan: length must be a non-negative integer, got ${lengthOpt}.`);
  }
  const xsFlat = flattenOperands(xs, "xs of lax.scan");
  xsFlat.operands.forEach((x, i) => {
    if (x instanceof Literal || (x as NDArray).ndim === 0) {
      throw new ShapeError(`lax.scan: xs leaf ${xsFlat.paths[i] ? `'${xsFlat.paths[i]}' ` : ""}is a scalar; every xs leaf needs a leading axis to scan over.`,
        "Pass arrays stacked along axis 0, or use length with xs = null.");
    }
  });
  const lengths = xsFlat.avals.map((a) => a.shape[0]!);
  if (lengths.some((n) => !sameDim(n, lengths[0]!))) {
    throw new ShapeError(
      `lax.scan: xs leaves have different leading axis sizes: ${lengths.map((n, i) => `${xsFlat.paths[i] || `leaf ${i}`}: ${dimText(n)}`).join(", ")}.`,
      "Every xs leaf must have the same size along axis 0.",
    );
  }
  if (lengthOpt !== undefined && lengths.length && !sameDim(lengths[0]!, lengthOpt)) {
    throw new ShapeError(`lax.scan: length ${lengthOpt} disagrees with the leading axis size ${dimText(lengths[0]!)} of xs.`, "Drop length, or make it match xs.");
  }
  const length: Dim | undefined = lengthOpt ?? lengths[0];
  if (length === undefined) throw new ArgumentError("lax.scan: with xs = null, pass { length }.", "lax.scan(f, init, null, { length: n }).");
  const xAvals = xsFlat.avals.map((a) => aval(a.shape.slice(1), a.dtype, a.weakType));
  const carry0 = flattenOperands(init, "the initial carry of lax.scan");
  let yTree: TreeDef | undefined;
  const settled = settleCarry("lax.scan", "f", carry0, (c) => {
    const inTree = arrayTreeDef([c.tree, xsFlat.tree]);
    const traced = traceFn("f", f as AnyFn, inTree, [...c.avals, ...xAvals], [...c.paths.map((q) => `carry${q ? "." + q : ""}`), ...xsFlat.paths.map((q) => `x${q ? "." + q : ""}`)], true);
    const out = traced.outTree;
    if (out.kind !== "array" || out.children.length !== 2) {
      throw new ShapeError(`lax.scan: f must return a pair [carry, y], got a value of structure ${out.key.replace(/\*/g, "·")}.`,
        "Return [newCarry, y] (y may be null when there is nothing to stack).");
    }
    yTree = out.children[1]!;
    return { traced, carryOut: traced.outAvals.slice(0, c.tree.numLeaves), tree: out.children[0]! };
  });
  const body = settled.traced;
  const nc = settled.carry.tree.numLeaves;
  const outs = bind(scanPrimitive, [...body.consts, ...settled.carry.operands, ...xsFlat.operands], {
    jaxpr: body.jaxpr,
    length,
    reverse,
    num_consts: body.consts.length,
    num_carry: nc,
  });
  return [unflatten(settled.carry.tree, outs.slice(0, nc)) as Arrayify<C>, unflatten(yTree!, outs.slice(nc)) as Arrayify<ReturnType<F>[1]>];
}

/** `body(i, carry)` for i from lower to upper-1; static bounds compile to a counted loop. */
export function foriLoop<const T>(lower: ArrayLike, upper: ArrayLike, body: NoInfer<(i: NDArray, carry: Arrayify<T>) => Leafy<T>>, init: T): Arrayify<T> {
  if (typeof body !== "function") throw new ArgumentError("lax.foriLoop(lower, upper, body, init) needs a body function (i, carry) => carry.");
  // A concrete int32 scalar bound is known now, like a JS number (as in JAX): the loop is a
  // counted scan, which reverse-mode autodiff can go through.
  lower = staticBound(lower);
  upper = staticBound(upper);
  if (typeof lower === "number" && typeof upper === "number") {
    if (!Number.isInteger(lower) || !Number.isInteger(upper)) {
      throw new ArgumentError(`lax.foriLoop: bounds must be integers, got ${lower} and ${upper}.`);
    }
    // The counter is carried as a weak int32 scalar, like a Python int in JAX.
    const step = ([i, carry]: [NDArray, Arrayify<T>]) => [[add(i, 1), body(i, carry)], null] as const;
    const [[, out]] = (scan as unknown as UntypedScan)(step, [lower, init], null, { length: Math.max(0, upper - lower) });
    return out as Arrayify<T>;
  }
  const [, , out] = whileLoop(
    ([i, hi]) => less(i, hi),
    ([i, hi, carry]) => [add(i, 1), hi, body(i, carry as Arrayify<T>)],
    [asInt(lower), asInt(upper), init] as [ArrayLike, ArrayLike, T],
  );
  return out as Arrayify<T>;
}

function staticBound(x: ArrayLike): ArrayLike {
  return x instanceof ConcreteArray && x.ndim === 0 && x.dtype === "int32" ? (x.item() as number) : x;
}

function asInt(x: ArrayLike): ArrayLike {
  if (typeof x === "number") {
    if (!Number.isInteger(x)) throw new ArgumentError(`lax.foriLoop: bounds must be integers, got ${x}.`);
    return x; // carried as a weak int32 scalar
  }
  if (x instanceof NDArray && x.dtype !== "int32") {
    throw new DTypeError(`lax.foriLoop: bounds must be int32 scalars, got ${x.aval.str}.`, "Convert with .astype(\"int32\").");
  }
  return x as NDArray;
}

/** `f` applied to each slice along the leading axis of xs, results stacked. */
export function map<const X, F extends (x: NoInfer<Arrayify<X>>) => unknown>(f: F, xs: X): Arrayify<ReturnType<F>> {
  if (typeof f !== "function") throw new ArgumentError("lax.map(f, xs) needs a function.");
  const [, ys] = (scan as unknown as UntypedScan)((_c: null, x: Arrayify<X>) => [null, f(x)], null, xs, {});
  return ys as Arrayify<ReturnType<F>>;
}
