// Elementwise np functions: promotion and broadcasting, then one or a few primitives.

import type { ArrayLike, NDArray } from "../array/ndarray.js";
import { ArgumentError, DTypeError } from "../errors.js";
import { Literal } from "../ir/jaxpr.js";
import * as p from "../primitives/index.js";
import type { Primitive } from "../primitives/index.js";
import { bind1 } from "../trace/core.js";
import { asNDArray, avalOf, broadcastAll, convert, prepare, promote, toOperand, type Operand } from "./operands.js";

const apply = (prim: Primitive, xs: readonly Operand[], params = {}): NDArray => bind1(prim, xs, params);

function unaryInexact(name: string, prim: Primitive) {
  return (x: ArrayLike): NDArray => apply(prim, prepare(name, [x], true));
}

function numericBinary(name: string, prim: Primitive) {
  return (a: ArrayLike, b: ArrayLike): NDArray => {
    const xs = prepare(name, [a, b]);
    if (avalOf(xs[0]!).dtype === "bool") {
      throw new DTypeError(`np.${name} does not accept bool operands.`, "Convert first: x.astype(\"int32\"), or use np.logicalAnd/logicalOr.");
    }
    return apply(prim, xs);
  };
}

// --- arithmetic ------------------------------------------------------------------------------

/** a + b (logical or for two bool arrays, as in NumPy). */
export function add(a: ArrayLike, b: ArrayLike): NDArray {
  const xs = prepare("add", [a, b]);
  return apply(avalOf(xs[0]!).dtype === "bool" ? p.or : p.add, xs);
}

export const subtract = numericBinary("subtract", p.sub);

/** a * b (logical and for two bool arrays, as in NumPy). */
export function multiply(a: ArrayLike, b: ArrayLike): NDArray {
  const xs = prepare("multiply", [a, b]);
  return apply(avalOf(xs[0]!).dtype === "bool" ? p.and : p.mul, xs);
}

/** True division: integer operands give float32. */
export function divide(a: ArrayLike, b: ArrayLike): NDArray {
  return apply(p.div, prepare("divide", [a, b], true));
}
export const trueDivide = divide;

/** Floor division (rounds toward -∞, like Python's //); for floats, NumPy's divmod quotient. */
export function floorDivide(a: ArrayLike, b: ArrayLike): NDArray {
  const [x, y] = prepare("floorDivide", [a, b]);
  const dtype = avalOf(x!).dtype;
  if (dtype === "bool") throw new DTypeError("np.floorDivide does not accept bool operands.", "Convert first: x.astype(\"int32\").");
  if (dtype === "uint32") return apply(p.div, [x!, y!]); // unsigned: truncation is floor
  if (dtype !== "int32") return floatDivmod(x!, y!).div;
  // Truncating division, corrected by one where the signs differ and it was inexact.
  const q = apply(p.div, [x!, y!]);
  const r = apply(p.rem, [x!, y!]);
  const signsDiffer = apply(p.ne, [apply(p.lt, [x!, zero(x!)]), apply(p.lt, [y!, zero(y!)])]);
  const fix = apply(p.and, [signsDiffer, apply(p.ne, [r, zero(r)])]);
  return apply(p.selectN, [fix, q, apply(p.sub, [q, one(q)])]);
}

/** Remainder with the sign of the divisor (Python's %, NumPy's mod). */
export function mod(a: ArrayLike, b: ArrayLike): NDArray {
  const [x, y] = prepare("mod", [a, b]);
  const dtype = avalOf(x!).dtype;
  if (dtype === "bool") throw new DTypeError("np.mod does not accept bool operands.", "Convert first: x.astype(\"int32\").");
  if (dtype === "uint32") return apply(p.rem, [x!, y!]);
  if (dtype !== "int32") return floatDivmod(x!, y!).mod;
  const r = apply(p.rem, [x!, y!]);
  const needsFix = apply(p.and, [
    apply(p.ne, [r, zero(r)]),
    apply(p.ne, [apply(p.lt, [r, zero(r)]), apply(p.lt, [y!, zero(y!)])]),
  ]);
  return apply(p.selectN, [needsFix, r, apply(p.add, [r, y!])]);
}

