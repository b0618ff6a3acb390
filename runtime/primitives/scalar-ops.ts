// Exact scalar semantics of every elementwise primitive, per dtype class: the reference
// every backend's kernels approximate (or match bit for bit, where they can). Constant
// folding (ir/passes.ts) computes with these, so a folded value is the correctly computed
// one (float ops are computed in float64 and rounded once to float32), not any backend's
// fast approximation. Values are JS numbers; bools are 0/1.
//
// Backends keep their own code forms in tables keyed the same way (primitive name per dtype
// class): backend/cpu/scalar-ops.ts (JavaScript templates and the interpreter's functions),
// backend/webgpu/ops.ts (WGSL). test/runtime/lowering-tables.test.ts checks they agree on
// which primitives and dtypes exist.

import type { DType } from "../dtype.js";
import type { Reducer, ScalarFn } from "./primitive.js";

/** The dtype classes scalar-op tables are keyed by. float16 computes as float32. */
export type DTypeClass = "float" | "int" | "uint" | "bool";

export function dtypeClass(dtype: DType): DTypeClass {
  return dtype === "int32" ? "int" : dtype === "uint32" ? "uint" : dtype === "bool" ? "bool" : "float";
}

// --- helpers shared by the exact semantics and the CPU backend's kernels ----------------------

/** Round half to even (NumPy's `round`). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** uint32 power with wrap-around (square-and-multiply, every step mod 2^32). */
export function upow(a: number, b: number): number {
  let r = 1, base = a >>> 0, e = b >>> 0;
  while (e !== 0) {
    if (e & 1) r = Math.imul(r, base) >>> 0;
    base = Math.imul(base, base) >>> 0;
    e >>>= 1;
  }
  return r;
}

/** C's powf on the cases where Math.pow differs: pow(1, y) = 1 and pow(-1, ±inf) = 1 (also for NaN y). */
export function powf(x: number, y: number): number {
  if (x === 1 || (x === -1 && (y === Infinity || y === -Infinity))) return 1;
  return Math.pow(x, y);
}

/**
 * int32 power wrapping around like NumPy's and XLA's: square-and-multiply in Math.imul
 * (Math.pow's float64 result is inexact past 2^53). A negative exponent truncates the real
 * power: 1, ±1 for -1, 0 otherwise (NumPy refuses it; JAX computes the same).
 */
export function ipow(a: number, b: number): number {
  if (b < 0) return Math.pow(a, b) | 0;
  let r = 1;
  for (let base = a, e = b; e > 0; e >>>= 1) {
    if (e & 1) r = Math.imul(r, base);
    base = Math.imul(base, base);
  }
  return r;
}

/** float → uint32 conversion: truncation, saturating at [0, 2^32 - 1]; NaN → 0. */
export function toUint32(x: number): number {
  return x >= 4294967295 ? 4294967295 : x > 0 ? Math.trunc(x) : 0;
}

/** float → int32 conversion: truncation toward zero, saturating; NaN → 0. */
export function toInt32(x: number): number {
  return x >= 2147483647 ? 2147483647 : x <= -2147483648 ? -2147483648 : x | 0;
}

