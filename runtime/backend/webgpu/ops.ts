// WGSL forms of the scalar primitives, with the same semantics as the CPU backend's
// (primitives/scalar-ops.ts): NaN propagation in max/min, XLA's integer division by zero,
// saturating float→int conversion, C's powf special cases. Values live in their
// storage types: f32, i32, and u32 0/1 for bool (WGSL has no 8-bit storage).
//
// Helpers are emitted only when a shader uses them (`need`).

import type { DType } from "../../dtype.js";
import { dtypeClass, ERFC_FIT, ERF_TAYLOR, type DTypeClass } from "../../primitives/scalar-ops.js";

export type WgslType = "f32" | "i32" | "u32";

/** The type values of `dtype` are computed in: float16 computes in f32 and rounds on store. */
export function wgslType(dtype: DType): WgslType {
  switch (dtype) {
    case "float32": case "float16": return "f32";
    case "int32": return "i32";
    case "uint32": return "u32";
    case "bool": return "u32";
  }
}

/** The element type of a storage buffer of `dtype` (float16 needs the shader-f16 feature). */
export function storageType(dtype: DType): string {
  return dtype === "float16" ? "f16" : wgslType(dtype);
}

/** Horner's rule over `coeffs` (lowest degree first) in variable `v`, as a WGSL expression. */
function horner(coeffs: readonly number[], v: string): string {
  return coeffs.reduceRight((acc, c, i) => (i === coeffs.length - 1 ? c.toExponential() : `(${c.toExponential()} + ${v} * ${acc})`), "");
}

// erf / erfc in f32, the CPU backend's scheme (primitives/scalar-ops.ts): x·P(x²) below 1
// (Taylor to degree 10, remainder < 2e-9), else erfc(z) = t·exp(-z² + Q(t)); z² is split as
// hi² + lo·(z + hi) with hi = z cut to 12 bits, so hi² is exact, and e^(-hi²) is scaled by
// a power of two so that exp's argument stays small and float32-accurate; 0 beyond z = 10.1, where erfc underflows float32.
const ERF_HELPERS = {
  erfs_: `fn erfs_(x: f32) -> f32 { let t = x * x; return x * ${horner(ERF_TAYLOR.slice(0, 11), "t")}; }`,
  erfcl_: [
    "fn erfcl_(z: f32) -> f32 {",
    "  if (z > 10.1) { return 0.0; }",
    "  let t = 1.0 / (1.0 + 0.5 * z);",
    `  let q = ${horner(ERFC_FIT, "t")};`,
    "  let hi = bitcast<f32>(bitcast<u32>(z) & 0xfffff000u);",
    // e^(-hi²) = 2^-k · e^(-r), r = hi² - k·ln2 by Cody–Waite (k·LN2_HI is exact): exp then
    // sees only a small argument, so its error does not grow with z² (as exp(-81) would).
    "  let a = hi * hi;",
    "  let k = round(a * 1.4426950408889634);",
    "  let r = (a - k * 0.693145751953125) - k * 1.4286067653301870e-6;",
    "  return t * ldexp(exp(q - r - (z - hi) * (z + hi)), -i32(k));",
    "}",
  ].join("\n"),
  erf_: "fn erf_(x: f32) -> f32 { if (isnan_(x)) { return x; } let z = abs(x); if (z < 1.0) { return erfs_(x); } return sign(x) * (1.0 - erfcl_(z)); }",
  erfc_: "fn erfc_(x: f32) -> f32 { if (isnan_(x)) { return x; } if (abs(x) < 1.0) { return 1.0 - erfs_(x); } if (x > 0.0) { return erfcl_(x); } return 2.0 - erfcl_(-x); }",
};