/**
 * NumPy's float divmod (npy_divmod), op for op, so results match NumPy's float32 bit for bit:
 * mod = fmod(a, b) (exact); div = (a - mod) / b, nearly an integer; a nonzero mod takes b's
 * sign (mod += b, div -= 1); the quotient is div snapped to the nearest integer (floor, +1
 * if more than 0.5 above). Zeros: mod = ±0 with b's sign, a zero quotient has the sign of
 * a/b, and b = 0 gives a/b (±inf or NaN) and mod NaN.
 */
function floatDivmod(x: Operand, y: Operand): { div: NDArray; mod: NDArray } {
  const z = zero(x);
  const m0 = apply(p.rem, [x, y]);
  const d0 = apply(p.div, [apply(p.sub, [x, m0]), y]);
  const fix = apply(p.and, [apply(p.ne, [m0, z]), apply(p.ne, [apply(p.lt, [y, z]), apply(p.lt, [m0, z])])]);
  const d1 = apply(p.selectN, [fix, d0, apply(p.sub, [d0, one(d0)])]);
  const m1 = apply(p.selectN, [fix, m0, apply(p.add, [m0, y])]);
  const fl = apply(p.floor, [d1]);
  const snapped = apply(p.selectN, [apply(p.gt, [apply(p.sub, [d1, fl]), half(x)]), fl, apply(p.add, [fl, one(fl)])]);
  const quotient = apply(p.div, [x, y]);
  // ±0 carrying a sign: q·0 for a finite q (a/b is finite wherever div is 0), sign(b)·0.
  const div = apply(p.selectN, [apply(p.eq, [d1, z]), snapped, apply(p.mul, [quotient, z])]);
  const mod = apply(p.selectN, [apply(p.eq, [m0, z]), m1, apply(p.mul, [apply(p.sign, [y]), z])]);
  return { div: apply(p.selectN, [apply(p.eq, [y, z]), div, quotient]), mod };
}
export const remainder = mod;

export const power = numericBinary("power", p.pow);
export const maximum = (a: ArrayLike, b: ArrayLike): NDArray => apply(p.max, prepare("maximum", [a, b]));
export const minimum = (a: ArrayLike, b: ArrayLike): NDArray => apply(p.min, prepare("minimum", [a, b]));
export const arctan2 = (a: ArrayLike, b: ArrayLike): NDArray => apply(p.atan2, prepare("arctan2", [a, b], true));

function zero(x: Operand): Literal {
  return new Literal(0, avalOf(x).strong().withShape([]));
}
function one(x: Operand): Literal {
  return new Literal(1, avalOf(x).strong().withShape([]));
}
function half(x: Operand): Literal {
  return new Literal(0.5, avalOf(x).strong().withShape([]));
}

export function negative(x: ArrayLike): NDArray {
  const [a] = prepare("negative", [x]);
  if (avalOf(a!).dtype === "bool") throw new DTypeError("np.negative does not accept bool operands.", "Use np.logicalNot for booleans.");
  return apply(p.neg, [a!]);
}

export function abs(x: ArrayLike): NDArray {
  const [a] = prepare("abs", [x]);
  return avalOf(a!).dtype === "bool" ? asNDArray(a!) : apply(p.abs, [a!]);
}
export const absolute = abs;

export function sign(x: ArrayLike): NDArray {
  const [a] = prepare("sign", [x]);
  return avalOf(a!).dtype === "bool" ? asNDArray(a!) : apply(p.sign, [a!]);
}

export const exp = unaryInexact("exp", p.exp);
export const log = unaryInexact("log", p.log);
export const log1p = unaryInexact("log1p", p.log1p);
export const expm1 = unaryInexact("expm1", p.expm1);
export const tanh = unaryInexact("tanh", p.tanh);
export const sin = unaryInexact("sin", p.sin);
export const cos = unaryInexact("cos", p.cos);
export const tan = unaryInexact("tan", p.tan);
export const sqrt = unaryInexact("sqrt", p.sqrt);
/** The error function (a primitive: accurate to float32 everywhere, erf(x) ≈ 2x/√π near 0). */
export const erf = unaryInexact("erf", p.erf);
/** 1 - erf(x), without cancellation for large x (erfc(9) ≈ 4e-37). */
export const erfc = unaryInexact("erfc", p.erfc);
/** Rounding functions leave integer and bool arrays unchanged (NumPy 2, JAX). */
function rounding(name: string, prim: Primitive) {
  return (x: ArrayLike): NDArray => {
    const [a] = prepare(name, [x]);
    const dtype = avalOf(a!).dtype;
    if (dtype === "int32" || dtype === "uint32" || dtype === "bool") return asNDArray(a!);
    return apply(prim, [a!]);
  };
}

