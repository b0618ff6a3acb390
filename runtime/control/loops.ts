// Loops: lax.whileLoop, lax.foriLoop, lax.scan, lax.map. Bodies are traced once into
// sub-jaxprs and compiled to real loops — nothing is unrolled.

import { NDArray, type ArrayLike } from "../array/ndarray.js";
import { ConcreteArray } from "../array/concrete.js";
import { ArgumentError, DTypeError, ShapeError } from "../errors.js";
import { aval } from "../ir/aval.js";
import { dimText, sameDim, SymDim, type Dim } from "../symbolic.js";
import { Literal } from "../ir/jaxpr.js";
import { scan as scanPrimitive, whileLoop as whilePrimitive } from "../primitives/control.js";
import { bind } from "../trace/core.js";
import { arrayTreeDef, LEAF, unflatten, type TreeDef } from "../trace/pytree.js";
import { Tracer } from "../trace/tracer.js";
import { add, less } from "../np/elementwise.js";
import { settleCarry, type LoopNames } from "./carry.js";
import {
  argumentPaths,
  callbackLabel,
  flattenOperands,
  leafOperand,
  traceFn,
  type Arrayify,
  type FlatOperands,
  type Leafy,
  userName,
} from "./trace-fn.js";

type AnyFn = (...args: any[]) => any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** "the body function", or "the body function 'step'" when the user named it. */
function bodyText(fn: AnyFn): string {
  const name = userName(fn);
  return name !== "<anonymous>" ? `the body function '${name}'` : "the body function";
}

/** The carry with its leaves named as the body's parameter `index` sees them (`c`, `c.x`, `carry[1]`). */
function namedCarry(carry: FlatOperands, body: AnyFn, index: number, fallback: readonly string[]): FlatOperands {
  return { ...carry, paths: argumentPaths(body, carry.paths.map((q) => `[${index}]${q && !q.startsWith("[") ? "." : ""}${q}`), fallback) };
}

/** Prepends API-managed scalar leaves (foriLoop's counter, its bound) to the user's carry. */
function withHidden(hidden: readonly { value: ArrayLike; path: string }[], carry: FlatOperands): FlatOperands {
  const operands = hidden.map((h) => leafOperand(h.value));
  return {
    tree: arrayTreeDef([...hidden.map(() => LEAF), carry.tree]),
    operands: [...operands, ...carry.operands],
    avals: [...operands.map((o) => (o instanceof Literal ? o.aval : (o as NDArray).aval)), ...carry.avals],
    paths: [...hidden.map((h) => h.path), ...carry.paths],
  };
}

/**
 * A while loop over a flat carry: `cond` and `body` take and return the carry pytree.
 * `carry0.paths` name its leaves for the body; `condPaths` (default the same) for the condition.
 */
function whileCore(names: LoopNames, condFn: AnyFn, condUser: AnyFn, bodyFn: AnyFn, bodyUser: AnyFn, carry0: FlatOperands, condPaths = carry0.paths): unknown[] {
  const condLabel = callbackLabel(condUser, `the condition of ${names.api}`);
  const bodyLabel = callbackLabel(bodyUser, `the body of ${names.api}`);
  let condTraced: ReturnType<typeof traceFn> | undefined;
  const settled = settleCarry(names, carry0, (c) => {
    condTraced = traceFn(condLabel.name, condFn, c.tree, c.avals, condPaths, false, condLabel.role);
    const out = condTraced.outAvals;
    if (out.length !== 1 || out[0]!.ndim !== 0 || out[0]!.dtype !== "bool") {
      throw new DTypeError(`${names.api}: condFn must return a bool scalar, got (${out.map((a) => a.str).join(", ")}).`,
        "Return a comparison of scalars, e.g. (c) => c.i.lt(10); reduce arrays with np.any/np.all.");
    }
    const traced = traceFn(bodyLabel.name, bodyFn, c.tree, c.avals, c.paths, false, bodyLabel.role);
    return { traced, carryOut: traced.outAvals, tree: traced.outTree };
  });
  const body = settled.traced;
  const cond = condTraced!;
  return bind(whilePrimitive, [...cond.consts, ...body.consts, ...settled.carry.operands], {
    cond_jaxpr: cond.jaxpr,
    body_jaxpr: body.jaxpr,
    cond_nconsts: cond.consts.length,
    body_nconsts: body.consts.length,
  });
}

