// The CPU backend's scalar-op table: for every elementwise primitive, per dtype class, a
// JavaScript expression template for generated kernels (`js`) and the function the
// interpreter calls (`evaluate`). The two must compute the same values; they follow the
// exact semantics of primitives/scalar-ops.ts except where the CPU trades the last ulp
// for speed (exp, tanh, logistic: `fastExp`/`fastTanh`, within one float32 ulp).
//
// Adding an elementwise primitive: one entry in JS_TEMPLATES below (and, only where the
// CPU evaluates differently from the exact function, in CPU_EVALUATE).

import type { DType } from "../../dtype.js";
import type { ScalarFn } from "../../primitives/primitive.js";
import {
  dtypeClass, erf, erfc, exactConvert, exactScalar, ipow, powf, roundHalfEven, toInt32, toUint32, upow, type DTypeClass, type ReduceOpName,
} from "../../primitives/scalar-ops.js";

export interface ScalarOp {
  readonly evaluate: ScalarFn;
  readonly js: (...xs: string[]) => string;
  /**
   * For float ops whose float64 result is rounded to float32 (`js` = `Math.fround(raw)`):
   * the unrounded expression, for a store into a Float32Array, which rounds anyway.
   */
  readonly jsRaw?: (...xs: string[]) => string;
}

// --- fast approximations (called by generated code and the interpreter as `rt.*`) ------------

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

export function fastLogistic(x: number): number {
  return 1 / (1 + fastExp(-x));
}

/** Everything generated code may call as `rt.*` for scalar ops. */
export const runtimeHelpers = { roundHalfEven, fastTanh, fastExp, logistic: fastLogistic, toInt32, powf, ipow, upow, toUint32, erf, erfc };

// --- the table ---------------------------------------------------------------------------------

type Template = (...xs: string[]) => string;
/** A float32-rounded op: its unrounded expression (`js` wraps it in Math.fround). */
interface Rounded { readonly raw: Template }
const r = (raw: Template): Rounded => ({ raw });

const comparisons: Record<string, Template> = {
  gt: (a, b) => `(${a} > ${b} ? 1 : 0)`,
  ge: (a, b) => `(${a} >= ${b} ? 1 : 0)`,
  lt: (a, b) => `(${a} < ${b} ? 1 : 0)`,
  le: (a, b) => `(${a} <= ${b} ? 1 : 0)`,
  eq: (a, b) => `(${a} === ${b} ? 1 : 0)`,
  ne: (a, b) => `(${a} !== ${b} ? 1 : 0)`,
  max: (a, b) => `Math.max(${a}, ${b})`,
  min: (a, b) => `Math.min(${a}, ${b})`,
  sign: (a) => `Math.sign(${a})`,
  select_n: (p, a, b) => `(${p} ? ${b} : ${a})`,
};

/** 1 when the shift count `b` (as unsigned) is below 32. */
const inRange = (b: string) => `(${b} >>> 0) < 32`;

/** JavaScript templates keyed by dtype class, then primitive name. */
export const JS_TEMPLATES: Readonly<Record<DTypeClass, Readonly<Record<string, Template | Rounded>>>> = {
  float: {
    ...comparisons,
    add: r((a, b) => `${a} + ${b}`),
    sub: r((a, b) => `${a} - ${b}`),
    mul: r((a, b) => `${a} * ${b}`),
    div: r((a, b) => `${a} / ${b}`),
    rem: (a, b) => `(${a} % ${b})`,
    pow: r((a, b) => `rt.powf(${a}, ${b})`),
    atan2: r((a, b) => `Math.atan2(${a}, ${b})`),
    neg: (a) => `(-${a})`,
    exp: r((a) => `rt.fastExp(${a})`),
    log: r((a) => `Math.log(${a})`),
    log1p: r((a) => `Math.log1p(${a})`),
    expm1: r((a) => `Math.expm1(${a})`),
    tanh: r((a) => `rt.fastTanh(${a})`),
    logistic: r((a) => `rt.logistic(${a})`),
    sin: r((a) => `Math.sin(${a})`),
    cos: r((a) => `Math.cos(${a})`),
    tan: r((a) => `Math.tan(${a})`),
    sqrt: r((a) => `Math.sqrt(${a})`),
    rsqrt: r((a) => `1 / Math.sqrt(${a})`),
    erf: r((a) => `rt.erf(${a})`),
    erfc: r((a) => `rt.erfc(${a})`),
    abs: (a) => `Math.abs(${a})`,
    floor: (a) => `Math.floor(${a})`,
    ceil: (a) => `Math.ceil(${a})`,
    round: (a) => `rt.roundHalfEven(${a})`,
    is_finite: (a) => `(Number.isFinite(${a}) ? 1 : 0)`,
  },
  int: {
    ...comparisons,
    add: (a, b) => `((${a} + ${b}) | 0)`,
    sub: (a, b) => `((${a} - ${b}) | 0)`,
    mul: (a, b) => `Math.imul(${a}, ${b})`,
    div: (a, b) => `(${b} === 0 ? -1 : (${a} / ${b}) | 0)`,
    rem: (a, b) => `(${b} === 0 ? ${a} : (${a} % ${b}) | 0)`,
    pow: (a, b) => `rt.ipow(${a}, ${b})`,
    neg: (a) => `((-${a}) | 0)`,
    abs: (a) => `(Math.abs(${a}) | 0)`,
    and: (a, b) => `(${a} & ${b})`,
    or: (a, b) => `(${a} | ${b})`,
    xor: (a, b) => `(${a} ^ ${b})`,
    not: (a) => `(~${a})`,
    shift_left: (a, b) => `(${inRange(b!)} ? ${a} << ${b} : 0)`,
    shift_right_logical: (a, b) => `(${inRange(b!)} ? (${a} >>> ${b}) | 0 : 0)`,
    shift_right_arithmetic: (a, b) => `(${a} >> (${inRange(b!)} ? ${b} : 31))`,
  },
  uint: {
    ...comparisons,
    add: (a, b) => `((${a} + ${b}) >>> 0)`,
    sub: (a, b) => `((${a} - ${b}) >>> 0)`,
    mul: (a, b) => `(Math.imul(${a}, ${b}) >>> 0)`,
    div: (a, b) => `(${b} === 0 ? 4294967295 : Math.floor(${a} / ${b}))`,
    rem: (a, b) => `(${b} === 0 ? ${a} : ${a} % ${b})`,
    pow: (a, b) => `rt.upow(${a}, ${b})`,
    neg: (a) => `((-${a}) >>> 0)`,
    abs: (a) => a!,
    sign: (a) => `(${a} !== 0 ? 1 : 0)`,
    and: (a, b) => `((${a} & ${b}) >>> 0)`,
    or: (a, b) => `((${a} | ${b}) >>> 0)`,
    xor: (a, b) => `((${a} ^ ${b}) >>> 0)`,
    not: (a) => `(~${a} >>> 0)`,
    shift_left: (a, b) => `(${b} < 32 ? (${a} << ${b}) >>> 0 : 0)`,
    shift_right_logical: (a, b) => `(${b} < 32 ? ${a} >>> ${b} : 0)`,
    shift_right_arithmetic: (a, b) => `(${b} < 32 ? ${a} >>> ${b} : 0)`,
  },
  bool: {
    ...comparisons,
    and: (a, b) => `(${a} & ${b})`,
    or: (a, b) => `(${a} | ${b})`,
    xor: (a, b) => `(${a} ^ ${b})`,
    not: (a) => `(${a} ^ 1)`,
  },
};