export const HELPERS: Record<string, string> = {
  ...ERF_HELPERS,
  isnan_: "fn isnan_(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }",
  isfin_: "fn isfin_(x: f32) -> bool { return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u; }",
  fmax_: "fn fmax_(a: f32, b: f32) -> f32 { if (isnan_(a) || isnan_(b)) { return a + b; } return max(a, b); }",
  fmin_: "fn fmin_(a: f32, b: f32) -> f32 { if (isnan_(a) || isnan_(b)) { return a + b; } return min(a, b); }",
  tanh_: "fn tanh_(x: f32) -> f32 { if (isnan_(x)) { return x; } return tanh(clamp(x, -10.0, 10.0)); }",
  log1p_: "fn log1p_(x: f32) -> f32 { let u = 1.0 + x; if (u == 1.0) { return x; } return log(u) * x / (u - 1.0); }",
  expm1_: "fn expm1_(x: f32) -> f32 { let u = exp(x); if (u == 1.0) { return x; } let m = u - 1.0; if (m == -1.0) { return -1.0; } return m * x / log(u); }",
  fpow_: [
    "fn fpow_(a: f32, b: f32) -> f32 {",
    // C's powf, as the cpu backend's rt.powf: pow(1, y) = 1 even for a NaN y, pow(-1, ±inf) = 1.
    "  if (b == 0.0 || a == 1.0) { return 1.0; }",
    "  if (isnan_(a) || isnan_(b)) { return a + b; }",
    "  if (b == 1.0) { return a; }",
    "  if (b == 2.0) { return a * a; }",
    "  if (!isfin_(b)) { let m = abs(a); if (m == 1.0) { return 1.0; } return select(0.0, b * b, (m > 1.0) == (b > 0.0)); }",
    "  let odd = fract(b * 0.5) != 0.0 && fract(b) == 0.0;",
    "  if (!isfin_(a)) { if (b > 0.0) { return select(a * a, a, odd); } return select(0.0, 1.0 / a, odd); }",
    "  if (a == 0.0) { if (b > 0.0) { return select(0.0, a, odd); } return select(bitcast<f32>(FBITS_[1]), 1.0 / a, odd); }",
    "  let r = exp2(b * log2(abs(a)));",
    "  if (a < 0.0) { if (fract(b) != 0.0) { return bitcast<f32>(FBITS_[0]); } if (odd) { return -r; } }",
    "  return r;",
    "}",
  ].join("\n"),
  ipow_: [
    "fn ipow_(a: i32, b: i32) -> i32 {",
    "  if (b < 0) { if (a == 1) { return 1; } if (a == -1) { return select(1, -1, (b & 1) != 0); } return 0; }",
    "  var r = 1; var base = a; var e = b;",
    "  loop { if (e == 0) { break; } if ((e & 1) != 0) { r = r * base; } base = base * base; e = e >> 1u; }",
    "  return r;",
    "}",
  ].join("\n"),
  // WGSL's float % is x - y·trunc(x/y): NaN for a finite x over an infinite y, where C's fmod gives x.
  frem_: "fn frem_(a: f32, b: f32) -> f32 { if (isfin_(a) && !isfin_(b) && !isnan_(b)) { return a; } return a % b; }",
  // WGSL leaves atan2 undefined at zeros and infinities; C's/JS's special cases spelled out.
  atan2_: [
    "fn atan2_(y: f32, x: f32) -> f32 {",
    "  if (isnan_(y) || isnan_(x)) { return y + x; }",
    "  let sy = select(1.0, -1.0, (bitcast<u32>(y) >> 31u) == 1u);",
    "  let xneg = (bitcast<u32>(x) >> 31u) == 1u;",
    "  if (y == 0.0) { return select(y, sy * 3.14159265358979, xneg); }",
    "  let yi = !isfin_(y);",
    "  let xi = !isfin_(x);",
    "  if (yi && xi) { return sy * select(0.785398163397448, 2.35619449019234, xneg); }",
    "  if (yi || x == 0.0) { return sy * 1.5707963267949; }",
    "  if (xi) { return select(sy * 0.0, sy * 3.14159265358979, xneg); }",
    "  return atan2(y, x);",
    "}",
  ].join("\n"),
  tou32_: "fn tou32_(x: f32) -> u32 { if (isnan_(x) || x <= 0.0) { return 0u; } if (x >= 4294967295.0) { return 4294967295u; } return u32(x); }",
  upow_: [
    "fn upow_(a: u32, b: u32) -> u32 {",
    "  var r = 1u; var base = a; var e = b;",
    "  loop { if (e == 0u) { break; } if ((e & 1u) != 0u) { r = r * base; } base = base * base; e = e >> 1u; }",
    "  return r;",
    "}",
  ].join("\n"),
  toi32_: "fn toi32_(x: f32) -> i32 { if (isnan_(x)) { return 0; } if (x >= 2147483647.0) { return 2147483647; } if (x <= -2147483648.0) { return i32(-2147483647 - 1); } return i32(x); }",
};

/** Helpers a helper itself calls. */
const DEPENDS: Record<string, readonly string[]> = {
  fmax_: ["isnan_"], fmin_: ["isnan_"], tanh_: ["isnan_"], fpow_: ["isnan_", "isfin_"], toi32_: ["isnan_"], tou32_: ["isnan_"], frem_: ["isnan_", "isfin_"], atan2_: ["isnan_", "isfin_"],
  erf_: ["isnan_", "erfs_", "erfcl_"], erfc_: ["isnan_", "erfs_", "erfcl_"],
};