/** Repeats `body` while `condFn(carry)` is true. */
export function whileLoop<const T>(condFn: NoInfer<(carry: Arrayify<T>) => ArrayLike>, bodyFn: NoInfer<(carry: Arrayify<T>) => Leafy<T>>, init: T): Arrayify<T> {
  if (typeof condFn !== "function" || typeof bodyFn !== "function") {
    throw new ArgumentError("lax.whileLoop(condFn, bodyFn, init) needs two functions.");
  }
  const flat = flattenOperands(init, "the initial carry of lax.whileLoop");
  const carry0 = namedCarry(flat, bodyFn, 0, ["carry"]);
  const names: LoopNames = { api: "lax.whileLoop", body: bodyText(bodyFn), hidden: 0 };
  const outs = whileCore(names, condFn as AnyFn, condFn, bodyFn as AnyFn, bodyFn, carry0, namedCarry(flat, condFn, 0, ["carry"]).paths);
  return unflatten(carry0.tree, outs) as Arrayify<T>;
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
  const xsLength = checkXs("lax.scan", xsFlat);
  if (lengthOpt !== undefined && xsLength !== undefined && !sameDim(xsLength, lengthOpt)) {
    throw new ShapeError(`lax.scan: length ${lengthOpt} disagrees with the leading axis size ${dimText(xsLength)} of xs.`, "Drop length, or make it match xs.");
  }
  const length: Dim | undefined = lengthOpt ?? xsLength;
  if (length === undefined) throw new ArgumentError("lax.scan: with xs = null, pass { length }.", "lax.scan(f, init, null, { length: n }).");
  const carry0 = namedCarry(flattenOperands(init, "the initial carry of lax.scan"), f, 0, SCAN_PARAMS);
  const xNames = argumentPaths(f, xsFlat.paths.map((q) => `[1]${q && !q.startsWith("[") ? "." : ""}${q}`), SCAN_PARAMS);
  const { carry, ys } = scanCore({ api: "lax.scan", body: bodyText(f), hidden: 0 }, f, "the body of lax.scan", f as AnyFn, carry0, xsFlat, xNames, length, reverse);
  return [unflatten(carry0.tree, carry) as Arrayify<C>, ys as Arrayify<ReturnType<F>[1]>];
}

const SCAN_PARAMS = ["carry", "x"];

/** Checks that every xs leaf has one leading axis size; returns it (undefined without leaves). */
function checkXs(api: string, xs: FlatOperands): Dim | undefined {
  xs.operands.forEach((x, i) => {
    if (x instanceof Literal || (x as NDArray).ndim === 0) {
      throw new ShapeError(`${api}: xs leaf ${xs.paths[i] ? `'${xs.paths[i]}' ` : ""}is a scalar; every xs leaf needs a leading axis to scan over.`,
        "Pass arrays stacked along axis 0, or use length with xs = null.");
    }
  });
  const lengths = xs.avals.map((a) => a.shape[0]!);
  if (lengths.some((n) => !sameDim(n, lengths[0]!))) {
    throw new ShapeError(
      `${api}: xs leaves have different leading axis sizes: ${lengths.map((n, i) => `${xs.paths[i] || `leaf ${i}`}: ${dimText(n)}`).join(", ")}.`,
      "Every xs leaf must have the same size along axis 0.",
    );
  }
  return lengths[0];
}

/**
 * The scan loop behind lax.scan, lax.map and a counted lax.foriLoop: `step(carry, x)`
 * returns `[carry, y]`; `user` is the user's function, for messages.
 */
function scanCore(names: LoopNames, user: AnyFn, role: string, step: AnyFn, carry0: FlatOperands, xs: FlatOperands, xNames: readonly string[], length: Dim, reverse: boolean): { carry: unknown[]; ys: unknown } {
  const xAvals = xs.avals.map((a) => aval(a.shape.slice(1), a.dtype, a.weakType));
  const label = callbackLabel(user, role);
  let yTree: TreeDef | undefined;
  const settled = settleCarry(names, carry0, (c) => {
    const inTree = arrayTreeDef([c.tree, xs.tree]);
    const traced = traceFn(label.name, step, inTree, [...c.avals, ...xAvals], [...c.paths, ...xNames], true, label.role);
    const out = traced.outTree;
    if (out.kind !== "array" || out.children.length !== 2) {
      throw new ShapeError(`${names.api}: f must return a pair [carry, y], got a value of structure ${out.key.replace(/\*/g, "·")}.`,
        "Return [newCarry, y] (y may be null when there is nothing to stack).");
    }
    yTree = out.children[1]!;
    return { traced, carryOut: traced.outAvals.slice(0, c.tree.numLeaves), tree: out.children[0]! };
  });
  const body = settled.traced;
  const nc = settled.carry.tree.numLeaves;
  const outs = bind(scanPrimitive, [...body.consts, ...settled.carry.operands, ...xs.operands], {
    jaxpr: body.jaxpr,
    length,
    reverse,
    num_consts: body.consts.length,
    num_carry: nc,
  });
  return { carry: outs.slice(0, nc), ys: unflatten(yTree!, outs.slice(nc)) };
}

