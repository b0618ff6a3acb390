// The user-facing transformations with JAX's conventions (DESIGN.md § Transformations):
// grad, valueAndGrad, vjp, jvp, jacfwd, jacrev, hessian and lax.stopGradient.

import { NDArray } from "../array/ndarray.js";
import { isFloat, type DType } from "../dtype.js";
import { ArgumentError, DTypeError, ShapeError } from "../errors.js";
import { aval } from "../ir/aval.js";
import { Literal } from "../ir/jaxpr.js";
import * as p from "../primitives/index.js";
import { bind1, type Operand } from "../trace/core.js";
import { flatten, unflatten, type Leaf, type TreeDef } from "../trace/pytree.js";
import { shapeTuple } from "../shape.js";
import { jvpFlat } from "./jvp.js";
import type { Arrayify } from "../control/trace-fn.js";
import { linearizeFlat } from "./linearize.js";
import { avalOf, broadcastInDim, convert, iota, zeros } from "./ops.js";
import { batchAt0, vmapFlat } from "./batching.js";

type AnyFn = (...args: any[]) => any; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface GradOptions {
  /** Which positional argument(s) to differentiate: a number gives one gradient, an array a list. */
  argnums?: number | readonly number[];
  /** f returns [output, aux]; aux is passed through undifferentiated. */
  hasAux?: boolean;
}

const fnName = (f: AnyFn) => f.name || "<anonymous>";

/** An operand as an array (JS numbers and literals become rank-0 arrays on the current trace). */
function asArray(x: Operand): NDArray {
  return x instanceof Literal ? broadcastInDim(x, [], []) : x;
}

/** A differentiated leaf: JS numbers count as float32 (JS has no int/float distinction). */
function diffLeaf(leaf: Leaf): Operand {
  if (typeof leaf === "number") return asArray(new Literal(leaf, aval([], "float32", true)));
  if (typeof leaf === "boolean") return asArray(new Literal(+leaf, aval([], "bool")));
  return leaf;
}

function normalizeArgnums(who: string, argnums: number | readonly number[] | undefined, nargs: number): { nums: number[]; single: boolean } {
  const raw = argnums ?? 0;
  const single = !Array.isArray(raw);
  const nums = (single ? [raw] : raw) as number[];
  for (const a of nums) {
    if (!Number.isInteger(a) || a < 0 || a >= nargs) {
      throw new ArgumentError(`${who}: argnums ${JSON.stringify(raw)} is out of range for a call with ${nargs} positional argument(s).`,
        "Pass argnums as an index (or array of indices) of the arguments to differentiate.");
    }
  }
  return { nums, single };
}

interface FlatArgs {
  primals: Operand[];
  trees: TreeDef[];
  counts: number[];
  rebuild(xs: readonly Operand[]): unknown[];
}

/** Flattens the differentiated arguments; `rebuild` puts traced leaves back into the call. */
function flattenArgs(who: string, args: readonly unknown[], nums: readonly number[], requireFloat: boolean): FlatArgs {
  const primals: Operand[] = [];
  const trees: TreeDef[] = [];
  const counts: number[] = [];
  for (const i of nums) {
    const leaves: Leaf[] = [];
    const paths: string[] = [];
    trees.push(flatten(args[i], leaves, `argument ${i} of ${who}`, paths));
    counts.push(leaves.length);
    leaves.forEach((l, k) => {
      const x = diffLeaf(l);
      if (requireFloat && !isFloat(avalOf(x).dtype)) {
        throw new DTypeError(
          `${who}: grad requires real- or complex-valued inputs (input dtype that is a sub-dtype of np.inexact), but got ${avalOf(x).dtype} ` +
            `for argument ${i}${paths[k] ? ` at '${paths[k]}'` : ""}.`,
          "Convert the input to float (x.astype(\"float32\")), pass it as a non-differentiated argument (argnums), or use vjp.",
        );
      }
      primals.push(x);
    });
  }
  return {
    primals, trees, counts,
    rebuild(xs) {
      const call = args.slice();
      let k = 0;
      nums.forEach((i, j) => {
        call[i] = unflatten(trees[j]!, xs.slice(k, k + counts[j]!));
        k += counts[j]!;
      });
      return call;
    },
  };
}