const fr = (f: ScalarFn): ScalarFn => (a) => Math.fround(f(a!));

/** Where the CPU evaluates differently from the exact function (the same functions the templates call). */
const CPU_EVALUATE: Readonly<Partial<Record<DTypeClass, Readonly<Record<string, ScalarFn>>>>> = {
  float: { exp: fr(fastExp), tanh: fr(fastTanh), logistic: fr(fastLogistic) },
};

const cache = new Map<string, ScalarOp | null>();

/** The CPU's scalar op for primitive `name` on operands of `dtype`, or undefined if it has none. */
export function scalarOp(name: string, dtype: DType): ScalarOp | undefined {
  const cls = dtypeClass(dtype);
  const key = `${cls}|${name}`;
  let op = cache.get(key);
  if (op === undefined) {
    const table = JS_TEMPLATES[cls];
    const t = Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
    const evaluate = CPU_EVALUATE[cls]?.[name] ?? exactScalar(name, dtype);
    op = t === undefined || evaluate === undefined ? null
      : typeof t === "function" ? { evaluate, js: t }
      : { evaluate, js: (...xs) => `Math.fround(${t.raw(...xs)})`, jsRaw: t.raw };
    cache.set(key, op);
  }
  return op ?? undefined;
}

/** Conversion between dtypes (the exact semantics; the template does the same). */
export function convertOp(from: DType, to: DType): ScalarOp {
  const evaluate = exactConvert(from, to);
  const same = (a: string) => a;
  if (from === to) return { evaluate, js: same };
  if (to === "bool") return { evaluate, js: (a) => `(${a} !== 0 ? 1 : 0)` };
  if (from === "bool") return { evaluate, js: same };
  if (to === "int32") return { evaluate, js: from === "uint32" ? (a) => `(${a} | 0)` : (a) => `rt.toInt32(${a})` };
  if (to === "uint32") return { evaluate, js: from === "int32" ? (a) => `(${a} >>> 0)` : (a) => `rt.toUint32(${a})` };
  return { evaluate, js: (a) => `Math.fround(${a})` };
}

// --- reductions: the combine step, keyed by reduction --------------------------------------------

const F64_SUM: ScalarOp = { evaluate: (a, b) => a! + b!, js: (a, b) => `${a} + ${b}` };
const F64_PROD: ScalarOp = { evaluate: (a, b) => a! * b!, js: (a, b) => `${a} * ${b}` };

/**
 * `acc ⊕ v` per reduction (argmax/argmin are handled by their callers). Float sums and
 * products accumulate in float64 (see reduceRounds).
 */
export const REDUCE_STEPS: Readonly<Record<Exclude<ReduceOpName, "argmax" | "argmin">, (dtype: DType) => ScalarOp>> = {
  sum: (d) => (dtypeClass(d) === "float" ? F64_SUM : scalarOp("add", d)!),
  prod: (d) => (dtypeClass(d) === "float" ? F64_PROD : scalarOp("mul", d)!),
  max: (d) => scalarOp("max", d)!,
  min: (d) => scalarOp("min", d)!,
  and: () => scalarOp("and", "bool")!,
  or: () => scalarOp("or", "bool")!,
};

export function reduceStep(op: ReduceOpName, dtype: DType): ScalarOp {
  if (op === "argmax" || op === "argmin") throw new Error(`internal: ${op} has no combine step`);
  return REDUCE_STEPS[op](dtype);
}
