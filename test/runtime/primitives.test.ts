// Every elementwise primitive bound directly (lax level: equal dtypes, equal shapes or
// rank 0), against Math and the lax/XLA scalar semantics, in every mode; and the shape
// and dtype rules that reject bad operands with errors naming the primitive.

import { describe, expect, it } from "vitest";
import { DTypeError, ShapeError, np, type NDArray } from "tsjit";
import * as p from "../../runtime/primitives/index.js";
import { bind1 } from "../../runtime/trace/core.js";
import { Rng } from "../helpers/prng.js";
import { F32, EXACT, MODES, checkAllModes, randomArray, runMode, type Domain } from "../helpers/harness.js";
import { map, type RDType } from "../helpers/reference.js";
import { refErf, refErfc } from "../helpers/erf-reference.js";

type Spec = [name: string, prim: p.Primitive, ref: (...v: number[]) => number, dtypes: RDType[], domain?: Domain];

const UNARY: Spec[] = [
  ["neg", p.neg, (a) => -a, ["float32", "int32"]],
  ["sign", p.sign, Math.sign, ["float32", "int32"]],
  ["abs", p.abs, Math.abs, ["float32", "int32"]],
  ["exp", p.exp, Math.exp, ["float32"]],
  ["log", p.log, Math.log, ["float32"], { lo: 0.01, hi: 5 }],
  ["log1p", p.log1p, Math.log1p, ["float32"], { lo: -0.9, hi: 5 }],
  ["expm1", p.expm1, Math.expm1, ["float32"]],
  ["tanh", p.tanh, Math.tanh, ["float32"], { lo: -10, hi: 10 }],
  ["logistic", p.logistic, (a) => 1 / (1 + Math.exp(-a)), ["float32"]],
  ["sin", p.sin, Math.sin, ["float32"]],
  ["cos", p.cos, Math.cos, ["float32"]],
  ["tan", p.tan, Math.tan, ["float32"], { lo: -1.2, hi: 1.2 }],
  ["sqrt", p.sqrt, Math.sqrt, ["float32"], { lo: 0, hi: 9 }],
  ["rsqrt", p.rsqrt, (a) => 1 / Math.sqrt(a), ["float32"], { lo: 0.1, hi: 9 }],
  ["erf", p.erf, refErf, ["float32"], { lo: -5, hi: 5 }],
  ["erfc", p.erfc, refErfc, ["float32"], { lo: -5, hi: 9 }],
  ["floor", p.floor, Math.floor, ["float32"]],
  ["ceil", p.ceil, Math.ceil, ["float32"]],
  ["not", p.not, (a) => ~a, ["int32"]],
];

const BINARY: Spec[] = [
  ["add", p.add, (a, b) => a + b, ["float32", "int32"]],
  ["sub", p.sub, (a, b) => a - b, ["float32", "int32"]],
  ["mul", p.mul, (a, b) => a * b, ["float32", "int32"]],
  // XLA's integer division truncates toward zero; x / 0 = -1 and x % 0 = x.
  ["div", p.div, (a, b) => a / b, ["float32"], { lo: -3, hi: 3, awayFromZero: 0.5 }],
  ["rem", p.rem, (a, b) => a % b, ["float32"], { lo: -3, hi: 3, awayFromZero: 0.5 }],
  ["pow", p.pow, Math.pow, ["float32"], { lo: 0.2, hi: 2 }],
  ["atan2", p.atan2, Math.atan2, ["float32"]],
  ["max", p.max, Math.max, ["float32", "int32", "bool"]],
  ["min", p.min, Math.min, ["float32", "int32", "bool"]],
  ["and", p.and, (a, b) => a & b, ["int32", "bool"]],
  ["or", p.or, (a, b) => a | b, ["int32", "bool"]],
  ["xor", p.xor, (a, b) => a ^ b, ["int32", "bool"]],
];

const COMPARE: Spec[] = [
  ["gt", p.gt, (a, b) => +(a > b), ["float32", "int32", "bool"]],
  ["ge", p.ge, (a, b) => +(a >= b), ["float32", "int32", "bool"]],
  ["lt", p.lt, (a, b) => +(a < b), ["float32", "int32", "bool"]],
  ["le", p.le, (a, b) => +(a <= b), ["float32", "int32", "bool"]],
  ["eq", p.eq, (a, b) => +(a === b), ["float32", "int32", "bool"]],
  ["ne", p.ne, (a, b) => +(a !== b), ["float32", "int32", "bool"]],
];

describe.each([...UNARY, ...BINARY, ...COMPARE])("primitive %s", (name, prim, ref, dtypes, domain) => {
  it("matches the reference on equal shapes and with a rank-0 operand (all modes)", () => {
    const rng = new Rng(name.charCodeAt(0) * 31 + name.length);
    const arity = ref.length;
    const resultDType = (d: RDType): RDType => (COMPARE.some((c) => c[0] === name) ? "bool" : d);
    for (const dtype of dtypes) {
      const shape = [rng.int(0, 3), rng.int(1, 4)];
      const xs = Array.from({ length: arity }, (_, i) => randomArray(rng, i === 1 && rng.bool() ? [] : shape, dtype, dtype === "bool" ? undefined : domain));
      const expected = map(xs.map((x) => x.ref), ref, resultDType(dtype));
      checkAllModes((...as: NDArray[]) => bind1(prim, as), xs.map((x) => x.x), expected, dtype === "float32" ? F32 : EXACT, `${name} ${dtype}`);
    }
  });
});

