// Operand plumbing shared by the np functions: JS scalars become literals, dtypes are
// promoted (JAX's lattice, weak types included) and shapes broadcast (NumPy's rules) by
// inserting convert_element_type / broadcast_in_dim equations, so primitives see operands
// of equal dtype and shape (or rank 0).

import { NDArray, type ArrayLike } from "../array/ndarray.js";
import { castLiteral, dtypeOfNumber, isFloat, promoteTypes, type DType } from "../dtype.js";
import { ArgumentError, ShapeError } from "../errors.js";
import { aval, type ShapedArray } from "../ir/aval.js";
import { Literal } from "../ir/jaxpr.js";
import { broadcastInDim, convertElementType } from "../primitives/index.js";
import { broadcastShapes, shapeTuple, shapesEqual, type Shape } from "../shape.js";
import { bind1, type Operand } from "../trace/core.js";
import { InconclusiveDimensionError, SymDim, dimText } from "../symbolic.js";

export type { Operand };

export function avalOf(x: Operand): ShapedArray {
  return x instanceof Literal ? x.aval : x.aval;
}

/** A number becomes a weak scalar literal (int if integral), a boolean a bool literal. */
export function toOperand(op: string, x: ArrayLike): Operand {
  if (x instanceof NDArray) return x;
  if (typeof x === "number") return new Literal(x, aval([], dtypeOfNumber(x), true));
  if (typeof x === "boolean") return new Literal(+x, aval([], "bool"));
  // A size read from .shape while tracing for a prebuilt kernel: name it, so the build can say
  // which operation needs a concrete size.
  if ((x as unknown) instanceof SymDim) throw new InconclusiveDimensionError(`'${dimText(x as unknown as SymDim)}' passed to np.${op}`);
  const what = Array.isArray(x) ? "a JS array" : x === null ? "null" : typeof x;
  throw new ArgumentError(`np.${op} requires arrays or scalars, got ${what}.`, "Wrap data with np.array(...).");
}

/** Converts to `dtype`; `weak` marks the result weakly typed (literals stay literals). */
export function convert(x: Operand, dtype: DType, weak = false): Operand {
  const a = avalOf(x);
  if (a.dtype === dtype && a.weakType === weak) return x;
  if (x instanceof Literal) return new Literal(castLiteral(x.value, dtype), aval([], dtype, weak));
  if (a.dtype === dtype && !weak) return x; // only the weak flag differs: the primitives' weak rule handles it
  return bind1(convertElementType, [x], { new_dtype: dtype, weak_type: weak });
}

/** JAX's result type of the operands; `inexact` promotes integer results to float32. */
export function resultType(xs: readonly Operand[], inexact = false): { dtype: DType; weakType: boolean } {
  const r = promoteTypes(xs.map(avalOf));
  if (inexact && !isFloat(r.dtype)) return { dtype: "float32", weakType: r.weakType };
  return r;
}

/** Converts every operand to the result type; a weak result makes every operand weak, as in JAX (i32 ⊔ f* = f*). */
export function promote(xs: readonly Operand[], inexact = false): Operand[] {
  const { dtype, weakType } = resultType(xs, inexact);
  return xs.map((x) => convert(x, dtype, weakType));
}

export function broadcastTo(op: string, x: Operand, shape: Shape): Operand {
  const a = avalOf(x);
  if (shapesEqual(a.shape, shape)) return x;
  const target = broadcastShapes(op, [a.shape, shape]);
  if (!shapesEqual(target, shape)) {
    throw new ShapeError(`np.${op}: cannot broadcast shape ${shapeTuple(a.shape)} to ${shapeTuple(shape)}.`,
      "Broadcasting may only add leading axes and stretch size-1 axes.");
  }
  const offset = shape.length - a.shape.length;
  return bind1(broadcastInDim, [x], { shape, broadcast_dimensions: a.shape.map((_, i) => i + offset) });
}

/** Broadcasts array operands to their common shape; rank-0 operands stay scalars. */
export function broadcastAll(op: string, xs: readonly Operand[]): Operand[] {
  const shape = broadcastShapes(op, xs.map((x) => avalOf(x).shape));
  return xs.map((x) => (avalOf(x).shape.length === 0 ? x : broadcastTo(op, x, shape)));
}

/** The usual path of an n-ary elementwise np function. */
export function prepare(op: string, xs: readonly ArrayLike[], inexact = false): Operand[] {
  return broadcastAll(op, promote(xs.map((x) => toOperand(op, x)), inexact));
}

/** An operand as an array: a literal (a JS scalar) is materialized through a no-op broadcast. */
export function asNDArray(a: Operand): NDArray {
  return a instanceof Literal ? bind1(broadcastInDim, [a], { shape: [], broadcast_dimensions: [] }) : a;
}

/** An argument of np.`fn` as an array (numbers and nested lists converted, errors naming `fn`). */
export const arrayOf = (fn: string, x: ArrayLike): NDArray => asNDArray(toOperand(fn, x));