function splitAux(who: string, result: unknown, hasAux: boolean): [unknown, unknown] {
  if (!hasAux) return [result, undefined];
  if (!Array.isArray(result) || result.length !== 2) {
    throw new ArgumentError(`${who}: with hasAux the function must return a pair [output, aux].`, "Return [out, aux], or drop hasAux.");
  }
  return [result[0], result[1]];
}

/** The gradients of the differentiated leaves as pytrees (zeros where no dependence). */
function gradTrees(flat: FlatArgs, cts: readonly (Operand | null)[], single: boolean): unknown {
  let k = 0;
  const trees = flat.trees.map((t, j) => {
    const leaves = flat.primals.slice(k, k + flat.counts[j]!).map((x, i) => asArray(cts[k + i] ?? zeros(avalOf(x))));
    k += flat.counts[j]!;
    return unflatten(t, leaves);
  });
  return single ? trees[0] : trees;
}

function valueAndGradImpl(f: AnyFn, options: GradOptions, who: string, args: unknown[]): [unknown, unknown, unknown] {
  if (typeof f !== "function") throw new ArgumentError(`${who} needs a function, got ${typeof f}.`);
  const hasAux = options.hasAux ?? false;
  const { nums, single } = normalizeArgnums(who, options.argnums, args.length);
  const flat = flattenArgs(who, args, nums, true);
  let auxTree: TreeDef | undefined;
  const lin = linearizeFlat(who, (xs) => {
    const [out, aux] = splitAux(who, f(...flat.rebuild(xs)), hasAux);
    const outLeaves: Leaf[] = [];
    flatten(out, outLeaves, `the output of ${who}`);
    const o = outLeaves.length === 1 ? diffOut(outLeaves[0]!) : undefined;
    if (!o || avalOf(o).ndim !== 0) {
      const shape = o ? shapeTuple(avalOf(o).shape) : `a pytree of ${outLeaves.length} leaves`;
      throw new ShapeError(`${who}: Gradient only defined for scalar-output functions. Output had shape: ${shape}.`,
        "Reduce the output to a scalar (e.g. .sum() or np.mean), or use vjp / jacrev for non-scalar outputs.");
    }
    if (!isFloat(avalOf(o).dtype)) {
      throw new DTypeError(`${who}: grad requires real-valued outputs (output dtype that is a sub-dtype of np.floating), but got ${avalOf(o).dtype}.`,
        "Return a float scalar (convert with .astype(\"float32\")).");
    }
    const auxLeaves: Leaf[] = [];
    auxTree = flatten(aux, auxLeaves, `the aux output of ${who}`);
    return [o, ...auxLeaves.map(diffOut)];
  }, flat.primals, flat.primals.map(() => true));
  const value = asArray(lin.outs[0]!);
  const one = broadcastInDim(new Literal(1, aval([], value.dtype, value.weakType)), [], []);
  const cts = lin.backward([one]);
  const aux = hasAux ? unflatten(auxTree!, lin.outs.slice(1).map(asArray)) : undefined;
  return [value, gradTrees(flat, cts, single), aux];
}

function diffOut(l: Leaf): Operand {
  if (typeof l === "number") return new Literal(l, aval([], "float32", true));
  if (typeof l === "boolean") return new Literal(+l, aval([], "bool"));
  return l;
}

/** `grad(f)(...args)`: the gradient of scalar-valued f with respect to args[argnums]. */
/** The gradient's type: the differentiated argument's pytree with array leaves (a list for array argnums). */
export type GradOf<A extends readonly unknown[], N> = N extends number ? Arrayify<A[N]>
  : N extends readonly number[] ? { -readonly [K in keyof N]: Arrayify<A[N[K] & number]> } : Arrayify<A[0]>;