/** The logistic function 1 / (1 + e^-x), in float64. */
export function logistic(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

// erf and erfc in float64, accurate to ~1e-10 relative (far below float32's 6e-8):
// - |x| < 1: erf(x) = x·P(x²), P the Taylor series of erf(x)/x to degree 11 (its
//   remainder is below 1e-10 on [0, 1]), so erf near 0 keeps its relative accuracy;
// - |x| ≥ 1: erfc(z) = t·exp(-z² + Q(t)) with t = 1/(1 + z/2), Q a degree-10 least-squares
//   fit (on Chebyshev nodes of z ∈ [1, 12], against 40-digit mpmath values; max error
//   1.1e-10) of log(erfc(z)·e^(z²)/t); beyond z = 12, erfc(z) < 1e-63 is 0 in float32.
// erfc for x < 1 is 1 - erf(x) (≥ 0.157, no cancellation) and 2 - erfc(-x) below 0.

/** Taylor coefficients of erf(x)/x in x²: 2/√π · (-1)^n / (n!·(2n+1)). */
export const ERF_TAYLOR: readonly number[] = (() => {
  const out: number[] = [];
  let fact = 1;
  for (let n = 0; n < 12; n++) {
    if (n > 0) fact *= n;
    out.push((2 / Math.sqrt(Math.PI)) * (n % 2 ? -1 : 1) / (fact * (2 * n + 1)));
  }
  return out;
})();

/** Q(t), lowest degree first (see above). */
export const ERFC_FIT: readonly number[] = [
  -1.2655135652096716, 1.0000455995991888, 0.37439499928574704, 0.08761985911607652, -0.10231777585531987,
  -0.12158028578342141, -0.008434526812747527, -0.4531391630778739, 1.1957589902009953, -0.9928505588459884,
  0.2865776958935074,
];

function erfSmall(x: number): number {
  const t = x * x;
  let p = ERF_TAYLOR[11]!;
  for (let i = 10; i >= 0; i--) p = p * t + ERF_TAYLOR[i]!;
  return x * p;
}

/** erfc(z) for z ≥ 1. */
function erfcLarge(z: number): number {
  if (z > 12) return 0;
  const t = 1 / (1 + 0.5 * z);
  let q = ERFC_FIT[10]!;
  for (let i = 9; i >= 0; i--) q = q * t + ERFC_FIT[i]!;
  return t * Math.exp(-z * z + q);
}

export function erf(x: number): number {
  if (x !== x) return x;
  if (x > -1 && x < 1) return erfSmall(x);
  return x > 0 ? 1 - erfcLarge(x) : erfcLarge(-x) - 1;
}

export function erfc(x: number): number {
  if (x !== x) return x;
  if (x > -1 && x < 1) return 1 - erfSmall(x);
  return x > 0 ? erfcLarge(x) : 2 - erfcLarge(-x);
}


// --- tables ---------------------------------------------------------------------------------

/**
 * float32 semantics: an op whose float64 result may not be a float32 is rounded with
 * Math.fround (for + - * / and sqrt, rounding the float64 result once is the correctly
 * rounded float32 result). The other ops are exact on float32 operands (neg, abs, floor,
 * ceil, round, max, min, sign, select, rem = fmod, comparisons) and stay unrounded.
 */
const f32 = (f: ScalarFn): ScalarFn =>
  // Fixed arity: the interpreter calls these per element (no rest-argument arrays).
  f.length === 1 ? (a) => Math.fround(f(a!)) : (a, b) => Math.fround(f(a!, b!));

const comparisons: Record<string, ScalarFn> = {
  gt: (a, b) => +(a! > b!),
  ge: (a, b) => +(a! >= b!),
  lt: (a, b) => +(a! < b!),
  le: (a, b) => +(a! <= b!),
  eq: (a, b) => +(a === b),
  ne: (a, b) => +(a !== b),
  max: Math.max,
  min: Math.min,
  sign: Math.sign,
  select_n: (p, a, b) => (p ? b! : a!),
};

const FLOAT: Record<string, ScalarFn> = {
  ...comparisons,
  add: f32((a, b) => a! + b!),
  sub: f32((a, b) => a! - b!),
  mul: f32((a, b) => a! * b!),
  div: f32((a, b) => a! / b!),
  rem: (a, b) => a! % b!,
  pow: f32(powf),
  atan2: f32(Math.atan2),
  neg: (a) => -a!,
  exp: f32(Math.exp),
  log: f32(Math.log),
  log1p: f32(Math.log1p),
  expm1: f32(Math.expm1),
  tanh: f32(Math.tanh),
  logistic: f32(logistic),
  sin: f32(Math.sin),
  cos: f32(Math.cos),
  tan: f32(Math.tan),
  sqrt: f32(Math.sqrt),
  rsqrt: f32((a) => 1 / Math.sqrt(a!)),
  erf: f32(erf),
  erfc: f32(erfc),
  abs: Math.abs,
  floor: Math.floor,
  ceil: Math.ceil,
  round: roundHalfEven,
  is_finite: (a) => +Number.isFinite(a),
};

// Shifts follow XLA: the count is read as unsigned, and a count ≥ 32 gives 0 for
// shift_left / shift_right_logical and the sign fill for shift_right_arithmetic
// (JS would take the count mod 32).
const INT: Record<string, ScalarFn> = {
  ...comparisons,
  add: (a, b) => (a! + b!) | 0,
  sub: (a, b) => (a! - b!) | 0,
  mul: Math.imul,
  // XLA's integer semantics: x / 0 = -1, x % 0 = x; truncation toward zero otherwise.
  div: (a, b) => (b === 0 ? -1 : (a! / b!) | 0),
  rem: (a, b) => (b === 0 ? a! : a! % b! | 0),
  pow: ipow,
  neg: (a) => -a! | 0,
  abs: (a) => Math.abs(a!) | 0,
  and: (a, b) => a! & b!,
  or: (a, b) => a! | b!,
  xor: (a, b) => a! ^ b!,
  not: (a) => ~a!,
  shift_left: (a, b) => ((b! >>> 0) < 32 ? a! << b! : 0),
  shift_right_logical: (a, b) => ((b! >>> 0) < 32 ? (a! >>> b!) | 0 : 0),
  shift_right_arithmetic: (a, b) => a! >> ((b! >>> 0) < 32 ? b! : 31),
};

// uint32 values are JS numbers in [0, 2^32); every result is brought back with `>>> 0`.
const UINT: Record<string, ScalarFn> = {
  ...comparisons,
  add: (a, b) => (a! + b!) >>> 0,
  sub: (a, b) => (a! - b!) >>> 0,
  mul: (a, b) => Math.imul(a!, b!) >>> 0,
  // XLA's unsigned division by zero: x / 0 = 2^32 - 1, x % 0 = x.
  div: (a, b) => (b === 0 ? 4294967295 : Math.floor(a! / b!)),
  rem: (a, b) => (b === 0 ? a! : a! % b!),
  pow: (a, b) => upow(a!, b!),
  neg: (a) => -a! >>> 0,
  abs: (a) => a!,
  sign: (a) => +(a! !== 0),
  and: (a, b) => (a! & b!) >>> 0,
  or: (a, b) => (a! | b!) >>> 0,
  xor: (a, b) => (a! ^ b!) >>> 0,
  not: (a) => ~a! >>> 0,
  shift_left: (a, b) => (b! < 32 ? (a! << b!) >>> 0 : 0),
  shift_right_logical: (a, b) => (b! < 32 ? a! >>> b! : 0),
  // Unsigned values have no sign bit to fill: the arithmetic shift is the logical one.
  shift_right_arithmetic: (a, b) => (b! < 32 ? a! >>> b! : 0),
};

const BOOL: Record<string, ScalarFn> = {
  ...comparisons,
  and: (a, b) => a! & b!,
  or: (a, b) => a! | b!,
  xor: (a, b) => a! ^ b!,
  not: (a) => a! ^ 1,
};

/** The exact tables, by dtype class (read by the table-coverage test). */
export const EXACT: Readonly<Record<DTypeClass, Readonly<Record<string, ScalarFn>>>> = { float: FLOAT, int: INT, uint: UINT, bool: BOOL };

/** The exact scalar function of primitive `name` over operands of `dtype`, or undefined if it has none. */
export function exactScalar(name: string, dtype: DType): ScalarFn | undefined {
  const table = EXACT[dtypeClass(dtype)];
  return Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
}

const same: ScalarFn = (a) => a!;

/** Exact conversion between dtypes of a JS-number value. */
export function exactConvert(from: DType, to: DType): ScalarFn {
  if (from === to || from === "bool") return to === "bool" ? (a) => (a !== 0 ? 1 : 0) : same;
  if (to === "bool") return (a) => (a !== 0 ? 1 : 0);
  if (to === "int32") return from === "uint32" ? (a) => a! | 0 : from === "int32" ? same : toInt32;
  if (to === "uint32") return from === "int32" ? (a) => a! >>> 0 : toUint32;
  // to float: ints beyond 2^24 round like a float32 store would.
  return Math.fround;
}

// --- reductions: identities and tie rules (shared by every backend) -----------------------------

/** The reductions (Primitive.reducer). */
export type ReduceOpName = Reducer;

/** Initial accumulator. For argmax/argmin it is a value every element beats (NaN aside). */
export function reduceInit(op: ReduceOpName, dtype: DType): number {
  const lowest = dtype === "bool" ? (op === "argmax" ? -1 : 0) : dtype === "int32" ? -2147483648 : dtype === "uint32" ? (op === "argmax" ? -1 : 0) : -Infinity;
  const highest = dtype === "bool" ? (op === "argmin" ? 2 : 1) : dtype === "int32" ? 2147483647 : dtype === "uint32" ? (op === "argmin" ? 4294967296 : 4294967295) : Infinity;
  switch (op) {
    case "sum": case "or": return 0;
    case "prod": case "and": return 1;
    case "max": case "argmax": return lowest;
    case "min": case "argmin": return highest;
  }
}

/**
 * float sums and products accumulate in float64 and round once at the end: more accurate
 * than a float32 accumulator, and the same in eager mode, jit and the interpreter, which all
 * run this loop in the same order. (NumPy sums pairwise and XLA in float32 trees, so the
 * last bit may differ from theirs.)
 */
export function reduceRounds(op: ReduceOpName, dtype: DType): boolean {
  return (op === "sum" || op === "prod") && dtype !== "int32" && dtype !== "uint32" && dtype !== "bool";
}

/** Whether `v` replaces the current best `best` in argmax/argmin (first NaN wins, then stays). */
export function argBetter(op: "argmax" | "argmin", v: number, best: number): boolean {
  return (op === "argmax" ? v > best : v < best) || (v !== v && best === best);
}