const FORI_PARAMS = ["i", "carry"];

/** `body(i, carry)` for i from lower to upper-1; static bounds compile to a counted loop. */
export function foriLoop<const T>(lower: ArrayLike, upper: ArrayLike, body: NoInfer<(i: NDArray, carry: Arrayify<T>) => Leafy<T>>, init: T): Arrayify<T> {
  if (typeof body !== "function") throw new ArgumentError("lax.foriLoop(lower, upper, body, init) needs a body function (i, carry) => carry.");
  // A concrete int32 scalar bound is known now, like a JS number (as in JAX): the loop is a
  // counted scan, which reverse-mode autodiff can go through.
  lower = staticBound(lower);
  upper = staticBound(upper);
  const user = namedCarry(flattenOperands(init, "the initial carry of lax.foriLoop"), body, 1, FORI_PARAMS);
  const counter = argumentPaths(body, ["[0]"], FORI_PARAMS)[0]!;
  if (typeof lower === "number" && typeof upper === "number") {
    if (!Number.isInteger(lower) || !Number.isInteger(upper)) {
      throw new ArgumentError(`lax.foriLoop: bounds must be integers, got ${lower} and ${upper}.`);
    }
    // The counter is carried as a weak int32 scalar, like a Python int in JAX.
    const carry0 = withHidden([{ value: lower, path: counter }], user);
    const step = ([i, carry]: [NDArray, Arrayify<T>]) => [[add(i, 1), body(i, carry)], null] as const;
    const names: LoopNames = { api: "lax.foriLoop", body: bodyText(body), hidden: 1 };
    const { carry } = scanCore(names, body, "the body of lax.foriLoop", step, carry0, flattenOperands(null, ""), [], Math.max(0, upper - lower), false);
    return unflatten(user.tree, carry.slice(1)) as Arrayify<T>;
  }
  const carry0 = withHidden([{ value: asInt(lower), path: counter }, { value: asInt(upper), path: "upper" }], user);
  const names: LoopNames = { api: "lax.foriLoop", body: bodyText(body), hidden: 2 };
  const outs = whileCore(
    names,
    ([i, hi]: NDArray[]) => less(i!, hi!),
    body,
    ([i, hi, carry]: [NDArray, NDArray, Arrayify<T>]) => [add(i, 1), hi, body(i, carry)],
    body,
    carry0,
  );
  return unflatten(user.tree, outs.slice(2)) as Arrayify<T>;
}

/**
 * A concrete int32 scalar bound as a JS number when its value is known on the host without a
 * device readback (any backend's array made from host data, or a CPU array); a value still on
 * an asynchronous device (a webgpu result) stays an array: a dynamic bound, as if traced.
 */
function staticBound(x: ArrayLike): ArrayLike {
  if (!(x instanceof ConcreteArray) || x.ndim !== 0 || x.dtype !== "int32") return x;
  return x.knownScalar() ?? x;
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
  const xsFlat = flattenOperands(xs, "xs of lax.map");
  const length = checkXs("lax.map", xsFlat);
  if (length === undefined) throw new ArgumentError("lax.map(f, xs) needs at least one array in xs to map over.");
  const xNames = argumentPaths(f, xsFlat.paths.map((q) => `[0]${q && !q.startsWith("[") ? "." : ""}${q}`), ["x"]);
  const names: LoopNames = { api: "lax.map", body: bodyText(f), hidden: 0 };
  const step = (_c: null, x: Arrayify<X>) => [null, f(x)];
  const { ys } = scanCore(names, f, "the function mapped by lax.map", step, flattenOperands(null, ""), xsFlat, xNames, length, false);
  return ys as Arrayify<ReturnType<F>>;
}