type AuxOf<F extends AnyFn> = ReturnType<F> extends readonly [unknown, infer X] ? Arrayify<X> : never;
type Options<N, HA> = { argnums?: N; hasAux?: HA };

export function grad<F extends AnyFn, const N extends number | readonly number[] = 0, HA extends boolean = false>(
  f: F,
  options: Options<N, HA> = {},
): (...args: Parameters<F>) => HA extends true ? [GradOf<Parameters<F>, N>, AuxOf<F>] : GradOf<Parameters<F>, N> {
  const who = `grad(${fnName(f)})`;
  return (...args: unknown[]) => {
    const [, g, aux] = valueAndGradImpl(f, options, who, args);
    return (options.hasAux ? [g, aux] : g) as never;
  };
}

/** `valueAndGrad(f)(...args)` → [value, grad], or [[value, aux], grad] with hasAux. */
export function valueAndGrad<F extends AnyFn, const N extends number | readonly number[] = 0, HA extends boolean = false>(
  f: F,
  options: Options<N, HA> = {},
): (...args: Parameters<F>) => HA extends true ? [[NDArray, AuxOf<F>], GradOf<Parameters<F>, N>] : [NDArray, GradOf<Parameters<F>, N>] {
  const who = `valueAndGrad(${fnName(f)})`;
  return (...args: unknown[]) => {
    const [v, g, aux] = valueAndGradImpl(f, options, who, args);
    return (options.hasAux ? [[v, aux], g] : [v, g]) as never;
  };
}

function flattenOutputs(who: string, result: unknown): { leaves: Operand[]; tree: TreeDef } {
  const leaves: Leaf[] = [];
  const tree = flatten(result, leaves, `the output of ${who}`);
  return { leaves: leaves.map(diffOut), tree };
}

/**
 * f as a flat function of the differentiated leaves for vjp/jacfwd/jacrev: its output leaves,
 * then (with hasAux) its aux leaves, passed through undifferentiated. Each call records the
 * output and aux structures and the output leaf count; `aux` rebuilds the aux pytree.
 */
function flatOutputsWithAux(who: string, f: AnyFn, flat: FlatArgs, hasAux: boolean) {
  const s = {
    outTree: undefined as TreeDef | undefined,
    auxTree: undefined as TreeDef | undefined,
    nOut: 0,
    fn: (xs: Operand[]): Operand[] => {
      const [out, aux] = splitAux(who, f(...flat.rebuild(xs)), hasAux);
      const o = flattenOutputs(who, out);
      const auxLeaves: Leaf[] = [];
      s.auxTree = flatten(aux, auxLeaves, `the aux output of ${who}`);
      s.outTree = o.tree;
      s.nOut = o.leaves.length;
      return [...o.leaves, ...auxLeaves.map(diffOut)];
    },
    aux: (outs: readonly Operand[]): unknown => unflatten(s.auxTree!, outs.slice(s.nOut).map(asArray)),
  };
  return s;
}

export interface VjpOptions {
  /** f returns [output, aux]: vjp returns [out, vjpFn, aux] and differentiates only the output. */
  hasAux: boolean;
}

/**
 * The trailing options object of `vjp(f, ...primals, { hasAux })`: a plain object whose only
 * key is `hasAux`, with a boolean value (any other value is a primal, e.g. a dict pytree).
 */
function isVjpOptions(x: unknown): x is VjpOptions {
  if (x === null || typeof x !== "object" || Object.getPrototypeOf(x) !== Object.prototype) return false;
  const keys = Object.keys(x);
  return keys.length === 1 && keys[0] === "hasAux" && typeof (x as VjpOptions).hasAux === "boolean";
}

