// Reductions: np.sum/mean/prod/max/min/argmax/argmin/any/all with `axis` (number,
// number[], null/undefined for all) and `{ keepdims }`. Negative axes count from the end.

import type { ArrayLike, Axis, NDArray, ReduceOptions } from "../array/ndarray.js";
import { ShapeError } from "../errors.js";
import { Literal } from "../ir/jaxpr.js";
import { aval } from "../ir/aval.js";
import * as p from "../primitives/index.js";
import type { Primitive } from "../primitives/index.js";
import { normalizeAxes, normalizeAxis, shapeTuple, sizeOf, type Shape } from "../shape.js";
import { bind1 } from "../trace/core.js";
import { asBool } from "./elementwise.js";
import { avalOf, convert, toOperand, type Operand } from "./operands.js";

function keepDims(x: NDArray, inShape: Shape, axes: readonly number[], keepdims: boolean | undefined): NDArray {
  if (!keepdims) return x;
  const shape = inShape.map((d, i) => (axes.includes(i) ? 1 : d));
  return bind1(p.reshape, [x], { new_sizes: shape });
}

function reduceWith(name: string, prim: Primitive, x: Operand, axis: Axis, opts: ReduceOptions | undefined): NDArray {
  const a = avalOf(x);
  const axes = normalizeAxes(`np.${name}`, axis, a.ndim);
  return keepDims(bind1(prim, [x], { axes }), a.shape, axes, opts?.keepdims);
}

function checkNonEmpty(name: string, shape: Shape, axes: readonly number[]): void {
  if (axes.some((ax) => shape[ax] === 0)) {
    throw new ShapeError(`np.${name}: zero-size array to reduction operation ${name} which has no identity (shape ${shapeTuple(shape)}).`,
      "Check the size first, or use np.where with a default.");
  }
}

/** Sum; bool and int32 sum as int32. */
export function sum(x: ArrayLike, axis?: Axis, opts?: ReduceOptions): NDArray {
  let a = toOperand("sum", x);
  if (avalOf(a).dtype === "bool") a = convert(a, "int32");
  return reduceWith("sum", p.reduceSum, a, axis, opts);
}

export function prod(x: ArrayLike, axis?: Axis, opts?: ReduceOptions): NDArray {
  let a = toOperand("prod", x);
  if (avalOf(a).dtype === "bool") a = convert(a, "int32");
  return reduceWith("prod", p.reduceProd, a, axis, opts);
}

/** Mean; integer inputs give float32. */
export function mean(x: ArrayLike, axis?: Axis, opts?: ReduceOptions): NDArray {
  let a = toOperand("mean", x);
  const av = avalOf(a);
  if (av.dtype !== "float32" && av.dtype !== "float16") a = convert(a, "float32");
  const axes = normalizeAxes("np.mean", axis, av.ndim);
  const count = sizeOf(axes.map((ax) => av.shape[ax]!));
  const total = bind1(p.reduceSum, [a], { axes });
  const dtype = avalOf(a).dtype;
  const m = bind1(p.div, [total, new Literal(count, aval([], dtype, true))]);
  return keepDims(m, av.shape, axes, opts?.keepdims);
}

export function max(x: ArrayLike, axis?: Axis, opts?: ReduceOptions): NDArray {
  const a = toOperand("max", x);
  checkNonEmpty("max", avalOf(a).shape, normalizeAxes("np.max", axis, avalOf(a).ndim));
  return reduceWith("max", p.reduceMax, a, axis, opts);
}

export function min(x: ArrayLike, axis?: Axis, opts?: ReduceOptions): NDArray {
  const a = toOperand("min", x);
  checkNonEmpty("min", avalOf(a).shape, normalizeAxes("np.min", axis, avalOf(a).ndim));
  return reduceWith("min", p.reduceMin, a, axis, opts);
}

export const amax = max;
export const amin = min;

function argReduce(name: "argmax" | "argmin", x: ArrayLike, axis: number | null | undefined, opts: ReduceOptions | undefined): NDArray {
  let a = toOperand(name, x);
  const av = avalOf(a);
  if (axis === null || axis === undefined) {
    // Over the flattened array; keepdims gives all-ones dims.
    a = bind1(p.reshape, [a], { new_sizes: [av.size] });
    const out = bind1(name === "argmax" ? p.argmax : p.argmin, [a], { axes: [0], index_dtype: "int32" });
    return opts?.keepdims ? bind1(p.reshape, [out], { new_sizes: av.shape.map(() => 1) }) : out;
  }
  const ax = normalizeAxis(`np.${name}`, axis, av.ndim);
  return keepDims(bind1(name === "argmax" ? p.argmax : p.argmin, [a], { axes: [ax], index_dtype: "int32" }), av.shape, [ax], opts?.keepdims);
}

export const argmax = (x: ArrayLike, axis?: number | null, opts?: ReduceOptions) => argReduce("argmax", x, axis, opts);
export const argmin = (x: ArrayLike, axis?: number | null, opts?: ReduceOptions) => argReduce("argmin", x, axis, opts);

export function any(x: ArrayLike, axis?: Axis, opts?: ReduceOptions): NDArray {
  return reduceWith("any", p.reduceOr, asBool(toOperand("any", x)), axis, opts);
}

export function all(x: ArrayLike, axis?: Axis, opts?: ReduceOptions): NDArray {
  return reduceWith("all", p.reduceAnd, asBool(toOperand("all", x)), axis, opts);
}
