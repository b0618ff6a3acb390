// Scalar semantics of every elementwise primitive, per dtype class, in two forms that
// must agree: `evaluate` (interpreter, constant folding) and `js` (a JavaScript expression
// template for generated kernels). Values are JS numbers; bools are 0/1.

import type { DType } from "../dtype.js";

export interface ScalarOp {
  readonly evaluate: (...xs: number[]) => number;
  readonly js: (...xs: string[]) => string;
  /**
   * For float ops whose float64 result is rounded to float32 (`js` = `Math.fround(raw)`):
   * the unrounded expression, for a store into a Float32Array, which rounds anyway.
   */
  readonly jsRaw?: (...xs: string[]) => string;
}

// --- helpers the generated code and the interpreter both call (passed in as `rt`) -------

/** Round half to even (NumPy's `round`). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * tanh within float32 tolerance, ~10× faster than Math.tanh in V8: x·P(x²)/Q(x²), a
 * least-squares fit of relative error on [0, 9] (max relative error 4e-9; Q has no
 * positive roots), and ±1 beyond 9, where 1 - tanh(x) < 3e-8 rounds away in float32.
 */
export function fastTanh(x: number): number {
  if (x > 9) return 1;
  if (x < -9) return -1;
  const t = x * x;
  const p = 0.999999998979612 + t * (0.13688142979209214 + t * (0.003878639659932377 +
    t * (2.8215577385001853e-5 + t * (3.1085365884665957e-8 + t * -1.2574043227936428e-11))));
  const q = 1 + t * (0.47021475301652804 + t * (0.027283573987725983 +
    t * (0.0003956814762432567 + t * 1.3019073325659621e-6)));
  return (x * p) / q;
}

/** 2^k for k in [-256, 255], indexed by k + 256. */
const POW2 = (() => {
  const t = new Float64Array(512);
  for (let k = 0; k < 512; k++) t[k] = Math.pow(2, k - 256);
  return t;
})();

/**
 * exp within float32 tolerance, ~1.5× faster than Math.exp in V8 (which calls out to C):
 * x = k·ln2 + r with |r| ≤ ln2/2, exp(r) by its degree-7 Taylor polynomial (relative error
 * below 1e-8), times 2^k from a table. Rounded to float32 it equals Math.exp's rounded
 * result or is 1 ulp off (0.05% of inputs). Beyond the float32 range: 0 below -104
 * (exp(-104) rounds to 0 in float32), Infinity from 88.8 (above float32's max), NaN stays.
 */
export function fastExp(x: number): number {
  if (!(x < 88.8)) return x !== x ? x : Infinity;
  if (x < -104) return 0;
  const k = (x * 1.4426950408889634 + 256.5) | 0; // floor(x/ln2 + 0.5) + 256, positive here
  const r = x - (k - 256) * 0.6931471805599453;
  const p = 1 + r * (1 + r * (0.5 + r * (0.16666666666666666 + r * (0.041666666666666664 +
    r * (0.008333333333333333 + r * (0.001388888888888889 + r * 0.0001984126984126984))))));
  return p * POW2[k]!;
}