describe("integer semantics of div, rem, pow, abs and neg (XLA's)", () => {
  it.each(MODES)("truncates toward zero, x / 0 = -1, x %% 0 = x, wraps (%s)", (mode) => {
    const a = np.array([7, -7, 7, -7, 5, -2147483648, -2147483648], { dtype: "int32" });
    const b = np.array([2, 2, -2, -2, 0, -1, 1], { dtype: "int32" });
    const ints = (x: NDArray) => Array.from(x.dataSync());
    expect(ints(runMode(mode, (x, y) => bind1(p.div, [x, y]), [a, b]))).toEqual([3, -3, -3, 3, -1, -2147483648, -2147483648]);
    expect(ints(runMode(mode, (x, y) => bind1(p.rem, [x, y]), [a, b]))).toEqual([1, -1, 1, -1, 5, 0, 0]);
    expect(ints(runMode(mode, (x) => bind1(p.abs, [x]), [a]))).toEqual([7, 7, 7, 7, 5, -2147483648, -2147483648]);
    expect(ints(runMode(mode, (x) => bind1(p.neg, [x]), [a]))).toEqual([-7, 7, -7, 7, -5, -2147483648, -2147483648]);
    const base = np.array([2, -3, 5], { dtype: "int32" }), exp = np.array([10, 3, 0], { dtype: "int32" });
    expect(ints(runMode(mode, (x, y) => bind1(p.pow, [x, y]), [base, exp]))).toEqual([1024, -27, 1]);
  });

  it("round is half to even; is_finite and not on bool", () => {
    const x = np.array([0.5, 1.5, 2.5, -0.5, -2.5, 2.6]);
    expect(Array.from(bind1(p.round, [x]).dataSync())).toEqual([0, 2, 2, -0, -2, 3]);
    expect(Array.from(bind1(p.isFinite, [np.array([1, Infinity, NaN])]).dataSync())).toEqual([1, 0, 0]);
    expect(Array.from(bind1(p.not, [np.array([true, false])]).dataSync())).toEqual([0, 1]);
  });
});

describe("shape and dtype rules name the primitive", () => {
  const f = np.ones([2, 3]);
  const i = np.ones([2, 3], { dtype: "int32" });
  it("elementwise operands must share a dtype and a shape (or be rank 0)", () => {
    expect(() => bind1(p.add, [f, i])).toThrow(DTypeError);
    expect(() => bind1(p.add, [f, i])).toThrow("add requires operands of the same dtype, got float32, int32.");
    expect(() => bind1(p.add, [f, np.ones([3])])).toThrow(ShapeError);
    expect(() => bind1(p.add, [f, np.ones([3])])).toThrow("add requires operands of equal shapes (or rank 0), got (2, 3), (3,).");
    expect(() => bind1(p.add, [f, np.ones([])])).not.toThrow();
  });

  it("dtype classes: float-only, numeric-only, integral-only; select_n needs a bool predicate", () => {
    expect(() => bind1(p.exp, [i])).toThrow(/exp does not accept dtype int32: it needs a floating-point dtype/);
    expect(() => bind1(p.neg, [np.array([true])])).toThrow(/neg does not accept dtype bool/);
    expect(() => bind1(p.and, [f, f])).toThrow(/and does not accept dtype float32/);
    expect(() => bind1(p.selectN, [i, f, f])).toThrow(/select_n requires a bool predicate, got int32/);
    expect(() => bind1(p.reduceAnd, [f], { axes: [0] })).toThrow(DTypeError);
    expect(() => bind1(p.reduceSum, [np.array([true])], { axes: [0] })).toThrow(DTypeError);
  });

  it("structural primitives check their parameters", () => {
    expect(() => bind1(p.broadcastInDim, [f], { shape: [2, 4], broadcast_dimensions: [0, 1] })).toThrow(ShapeError);
    expect(() => bind1(p.reshape, [f], { new_sizes: [5] })).toThrow(ShapeError);
    expect(() => bind1(p.slice, [f], { start_indices: [0, 2], limit_indices: [2, 1], strides: null })).toThrow(ShapeError);
    expect(() => bind1(p.reduceSum, [f], { axes: [1, 0] })).toThrow(/axes must be sorted|are invalid/i);
    expect(() => bind1(p.iota, [], { dtype: "bool", shape: [2], dimension: 0 })).toThrow(DTypeError);
    expect(() => bind1(p.argmax, [f], { axes: [0, 1], index_dtype: "int32" })).toThrow(/exactly one axis/);
    expect(() => bind1(p.dotGeneral, [f, i], { dimension_numbers: [[[1], [0]], [[], []]], preferred_element_type: null })).toThrow(ShapeError);
    expect(() => bind1(p.dotGeneral, [f, np.ones([3, 2], { dtype: "int32" })], { dimension_numbers: [[[1], [0]], [[], []]], preferred_element_type: null })).toThrow(DTypeError);
  });
});