/** Bits of NaN, +Infinity, -Infinity, declared in every shader (see wgslLiteral). */
export const FBITS_DECL = "var<private> FBITS_: array<u32, 3> = array<u32, 3>(0x7fc00000u, 0x7f800000u, 0xff800000u);";

export class HelperSet {
  private readonly used = new Set<string>();
  need(name: string): string {
    for (const d of DEPENDS[name] ?? []) this.used.add(d);
    this.used.add(name);
    return name;
  }
  text(): string {
    return [...this.used].sort().map((n) => HELPERS[n]!).join("\n");
  }
}

const b2u = (cond: string) => `select(0u, 1u, ${cond})`;

/** A WGSL expression template: argument expressions (already of the computed type) in, code out. */
type WgslTemplate = (x: readonly string[], h: HelperSet, argDTypes: readonly DType[]) => string;

// Float comparisons spell out NaN (shader compilers may assume there is none).
const ordered = (cmp: string): WgslTemplate => ([a, b], h) => b2u(`${a} ${cmp} ${b} && !${h.need("isnan_")}(${a}) && !isnan_(${b})`);
const plain = (cmp: string): WgslTemplate => ([a, b]) => b2u(`${a} ${cmp} ${b}`);
const infix = (o: string): WgslTemplate => ([a, b]) => `(${a} ${o} ${b})`;
const call = (fn: string, helper = false): WgslTemplate => (x, h) => `${helper ? h.need(fn) : fn}(${x.join(", ")})`;
const selectN: WgslTemplate = ([a, b, c], _h, argDTypes) => {
  const p = argDTypes[0] === "int32" ? `${a} != 0` : argDTypes[0] === "float32" ? `${a} != 0.0` : `${a} != 0u`;
  return `select(${b}, ${c}, ${p})`;
};
const intComparisons: Record<string, WgslTemplate> = {
  gt: plain(">"), ge: plain(">="), lt: plain("<"), le: plain("<="), eq: plain("=="), ne: plain("!="),
  max: call("max"), min: call("min"), select_n: selectN,
};
const bitwise: Record<string, WgslTemplate> = { and: infix("&"), or: infix("|"), xor: infix("^") };

/**
 * WGSL templates keyed by dtype class, then primitive name (the same keys as the exact
 * semantics in primitives/scalar-ops.ts; test/runtime/lowering-tables.test.ts checks them).
 * bool values are u32 0/1; uint32 is native u32 (+ - * wrap mod 2^32 as on the CPU).
 */
export const WGSL_OPS: Readonly<Record<DTypeClass, Readonly<Record<string, WgslTemplate>>>> = {
  float: {
    gt: ordered(">"), ge: ordered(">="), lt: ordered("<"), le: ordered("<="), eq: ordered("=="),
    ne: ([a, b], h) => b2u(`${a} != ${b} || ${h.need("isnan_")}(${a}) || isnan_(${b})`),
    max: call("fmax_", true),
    min: call("fmin_", true),
    sign: ([a], h) => `select(sign(${a}), ${a}, ${h.need("isnan_")}(${a}))`,
    select_n: selectN,
    add: infix("+"), sub: infix("-"), mul: infix("*"), div: infix("/"),
    rem: call("frem_", true),
    pow: call("fpow_", true),
    atan2: call("atan2_", true),
    neg: ([a]) => `(-${a})`,
    exp: call("exp"),
    log: call("log"),
    log1p: call("log1p_", true),
    expm1: call("expm1_", true),
    tanh: call("tanh_", true),
    logistic: ([a]) => `(1.0 / (1.0 + exp(-${a})))`,
    sin: call("sin"), cos: call("cos"), tan: call("tan"), sqrt: call("sqrt"),
    rsqrt: call("inverseSqrt"),
    erf: call("erf_", true),
    erfc: call("erfc_", true),
    abs: call("abs"), floor: call("floor"), ceil: call("ceil"), round: call("round"),
    is_finite: ([a], h) => b2u(`${h.need("isfin_")}(${a})`),
  },
  int: {
    ...intComparisons,
    sign: call("sign"),
    add: infix("+"), sub: infix("-"), mul: infix("*"),
    // XLA: x / 0 = -1, x % 0 = x (WGSL's own results for a zero divisor differ).
    div: ([a, b]) => `select(${a} / ${b}, -1, ${b} == 0)`,
    rem: ([a, b]) => `select(${a} % ${b}, ${a}, ${b} == 0)`,
    pow: call("ipow_", true),
    neg: ([a]) => `(-${a})`,
    abs: call("abs"),
    ...bitwise,
    not: ([a]) => `(~${a})`,
    // Counts are read as unsigned; WGSL takes them mod 32, XLA gives 0 / the sign fill.
    shift_left: ([a, b]) => `select(${a} << u32(${b}), 0, u32(${b}) >= 32u)`,
    shift_right_logical: ([a, b]) => `select(bitcast<i32>(bitcast<u32>(${a}) >> u32(${b})), 0, u32(${b}) >= 32u)`,
    shift_right_arithmetic: ([a, b]) => `(${a} >> min(u32(${b}), 31u))`,
  },
  uint: {
    ...intComparisons,
    sign: ([a]) => b2u(`${a} != 0u`),
    add: infix("+"), sub: infix("-"), mul: infix("*"),
    // XLA: x / 0 = 2^32 - 1, x % 0 = x.
    div: ([a, b]) => `select(${a} / ${b}, 4294967295u, ${b} == 0u)`,
    rem: ([a, b]) => `select(${a} % ${b}, ${a}, ${b} == 0u)`,
    pow: call("upow_", true),
    neg: ([a]) => `(0u - ${a})`,
    abs: ([a]) => a!,
    ...bitwise,
    not: ([a]) => `(~${a})`,
    shift_left: ([a, b]) => `select(${a} << ${b}, 0u, ${b} >= 32u)`,
    shift_right_logical: ([a, b]) => `select(${a} >> ${b}, 0u, ${b} >= 32u)`,
    shift_right_arithmetic: ([a, b]) => `select(${a} >> ${b}, 0u, ${b} >= 32u)`,
  },
  bool: {
    ...intComparisons,
    sign: ([a]) => a!,
    ...bitwise,
    not: ([a]) => `(${a} ^ 1u)`,
  },
};

