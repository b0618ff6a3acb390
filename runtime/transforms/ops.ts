// Small lax-level helpers the transformation rules are written in. Every one binds
// primitives through the current trace, so a rule's output is itself traceable: this is
// what makes grad(grad(f)), jit(grad(f)) and vmap(grad(f)) work without special cases.

import type { NDArray } from "../array/ndarray.js";
import { isFloat, type DType } from "../dtype.js";
import { aval, type ShapedArray } from "../ir/aval.js";
import { Literal } from "../ir/jaxpr.js";
import * as p from "../primitives/index.js";
import type { Shape } from "../shape.js";
import { bind1, type Operand } from "../trace/core.js";

export type { Operand };

export const avalOf = (x: Operand): ShapedArray => x.aval;

export function lit(value: number, dtype: DType): Literal {
  return new Literal(value, aval([], dtype, true));
}

export const add = (a: Operand, b: Operand): NDArray => bind1(p.add, [a, b]);
export const sub = (a: Operand, b: Operand): NDArray => bind1(p.sub, [a, b]);
export const mul = (a: Operand, b: Operand): NDArray => bind1(p.mul, [a, b]);
export const div = (a: Operand, b: Operand): NDArray => bind1(p.div, [a, b]);
export const neg = (a: Operand): NDArray => bind1(p.neg, [a]);
export const select = (which: Operand, onFalse: Operand, onTrue: Operand): NDArray => bind1(p.selectN, [which, onFalse, onTrue]);

/** An int32 array of `shape` holding each element's index along `dimension`. */
export const iota = (shape: Shape, dimension: number): NDArray => bind1(p.iota, [], { dtype: "int32", shape, dimension });

/** `c * x` for a JS number c, in x's dtype. */
export const scale = (x: Operand, c: number): NDArray => mul(x, lit(c, avalOf(x).dtype));

/** An array of zeros with `a`'s shape and dtype (weak flag kept: carries compare it). */
export function zeros(a: ShapedArray): NDArray {
  return bind1(p.broadcastInDim, [new Literal(0, aval([], a.dtype, a.weakType))], { shape: a.shape, broadcast_dimensions: [] });
}

export function convert(x: Operand, to: ShapedArray): Operand {
  const a = avalOf(x);
  if (a.dtype === to.dtype && a.weakType === to.weakType) return x;
  return bind1(p.convertElementType, [x], { new_dtype: to.dtype, weak_type: to.weakType });
}

/** Broadcasts a rank-0 operand to `shape` (elementwise primitives accept rank 0, but a result may not). */
export function fill(x: Operand, shape: Shape): Operand {
  if (avalOf(x).ndim === shape.length) return x;
  return bind1(p.broadcastInDim, [x], { shape, broadcast_dimensions: [] });
}

/** Sums `x` down to `to` (the transpose of an elementwise op's implicit rank-0 broadcast). */
export function unbroadcast(x: Operand, to: ShapedArray): Operand {
  const a = avalOf(x);
  if (a.ndim === to.ndim) return x;
  return bind1(p.reduceSum, [x], { axes: a.shape.map((_, i) => i) });
}

export function reshape(x: Operand, shape: Shape): NDArray {
  return bind1(p.reshape, [x], { new_sizes: shape });
}

export function reduceSum(x: Operand, axes: readonly number[]): Operand {
  if (!axes.length) return x;
  return bind1(p.reduceSum, [x], { axes });
}

export function broadcastInDim(x: Operand, shape: Shape, dims: readonly number[]): NDArray {
  return bind1(p.broadcastInDim, [x], { shape, broadcast_dimensions: dims });
}

export function transpose(x: Operand, permutation: readonly number[]): Operand {
  if (permutation.every((q, i) => q === i)) return x;
  return bind1(p.transpose, [x], { permutation });
}

/** Moves axis `from` of x to position `to`. */
export function moveAxis(x: Operand, from: number, to: number): Operand {
  if (from === to) return x;
  const rank = avalOf(x).ndim;
  const perm: number[] = [];
  for (let i = 0; i < rank; i++) if (i !== from) perm.push(i);
  perm.splice(to, 0, from);
  return transpose(x, perm);
}

export const isFloatAval = (a: ShapedArray): boolean => isFloat(a.dtype);

export function inversePermutation(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((q, i) => (inv[q] = i));
  return inv;
}