type VjpFn = (ct: unknown) => any[]; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * `vjp(f, ...primals)` → [out, vjpFn]; vjpFn(cotangent) returns one cotangent per primal.
 * `vjp(f, ...primals, { hasAux: true })` → [out, vjpFn, aux] (JAX's has_aux), f returning [out, aux].
 */
export function vjp<F extends AnyFn>(f: F, ...args: [...Parameters<F>, VjpOptions & { hasAux: true }]): [any, VjpFn, any]; // eslint-disable-line @typescript-eslint/no-explicit-any
export function vjp<F extends AnyFn>(f: F, ...args: [...Parameters<F>, { hasAux: false }]): [any, VjpFn]; // eslint-disable-line @typescript-eslint/no-explicit-any
export function vjp<F extends AnyFn>(f: F, ...primals: Parameters<F>): [any, VjpFn]; // eslint-disable-line @typescript-eslint/no-explicit-any
export function vjp<F extends AnyFn>(f: F, ...args: unknown[]): [unknown, VjpFn] | [unknown, VjpFn, unknown] {
  const who = `vjp(${fnName(f)})`;
  if (typeof f !== "function") throw new ArgumentError(`vjp needs a function, got ${typeof f}.`);
  const last = args[args.length - 1];
  const hasOptions = isVjpOptions(last);
  const hasAux = hasOptions && last.hasAux;
  const primals = hasOptions ? args.slice(0, -1) : args;
  const nums = primals.map((_, i) => i);
  const flat = flattenArgs(who, primals, nums, false);
  const g = flatOutputsWithAux(who, f, flat, hasAux);
  const lin = linearizeFlat(who, g.fn, flat.primals, flat.primals.map((x) => isFloat(avalOf(x).dtype)));
  const { outTree, nOut } = g;
  const out = unflatten(outTree!, lin.outs.slice(0, nOut).map(asArray));
  const vjpFn = (ct: unknown) => {
    const leaves: Leaf[] = [];
    const tree = flatten(ct, leaves, `the cotangent passed to the vjp function of ${fnName(f)}`);
    if (tree !== outTree) {
      throw new ShapeError(`${who}: the cotangent has structure ${tree.key.replace(/\*/g, "·")} but the output has ${outTree!.key.replace(/\*/g, "·")}.`,
        "Pass a cotangent with the output's structure and shapes.");
    }
    const cts: (Operand | null)[] = leaves.map((l, i) => {
      const c = diffOut(l);
      const want = avalOf(lin.outs[i]!);
      if (avalOf(c).ndim !== want.ndim || avalOf(c).shape.some((s, k) => s !== want.shape[k])) {
        throw new ShapeError(`${who}: cotangent leaf ${i} has shape ${shapeTuple(avalOf(c).shape)} but the output has shape ${shapeTuple(want.shape)}.`);
      }
      return c;
    });
    // The aux outputs are not differentiated: zero cotangents.
    for (let i = nOut; i < lin.outs.length; i++) cts.push(null);
    const back = lin.backward(cts);
    const floatIdx = flat.primals.flatMap((x, i) => (isFloat(avalOf(x).dtype) ? [i] : []));
    const all: (Operand | null)[] = flat.primals.map(() => null);
    floatIdx.forEach((i, k) => (all[i] = back[k] ?? null));
    return gradTrees(flat, all, false) as unknown[];
  };
  return hasAux ? [out, vjpFn, g.aux(lin.outs)] : [out, vjpFn];
}

/** `jvp(f, primals, tangents)` → [out, tangentOut] (forward mode; works through whileLoop). */
export function jvp<F extends AnyFn>(f: F, primals: readonly unknown[], tangents: readonly unknown[]): [any, any] { // eslint-disable-line @typescript-eslint/no-explicit-any
  const who = `jvp(${fnName(f)})`;
  if (!Array.isArray(primals) || !Array.isArray(tangents) || primals.length !== tangents.length) {
    throw new ArgumentError(`${who}: primals and tangents must be arrays of the same length (one entry per argument).`, "Call jvp(f, [x, y], [tx, ty]).");
  }
  const nums = primals.map((_, i) => i);
  const flat = flattenArgs(who, primals, nums, false);
  const tflat = flattenArgs(who, tangents, nums, false);
  if (tflat.trees.some((t, i) => t !== flat.trees[i])) {
    throw new ShapeError(`${who}: tangents must have the same structure as primals.`);
  }
  tflat.primals.forEach((t, i) => {
    const pa = avalOf(flat.primals[i]!), ta = avalOf(t);
    if (pa.ndim !== ta.ndim || pa.shape.some((s, k) => s !== ta.shape[k])) {
      throw new ShapeError(`${who}: tangent leaf ${i} has shape ${shapeTuple(ta.shape)} but its primal has shape ${shapeTuple(pa.shape)}.`);
    }
  });
  let outTree: TreeDef | undefined;
  const [po, to] = jvpFlat(who, (xs) => {
    const r = flattenOutputs(who, f(...flat.rebuild(xs)));
    outTree = r.tree;
    return r.leaves;
  }, flat.primals, tflat.primals.map((t, i) => (isFloat(avalOf(flat.primals[i]!).dtype) ? convert(t, avalOf(flat.primals[i]!)) : null)));
  const outs = po.map(asArray);
  return [unflatten(outTree!, outs), unflatten(outTree!, to.map((t, i) => asArray(t ?? zeros(avalOf(outs[i]!)))))];
}

export interface JacOptions {
  /** Which positional argument(s) to differentiate: a number gives that argument's structure, an array a list. */
  argnums?: number | readonly number[];
  /** f returns [output, aux]; the Jacobian function then returns [jacobian, aux]. */
  hasAux?: boolean;
}

const prod = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** The identity as a batch of basis vectors: shape [size, ...shape] (built from iota, so it traces). */
function basisBatch(shape: readonly number[], dtype: DType): NDArray {
  const size = prod(shape);
  const eye = convert(bind1(p.eq, [iota([size, size], 0), iota([size, size], 1)]), aval([size, size], dtype));
  return bind1(p.reshape, [eye], { new_sizes: [size, ...shape] });
}

/** `fn` mapped over the leading axis of `basis` with vmap: one batched program, no loop. */
function mapBasis(who: string, basis: NDArray, fn: (b: Operand) => Operand[]): NDArray[] {
  const size = basis.shape[0]!;
  const [outs, ds] = vmapFlat(who, ([b]) => fn(b!), [basis], [0], size);
  return outs.map((o, i) => batchAt0(o, ds[i]!, size) as NDArray);
}

/**
 * jacfwd/jacrev with JAX's conventions: inputs and outputs are pytrees; the result has the
 * output's structure outside and the differentiated arguments' structure inside (for array
 * argnums, a list of argument structures), each leaf of shape out.shape ++ in.shape.
 */
function jacobian(mode: "fwd" | "rev", f: AnyFn, options: JacOptions): (...args: unknown[]) => unknown {
  const who = `${mode === "fwd" ? "jacfwd" : "jacrev"}(${fnName(f)})`;
  const hasAux = options.hasAux ?? false;
  return (...args: unknown[]) => {
    const { nums, single } = normalizeArgnums(who, options.argnums, args.length);
    const flat = flattenArgs(who, args, nums, true);
    const g = flatOutputsWithAux(who, f, flat, hasAux);
    const fn = g.fn;
    const checkOuts = (outs: readonly Operand[]) => outs.slice(0, g.nOut).map((o, i) => {
      const a = avalOf(o);
      if (!isFloat(a.dtype)) {
        throw new DTypeError(`${who}: the output must be float, got ${a.dtype}${g.nOut > 1 ? ` for output leaf ${i}` : ""}.`, "Convert it with .astype(\"float32\").");
      }
      return a;
    });
    const inAvals = flat.primals.map(avalOf);
    // jac[i][j]: output leaf i by input leaf j.
    let jac: NDArray[][];
    let primalOuts: Operand[];
    if (mode === "fwd") {
      // vmap(jvp) over each input leaf's basis: pure forward mode (no linearization), so it goes through whileLoop.
      primalOuts = jvpFlat(who, fn, flat.primals, flat.primals.map(() => null))[0];
      const outAvals = checkOuts(primalOuts);
      jac = outAvals.map(() => []);
      inAvals.forEach((inA, j) => {
        const inShape = inA.shape as number[];
        const cols = mapBasis(who, basisBatch(inShape, inA.dtype), (t) => {
          const [, to] = jvpFlat(who, fn, flat.primals, flat.primals.map((_y, k) => (k === j ? t : null)));
          return outAvals.map((oa, i) => to[i] ?? zeros(oa));
        });
        outAvals.forEach((oa, i) => {
          const outShape = oa.shape as number[];
          const mat = bind1(p.transpose, [bind1(p.reshape, [cols[i]!], { new_sizes: [prod(inShape), prod(outShape)] })], { permutation: [1, 0] });
          jac[i]![j] = bind1(p.reshape, [mat], { new_sizes: [...outShape, ...inShape] });
        });
      });
    } else {
      const lin = linearizeFlat(who, fn, flat.primals, flat.primals.map(() => true));
      primalOuts = lin.outs;
      const outAvals = checkOuts(lin.outs);
      jac = outAvals.map((oa, i) => {
        const rows = mapBasis(who, basisBatch(oa.shape as number[], oa.dtype), (ct) => {
          const back = lin.backward(lin.outs.map((_o, k) => (k === i ? ct : null)));
          return inAvals.map((inA, j) => back[j] ?? zeros(inA));
        });
        return rows.map((r, j) => bind1(p.reshape, [r], { new_sizes: [...(oa.shape as number[]), ...(inAvals[j]!.shape as number[])] }));
      });
    }
    // Output structure outside, input structure inside (each row grouped as a gradient is).
    const result = unflatten(g.outTree!, jac.map((row) => gradTrees(flat, row, single)));
    return hasAux ? [result, g.aux(primalOuts)] : result;
  };
}

/** Jacobian by forward mode: out structure ++ in structure, leaves of shape out.shape ++ in.shape. */
export function jacfwd<F extends AnyFn>(f: F, options: JacOptions = {}): (...args: Parameters<F>) => any { // eslint-disable-line @typescript-eslint/no-explicit-any
  return jacobian("fwd", f, options);
}

/** Jacobian by reverse mode: out structure ++ in structure, leaves of shape out.shape ++ in.shape. */
export function jacrev<F extends AnyFn>(f: F, options: JacOptions = {}): (...args: Parameters<F>) => any { // eslint-disable-line @typescript-eslint/no-explicit-any
  return jacobian("rev", f, options);
}

/**
 * The Hessian, jacfwd(jacrev(f)) as JAX defines it: for scalar f and one argument, shape
 * in.shape ++ in.shape; over pytrees and argnums lists, nested in-structure by in-structure.
 */
export function hessian<F extends AnyFn>(f: F, options: JacOptions = {}): (...args: Parameters<F>) => any { // eslint-disable-line @typescript-eslint/no-explicit-any
  return jacobian("fwd", jacobian("rev", f, options), options);
}

/** The identity whose derivative is zero (JAX's lax.stop_gradient); maps over pytrees. */
export function stopGradient<T>(x: T): T {
  const leaves: Leaf[] = [];
  const tree = flatten(x, leaves, "the argument of lax.stopGradient");
  const outs = leaves.map((l) => {
    if (!(l instanceof NDArray)) return l;
    return bind1(p.convertElementType, [l], { new_dtype: l.dtype, weak_type: l.weakType, stop_gradient: true });
  });
  return unflatten(tree, outs) as T;
}