/** The WGSL expression for primitive `op` on operands of `dtype` (argument expressions already typed), or undefined. */
export function wgslOp(op: string, dtype: DType, args: readonly string[], h: HelperSet, argDTypes: readonly DType[]): string | undefined {
  const table = WGSL_OPS[dtypeClass(dtype)];
  return Object.prototype.hasOwnProperty.call(table, op) ? table[op]!(args, h, argDTypes) : undefined;
}

export function wgslConvert(arg: string, from: DType, to: DType, h: HelperSet): string {
  if (from === to) return arg;
  // float16 values are held as f32: converting to float16 rounds; from it is exact.
  if (to === "float16") return `f32(f16(${wgslType(from) === "f32" ? arg : `f32(${arg})`}))`;
  if (from === "float16" && to === "float32") return arg;
  const tf = wgslType(from);
  if (to === "bool") return b2u(tf === "f32" ? `${arg} != 0.0 || ${h.need("isnan_")}(${arg})` : `${arg} != ${tf === "i32" ? "0" : "0u"}`);
  // i32 ↔ u32 conversions reinterpret the bits (XLA's wrap-around); bool's u32 is 0/1.
  if (to === "int32") return tf === "f32" ? `${h.need("toi32_")}(${arg})` : `i32(${arg})`;
  if (to === "uint32") return tf === "f32" ? `${h.need("tou32_")}(${arg})` : `u32(${arg})`;
  return `f32(${arg})`;
}

/** A WGSL literal of `dtype` for the JS number `v`. */
export function wgslLiteral(v: number, dtype: DType): string {
  const t = wgslType(dtype);
  // uint32: clamped (a reduction's "below everything" init of -1 becomes 0; ties are broken by index).
  if (dtype === "uint32") return `${v <= 0 ? 0 : v >= 4294967295 ? 4294967295 : Math.trunc(v)}u`;
  if (t === "u32") return v ? "1u" : "0u";
  if (t === "i32") {
    const i = v | 0;
    return i === -2147483648 ? "i32(-2147483647 - 1)" : i < 0 ? `(${i})` : `${i}`;
  }
  const f = Math.fround(v);
  // NaN and ±Infinity are not constant expressions in WGSL: read their bits at run time.
  if (f !== f) return "bitcast<f32>(FBITS_[0])";
  if (f === Infinity) return "bitcast<f32>(FBITS_[1])";
  if (f === -Infinity) return "bitcast<f32>(FBITS_[2])";
  if (Object.is(f, -0)) return "bitcast<f32>(0x80000000u)";
  const s = String(f);
  return f < 0 ? `(${s}f)` : `${s}f`;
}