export function logistic(x: number): number {
  return 1 / (1 + fastExp(-x));
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

export const runtimeHelpers = { roundHalfEven, fastTanh, fastExp, logistic, toInt32, powf, ipow, upow, toUint32, erf, erfc };

// --- tables --------------------------------------------------------------------------

const op = (evaluate: (...xs: number[]) => number, js: (...xs: string[]) => string): ScalarOp => ({ evaluate, js });

const comparisons: Record<string, ScalarOp> = {
  gt: op((a, b) => +(a > b), (a, b) => `(${a} > ${b} ? 1 : 0)`),
  ge: op((a, b) => +(a >= b), (a, b) => `(${a} >= ${b} ? 1 : 0)`),
  lt: op((a, b) => +(a < b), (a, b) => `(${a} < ${b} ? 1 : 0)`),
  le: op((a, b) => +(a <= b), (a, b) => `(${a} <= ${b} ? 1 : 0)`),
  eq: op((a, b) => +(a === b), (a, b) => `(${a} === ${b} ? 1 : 0)`),
  ne: op((a, b) => +(a !== b), (a, b) => `(${a} !== ${b} ? 1 : 0)`),
  max: op(Math.max, (a, b) => `Math.max(${a}, ${b})`),
  min: op(Math.min, (a, b) => `Math.min(${a}, ${b})`),
  sign: op(Math.sign, (a) => `Math.sign(${a})`),
  select_n: op((p, a, b) => (p ? b! : a!), (p, a, b) => `(${p} ? ${b} : ${a})`),
};

/**
 * float32 semantics: an op whose float64 result may not be a float32 is rounded with
 * Math.fround, so fused kernels compute exactly what eager mode (one stored op at a time)
 * and NumPy float32 compute; for + - * / and sqrt, rounding the float64 result once is the
 * correctly rounded float32 result. The other ops are exact on float32 operands (neg, abs,
 * floor, ceil, round, max, min, sign, select, rem = fmod, comparisons) and stay unrounded;
 * every leaf is a float32 already (loads, rounded constants and scalar arguments).
 */
const f32 = (evaluate: (...xs: number[]) => number, raw: (...xs: string[]) => string): ScalarOp => ({
  // Fixed arity: the interpreter calls this per element (no rest-argument arrays).
  evaluate: evaluate.length === 1 ? (a) => Math.fround(evaluate(a!)) : (a, b) => Math.fround(evaluate(a!, b!)),
  js: (...xs) => `Math.fround(${raw(...xs)})`,
  jsRaw: raw,
});

const FLOAT: Record<string, ScalarOp> = {
  ...comparisons,
  add: f32((a, b) => a! + b!, (a, b) => `${a} + ${b}`),
  sub: f32((a, b) => a! - b!, (a, b) => `${a} - ${b}`),
  mul: f32((a, b) => a! * b!, (a, b) => `${a} * ${b}`),
  div: f32((a, b) => a! / b!, (a, b) => `${a} / ${b}`),
  rem: op((a, b) => a! % b!, (a, b) => `(${a} % ${b})`),
  pow: f32(powf, (a, b) => `rt.powf(${a}, ${b})`),
  atan2: f32(Math.atan2, (a, b) => `Math.atan2(${a}, ${b})`),
  neg: op((a) => -a!, (a) => `(-${a})`),
  exp: f32(fastExp, (a) => `rt.fastExp(${a})`),
  log: f32(Math.log, (a) => `Math.log(${a})`),
  log1p: f32(Math.log1p, (a) => `Math.log1p(${a})`),
  expm1: f32(Math.expm1, (a) => `Math.expm1(${a})`),
  tanh: f32(fastTanh, (a) => `rt.fastTanh(${a})`),
  logistic: f32(logistic, (a) => `rt.logistic(${a})`),
  sin: f32(Math.sin, (a) => `Math.sin(${a})`),
  cos: f32(Math.cos, (a) => `Math.cos(${a})`),
  tan: f32(Math.tan, (a) => `Math.tan(${a})`),
  sqrt: f32(Math.sqrt, (a) => `Math.sqrt(${a})`),
  rsqrt: f32((a) => 1 / Math.sqrt(a!), (a) => `1 / Math.sqrt(${a})`),
  erf: f32(erf, (a) => `rt.erf(${a})`),
  erfc: f32(erfc, (a) => `rt.erfc(${a})`),
  abs: op(Math.abs, (a) => `Math.abs(${a})`),
  floor: op(Math.floor, (a) => `Math.floor(${a})`),
  ceil: op(Math.ceil, (a) => `Math.ceil(${a})`),
  round: op(roundHalfEven, (a) => `rt.roundHalfEven(${a})`),
  is_finite: op((a) => +Number.isFinite(a), (a) => `(Number.isFinite(${a}) ? 1 : 0)`),
};

// --- uint32 and the shifts (random's Threefry needs them) ----------------------------------
// uint32 values are JS numbers in [0, 2^32); every result is brought back with `>>> 0`.
// Shifts follow XLA: the count is read as unsigned, and a count ≥ 32 gives 0 for
// shift_left / shift_right_logical and the sign fill for shift_right_arithmetic
// (JS would take the count mod 32).

/** 1 when the shift count `b` (as unsigned) is below 32. */
const inRange = (b: string) => `(${b} >>> 0) < 32`;

const INT_SHIFTS: Record<string, ScalarOp> = {
  shift_left: op((a, b) => ((b! >>> 0) < 32 ? a! << b! : 0), (a, b) => `(${inRange(b!)} ? ${a} << ${b} : 0)`),
  shift_right_logical: op((a, b) => ((b! >>> 0) < 32 ? (a! >>> b!) | 0 : 0), (a, b) => `(${inRange(b!)} ? (${a} >>> ${b}) | 0 : 0)`),
  shift_right_arithmetic: op((a, b) => a! >> ((b! >>> 0) < 32 ? b! : 31), (a, b) => `(${a} >> (${inRange(b!)} ? ${b} : 31))`),
};

const UINT_OPS: Record<string, ScalarOp> = {
  ...comparisons,
  add: op((a, b) => (a! + b!) >>> 0, (a, b) => `((${a} + ${b}) >>> 0)`),
  sub: op((a, b) => (a! - b!) >>> 0, (a, b) => `((${a} - ${b}) >>> 0)`),
  mul: op((a, b) => Math.imul(a!, b!) >>> 0, (a, b) => `(Math.imul(${a}, ${b}) >>> 0)`),
  // XLA's unsigned division by zero: x / 0 = 2^32 - 1, x % 0 = x.
  div: op((a, b) => (b === 0 ? 4294967295 : Math.floor(a! / b!)), (a, b) => `(${b} === 0 ? 4294967295 : Math.floor(${a} / ${b}))`),
  rem: op((a, b) => (b === 0 ? a! : a! % b!), (a, b) => `(${b} === 0 ? ${a} : ${a} % ${b})`),
  pow: op((a, b) => upow(a!, b!), (a, b) => `rt.upow(${a}, ${b})`),
  neg: op((a) => -a! >>> 0, (a) => `((-${a}) >>> 0)`),
  abs: op((a) => a!, (a) => a),
  sign: op((a) => +(a! !== 0), (a) => `(${a} !== 0 ? 1 : 0)`),
  and: op((a, b) => (a! & b!) >>> 0, (a, b) => `((${a} & ${b}) >>> 0)`),
  or: op((a, b) => (a! | b!) >>> 0, (a, b) => `((${a} | ${b}) >>> 0)`),
  xor: op((a, b) => (a! ^ b!) >>> 0, (a, b) => `((${a} ^ ${b}) >>> 0)`),
  not: op((a) => ~a! >>> 0, (a) => `(~${a} >>> 0)`),
  shift_left: op((a, b) => (b! < 32 ? (a! << b!) >>> 0 : 0), (a, b) => `(${b} < 32 ? (${a} << ${b}) >>> 0 : 0)`),
  shift_right_logical: op((a, b) => (b! < 32 ? a! >>> b! : 0), (a, b) => `(${b} < 32 ? ${a} >>> ${b} : 0)`),
  // Unsigned values have no sign bit to fill: the arithmetic shift is the logical one.
  shift_right_arithmetic: op((a, b) => (b! < 32 ? a! >>> b! : 0), (a, b) => `(${b} < 32 ? ${a} >>> ${b} : 0)`),
};

const INT: Record<string, ScalarOp> = {
  ...comparisons,
  add: op((a, b) => (a! + b!) | 0, (a, b) => `((${a} + ${b}) | 0)`),
  sub: op((a, b) => (a! - b!) | 0, (a, b) => `((${a} - ${b}) | 0)`),
  mul: op(Math.imul, (a, b) => `Math.imul(${a}, ${b})`),
  // XLA's integer semantics: x / 0 = -1, x % 0 = x; truncation toward zero otherwise.
  div: op((a, b) => (b === 0 ? -1 : (a! / b!) | 0), (a, b) => `(${b} === 0 ? -1 : (${a} / ${b}) | 0)`),
  rem: op((a, b) => (b === 0 ? a! : a! % b! | 0), (a, b) => `(${b} === 0 ? ${a} : (${a} % ${b}) | 0)`),
  pow: op(ipow, (a, b) => `rt.ipow(${a}, ${b})`),
  neg: op((a) => -a! | 0, (a) => `((-${a}) | 0)`),
  abs: op((a) => Math.abs(a!) | 0, (a) => `(Math.abs(${a}) | 0)`),
  and: op((a, b) => a! & b!, (a, b) => `(${a} & ${b})`),
  or: op((a, b) => a! | b!, (a, b) => `(${a} | ${b})`),
  xor: op((a, b) => a! ^ b!, (a, b) => `(${a} ^ ${b})`),
  not: op((a) => ~a!, (a) => `(~${a})`),
  ...INT_SHIFTS,
};

const UINT: Record<string, ScalarOp> = UINT_OPS;

const BOOL: Record<string, ScalarOp> = {
  ...comparisons,
  and: op((a, b) => a! & b!, (a, b) => `(${a} & ${b})`),
  or: op((a, b) => a! | b!, (a, b) => `(${a} | ${b})`),
  xor: op((a, b) => a! ^ b!, (a, b) => `(${a} ^ ${b})`),
  not: op((a) => a! ^ 1, (a) => `(${a} ^ 1)`),
};

/** The scalar op for `name` over operands of `dtype`, or undefined if it has none. */
export function scalarOp(name: string, dtype: DType): ScalarOp | undefined {
  const table = dtype === "int32" ? INT : dtype === "uint32" ? UINT : dtype === "bool" ? BOOL : FLOAT;
  return Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
}

/** Conversion between dtypes of a JS-number value. */
export function convertOp(from: DType, to: DType): ScalarOp {
  if (from === to) return op((a) => a!, (a) => a);
  if (to === "bool") return op((a) => (a !== 0 ? 1 : 0), (a) => `(${a} !== 0 ? 1 : 0)`);
  if (to === "int32") {
    if (from === "bool") return op((a) => a!, (a) => a);
    // uint32 → int32 reinterprets the bits (wraps), as XLA's convert does.
    if (from === "uint32") return op((a) => a! | 0, (a) => `(${a} | 0)`);
    return op(toInt32, (a) => `rt.toInt32(${a})`);
  }
  if (to === "uint32") {
    if (from === "bool") return op((a) => a!, (a) => a);
    if (from === "int32") return op((a) => a! >>> 0, (a) => `(${a} >>> 0)`);
    return op(toUint32, (a) => `rt.toUint32(${a})`);
  }
  // to float: ints beyond 2^24 round like a float32 store would.
  if (from === "bool") return op((a) => a!, (a) => a);
  if (from === "int32" || from === "uint32") return op(Math.fround, (a) => `Math.fround(${a})`);
  return op(Math.fround, (a) => `Math.fround(${a})`);
}

// --- reductions: identity and combine step, in both forms -------------------------------

export type ReduceOpName = "sum" | "prod" | "max" | "min" | "and" | "or" | "argmax" | "argmin";

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
 * float sums and products accumulate in float64 and round once at the end (`reduceResult`):
 * more accurate than a float32 accumulator, and the same in eager mode, jit and the
 * interpreter, which all run this loop in the same order. (NumPy sums pairwise and XLA in
 * float32 trees, so the last bit may differ from theirs; an intermediate beyond float32's
 * range that comes back in range stays finite here.)
 */
const F64_SUM = op((a, b) => a! + b!, (a, b) => `${a} + ${b}`);
const F64_PROD = op((a, b) => a! * b!, (a, b) => `${a} * ${b}`);

/** `acc ⊕ v` for the folding reductions (argmax/argmin are handled by their callers). */
export function reduceStep(op: ReduceOpName, dtype: DType): ScalarOp {
  const int = dtype === "int32";
  switch (op) {
    case "sum": return int ? INT.add! : dtype === "uint32" ? UINT.add! : F64_SUM;
    case "prod": return int ? INT.mul! : dtype === "uint32" ? UINT.mul! : F64_PROD;
    case "max": return comparisons.max!;
    case "min": return comparisons.min!;
    case "and": return BOOL.and!;
    case "or": return BOOL.or!;
    default: throw new Error(`internal: ${op} has no combine step`);
  }
}

/** Whether a reduction's accumulator must be rounded to give its float32 result. */
export function reduceRounds(op: ReduceOpName, dtype: DType): boolean {
  return (op === "sum" || op === "prod") && dtype !== "int32" && dtype !== "uint32" && dtype !== "bool";
}

/** Whether `v` replaces the current best `best` in argmax/argmin (first NaN wins, then stays). */
export function argBetter(op: "argmax" | "argmin", v: number, best: number): boolean {
  return (op === "argmax" ? v > best : v < best) || (v !== v && best === best);
}