export const floor = rounding("floor", p.floor);
export const ceil = rounding("ceil", p.ceil);
/** Round half to even, like NumPy. */
export const round = rounding("round", p.round);
/** 1 / (1 + e^-x). */
export const sigmoid = unaryInexact("sigmoid", p.logistic);

/** x * x (logical and for bool, as np.multiply). */
export function square(x: ArrayLike): NDArray {
  return multiply(x, x);
}

export function reciprocal(x: ArrayLike): NDArray {
  const [a] = prepare("reciprocal", [x], true);
  return apply(p.div, [one(a!), a!]);
}

/** x limited to [lo, hi]; either bound may be omitted (null or undefined). */
export function clip(x: ArrayLike, lo?: ArrayLike | null, hi?: ArrayLike | null): NDArray {
  const none = (v: unknown) => v === null || v === undefined;
  if (none(lo) && none(hi)) throw new ArgumentError("np.clip needs a lower or an upper bound (both are missing).", "Pass at least one bound: np.clip(x, 0) or np.clip(x, null, 1).");
  const low = none(lo) ? x : maximum(x, lo!);
  return none(hi) ? asNDArray(toOperand("clip", low)) : minimum(low, hi!);
}

// --- comparisons and logic ------------------------------------------------------------------

function comparison(name: string, prim: Primitive) {
  return (a: ArrayLike, b: ArrayLike): NDArray<"bool"> => apply(prim, prepare(name, [a, b])) as NDArray<"bool">;
}

export const greater = comparison("greater", p.gt);
export const greaterEqual = comparison("greaterEqual", p.ge);
export const less = comparison("less", p.lt);
export const lessEqual = comparison("lessEqual", p.le);
export const equal = comparison("equal", p.eq);
export const notEqual = comparison("notEqual", p.ne);

/** Truthiness of each element as bool (nonzero; NaN is true). */
export function asBool(x: Operand): Operand {
  return avalOf(x).dtype === "bool" ? x : bind1(p.ne, [x, zero(x)]);
}

function logical(name: string, prim: Primitive) {
  return (a: ArrayLike, b: ArrayLike): NDArray<"bool"> => {
    const xs = prepare(name, [a, b]).map(asBool);
    return apply(prim, xs.map((x) => convert(x, "bool"))) as NDArray<"bool">;
  };
}

export const logicalAnd = logical("logicalAnd", p.and);
export const logicalOr = logical("logicalOr", p.or);
export const logicalXor = logical("logicalXor", p.xor);
export function logicalNot(x: ArrayLike): NDArray<"bool"> {
  return apply(p.not, [asBool(toOperand("logicalNot", x))]) as NDArray<"bool">;
}

export function isfinite(x: ArrayLike): NDArray<"bool"> {
  const a = toOperand("isfinite", x);
  if (avalOf(a).dtype !== "float32" && avalOf(a).dtype !== "float16") return apply(p.eq, [a, a]) as NDArray<"bool">;
  return apply(p.isFinite, [a]) as NDArray<"bool">;
}

export function isnan(x: ArrayLike): NDArray<"bool"> {
  const a = toOperand("isnan", x);
  return apply(p.ne, [a, a]) as NDArray<"bool">;
}

/** Elementwise choice: x where cond is true, else y (broadcast together). */
export function where(cond: ArrayLike, x: ArrayLike, y: ArrayLike): NDArray {
  const c = asBool(toOperand("where", cond));
  const [px, py] = promote([toOperand("where", x), toOperand("where", y)]);
  const [bc, bx, by] = broadcastAll("where", [c, px!, py!]);
  return apply(p.selectN, [bc!, by!, bx!]);
}
