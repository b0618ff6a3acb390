// Differential tests of the elementwise np functions against the float64 reference:
// random shapes (size-0 and size-1 axes, broadcasting), every dtype combination the
// function accepts, JS scalar operands (weak types), run eagerly, under jit and through
// the interpreter.

import { describe, expect, it } from "vitest";
import { DTypeError, np, type ArrayLike, type NDArray } from "tsjit";
import { Rng } from "../helpers/prng.js";
import {
  MODES,
  broadcastPartner,
  checkAllModes,
  randomArray,
  randomShape,
  runMode,
  type Domain,
} from "../helpers/harness.js";
import { broadcastTo, map, resultType, type RDType, type RType } from "../helpers/reference.js";

type Kind = "arith" | "inexact" | "compare" | "logical";

interface BinarySpec {
  name: string;
  fn: (a: ArrayLike, b: ArrayLike) => NDArray;
  /** The exact value, from the operands' values (float64). */
  ref: (a: number, b: number) => number;
  kind: Kind;
  /** np rejects the function on two bool operands (DTypeError). */
  rejectsBool?: boolean;
  /** Input domain per operand side and dtype (default: DEFAULT_FLOAT / DEFAULT_INT). */
  domain?: (side: 0 | 1, dtype: RDType) => Domain | undefined;
  /** JS number constants to try as the second operand. */
  scalars?: readonly number[];
}

const nonZero = (side: 0 | 1, dtype: RDType): Domain | undefined =>
  side === 1 ? (dtype === "int32" ? { lo: -6, hi: 6, awayFromZero: 1 } : { lo: -3, hi: 3, awayFromZero: 0.5 }) : undefined;

const truthy = (v: number) => (v !== 0 ? 1 : 0);

const BINARY: BinarySpec[] = [
  { name: "add", fn: np.add, ref: (a, b) => a + b, kind: "arith" },
  { name: "subtract", fn: np.subtract, ref: (a, b) => a - b, kind: "arith", rejectsBool: true },
  { name: "multiply", fn: np.multiply, ref: (a, b) => a * b, kind: "arith" },
  { name: "divide", fn: np.divide, ref: (a, b) => a / b, kind: "inexact", domain: nonZero, scalars: [2, -0.5] },
  {
    name: "power",
    fn: np.power,
    ref: (a, b) => Math.pow(a, b),
    kind: "arith",
    rejectsBool: true,
    domain: (side, dtype) =>
      dtype === "int32" ? (side === 0 ? { lo: -3, hi: 3 } : { lo: 0, hi: 3 }) : side === 0 ? { lo: 0.5, hi: 2 } : { lo: -2, hi: 2 },
    scalars: [2, 0.5],
  },
  { name: "maximum", fn: np.maximum, ref: (a, b) => Math.max(a, b), kind: "arith" },
  { name: "minimum", fn: np.minimum, ref: (a, b) => Math.min(a, b), kind: "arith" },
  // NumPy's mod/floor_divide: the remainder has the divisor's sign; the quotient rounds to -∞.
  { name: "mod", fn: np.mod, ref: (a, b) => a - Math.floor(a / b) * b, kind: "arith", rejectsBool: true, domain: nonZero, scalars: [3, -2, 1.5] },
  // NumPy's divmod starts from fmod(a, b), which is NaN for an infinite a.
  { name: "floorDivide", fn: np.floorDivide, ref: (a, b) => (Number.isFinite(a) ? Math.floor(a / b) : NaN), kind: "arith", rejectsBool: true, domain: nonZero, scalars: [3, -2, 1.5] },
  { name: "arctan2", fn: np.arctan2, ref: Math.atan2, kind: "inexact" },
  { name: "greater", fn: np.greater, ref: (a, b) => +(a > b), kind: "compare" },
  { name: "greaterEqual", fn: np.greaterEqual, ref: (a, b) => +(a >= b), kind: "compare" },
  { name: "less", fn: np.less, ref: (a, b) => +(a < b), kind: "compare" },
  { name: "lessEqual", fn: np.lessEqual, ref: (a, b) => +(a <= b), kind: "compare" },
  { name: "equal", fn: np.equal, ref: (a, b) => +(a === b), kind: "compare" },
  { name: "notEqual", fn: np.notEqual, ref: (a, b) => +(a !== b), kind: "compare" },
  { name: "logicalAnd", fn: np.logicalAnd, ref: (a, b) => truthy(a) & truthy(b), kind: "logical" },
  { name: "logicalOr", fn: np.logicalOr, ref: (a, b) => truthy(a) | truthy(b), kind: "logical" },
  { name: "logicalXor", fn: np.logicalXor, ref: (a, b) => truthy(a) ^ truthy(b), kind: "logical" },
];

const DTYPE_PAIRS: readonly [RDType, RDType][] = [
  ["float32", "float32"],
  ["int32", "int32"],
  ["bool", "bool"],
  ["float32", "int32"],
  ["int32", "bool"],
  ["bool", "float32"],
];

function resultDType(kind: Kind, a: RType, b: RType): RDType {
  if (kind === "compare" || kind === "logical") return "bool";
  const r = resultType(a, b).dtype;
  return kind === "inexact" && r !== "float32" ? "float32" : r;
}

const strong = (dtype: RDType): RType => ({ dtype, weak: false });
const weakOf = (v: number | boolean): RType =>
  typeof v === "boolean" ? strong("bool") : { dtype: Number.isInteger(v) ? "int32" : "float32", weak: true };

describe.each(BINARY)("np.$name", (spec) => {
  const rejects = (a: RDType, b: RDType) => spec.rejectsBool === true && a === "bool" && b === "bool";

  it("matches the reference on random broadcast shapes and dtype pairs", () => {
    const rng = new Rng(0x5eed + spec.name.length * 7919);
    let cases = 0;
    for (const [da, db] of DTYPE_PAIRS) {
      if (rejects(da, db)) continue;
      for (let trial = 0; trial < 4; trial++) {
        const shapeA = randomShape(rng);
        const shapeB = broadcastPartner(rng, shapeA);
        const [first, second] = rng.bool() ? [shapeA, shapeB] : [shapeB, shapeA];
        const a = randomArray(rng, first, da, spec.domain?.(0, da));
        const b = randomArray(rng, second, db, spec.domain?.(1, db));
        const dtype = resultDType(spec.kind, strong(da), strong(db));
        const expected = map([a.ref, b.ref], spec.ref, dtype);
        checkAllModes((x, y) => spec.fn(x, y), [a.x, b.x], expected, undefined,
          `${da}[${first}] ${spec.name} ${db}[${second}], seed ${rng.seed}`);
        cases++;
      }
    }
    expect(cases).toBeGreaterThan(10);
  });

  it("promotes JS scalar constants as weak types (either side)", () => {
    const rng = new Rng(0xabc + spec.name.length);
    const scalars: (number | boolean)[] = [...(spec.scalars ?? [2, -3, 0.5, -1.25]), true];
    for (const arrayDType of ["float32", "int32", "bool"] as const) {
      for (const s of scalars) {
        const st = weakOf(s);
        if (rejects(arrayDType, st.dtype) || (spec.rejectsBool && arrayDType === "bool" && st.weak && st.dtype === "bool")) continue;
        const shape = randomShape(rng, { dims: [1, 2, 3] });
        const a = randomArray(rng, shape, arrayDType, spec.domain?.(0, arrayDType));
        const sv = typeof s === "boolean" ? +s : s;
        const scalarRef = map([], () => sv, st.dtype);
        const dtype = resultDType(spec.kind, strong(arrayDType), st);
        const expected = map([a.ref, scalarRef], spec.ref, dtype);
        checkAllModes((x) => spec.fn(x, s as number), [a.x], expected, undefined, `${arrayDType}[${shape}] ${spec.name} ${s}`);
        // The scalar on the left (domain permitting: divisors stay on the right).
        if (spec.domain && spec.domain(1, arrayDType) !== undefined) continue;
        const expectedLeft = map([scalarRef, a.ref], spec.ref, resultDType(spec.kind, st, strong(arrayDType)));
        checkAllModes((x) => spec.fn(s as number, x), [a.x], expectedLeft, undefined, `${s} ${spec.name} ${arrayDType}[${shape}]`);
      }
    }
  });

  it("on two JS scalars gives a rank-0 array", () => {
    const [a, b] = spec.scalars && spec.domain ? [2.5, spec.scalars[0]!] : [3, 2];
    const out = spec.fn(a, b);
    expect(out.shape).toEqual([]);
    const dtype = resultDType(spec.kind, weakOf(a), weakOf(b));
    expect(out.dtype).toBe(dtype);
    expect(Number(out.item())).toBeCloseTo(map([], () => spec.ref(a, b), dtype).data[0]!, 5);
  });

  if (spec.rejectsBool) {
    it("rejects two bool operands with a DTypeError naming the function", () => {
      const t = np.array([true, false]);
      for (const mode of MODES) {
        expect(() => runMode(mode, (x) => spec.fn(x, x), [t])).toThrow(DTypeError);
        expect(() => runMode(mode, (x) => spec.fn(x, x), [t])).toThrow(new RegExp(`np\\.${spec.name}`));
      }
    });
  }
});

// --- unary ---------------------------------------------------------------------------------

interface UnarySpec {
  name: string;
  fn: (a: ArrayLike) => NDArray;
  ref: (a: number) => number;
  /** same: keeps the dtype; inexact: int/bool give float32; bool: a bool result. */
  kind: "same" | "inexact" | "bool";
  dtypes: readonly RDType[];
  domain?: Domain;
}

const ALL: readonly RDType[] = ["float32", "int32", "bool"];
const NUMERIC: readonly RDType[] = ["float32", "int32"];

const UNARY: UnarySpec[] = [
  { name: "negative", fn: np.negative, ref: (a) => -a, kind: "same", dtypes: NUMERIC },
  { name: "abs", fn: np.abs, ref: Math.abs, kind: "same", dtypes: ALL },
  { name: "sign", fn: np.sign, ref: Math.sign, kind: "same", dtypes: ALL },
  { name: "square", fn: np.square, ref: (a) => a * a, kind: "same", dtypes: NUMERIC },
  { name: "exp", fn: np.exp, ref: Math.exp, kind: "inexact", dtypes: ALL },
  { name: "log", fn: np.log, ref: Math.log, kind: "inexact", dtypes: ["float32", "int32"], domain: { lo: 0.05, hi: 8 } },
  { name: "log1p", fn: np.log1p, ref: Math.log1p, kind: "inexact", dtypes: ["float32"], domain: { lo: -0.9, hi: 5 } },
  { name: "expm1", fn: np.expm1, ref: Math.expm1, kind: "inexact", dtypes: ["float32", "int32"] },
  { name: "tanh", fn: np.tanh, ref: Math.tanh, kind: "inexact", dtypes: ALL, domain: { lo: -12, hi: 12 } },
  { name: "sin", fn: np.sin, ref: Math.sin, kind: "inexact", dtypes: ALL, domain: { lo: -10, hi: 10 } },
  { name: "cos", fn: np.cos, ref: Math.cos, kind: "inexact", dtypes: ALL, domain: { lo: -10, hi: 10 } },
  { name: "tan", fn: np.tan, ref: Math.tan, kind: "inexact", dtypes: ["float32"], domain: { lo: -1.3, hi: 1.3 } },
  { name: "sqrt", fn: np.sqrt, ref: Math.sqrt, kind: "inexact", dtypes: ["float32", "int32"], domain: { lo: 0, hi: 9 } },
  { name: "floor", fn: np.floor, ref: Math.floor, kind: "inexact", dtypes: ["float32"] },
  { name: "ceil", fn: np.ceil, ref: Math.ceil, kind: "inexact", dtypes: ["float32"] },
  { name: "sigmoid", fn: np.sigmoid, ref: (a) => 1 / (1 + Math.exp(-a)), kind: "inexact", dtypes: ALL, domain: { lo: -20, hi: 20 } },
  { name: "reciprocal", fn: np.reciprocal, ref: (a) => 1 / a, kind: "inexact", dtypes: ["float32", "int32"], domain: { lo: -4, hi: 4, awayFromZero: 0.25 } },
  { name: "logicalNot", fn: np.logicalNot, ref: (a) => +(a === 0), kind: "bool", dtypes: ALL },
  { name: "isnan", fn: np.isnan, ref: (a) => +Number.isNaN(a), kind: "bool", dtypes: ALL },
  { name: "isfinite", fn: np.isfinite, ref: (a) => +Number.isFinite(a), kind: "bool", dtypes: ALL },
];

describe.each(UNARY)("np.$name", (spec) => {
  it("matches the reference on random shapes and dtypes", () => {
    const rng = new Rng(0x1234 + spec.name.length * 31);
    for (const dtype of spec.dtypes) {
      for (let trial = 0; trial < 4; trial++) {
        const shape = randomShape(rng, { maxRank: 4 });
        const a = randomArray(rng, shape, dtype, dtype === "bool" ? undefined : spec.domain);
        const out: RDType = spec.kind === "bool" ? "bool" : spec.kind === "inexact" ? "float32" : dtype;
        checkAllModes((x) => spec.fn(x), [a.x], map([a.ref], spec.ref, out), undefined, `${dtype}[${shape}], seed ${rng.seed}`);
      }
    }
  });

  it("accepts a JS scalar", () => {
    const v = spec.domain ? (spec.domain.lo + spec.domain.hi) / 2 + 0.25 : 1.75;
    const out = spec.fn(v);
    expect(out.shape).toEqual([]);
    const dtype: RDType = spec.kind === "bool" ? "bool" : "float32";
    expect(out.dtype).toBe(dtype);
    expect(Number(out.item())).toBeCloseTo(map([], () => spec.ref(v), dtype).data[0]!, 5);
  });
});

describe("JS booleans as operands", () => {
  it("every unary function returns an array for `true` (bool stays bool where NumPy keeps it)", () => {
    for (const spec of UNARY.filter((u) => u.dtypes.includes("bool"))) {
      const out = spec.fn(true);
      expect(out.shape, spec.name).toEqual([]);
      const dtype: RDType = spec.kind === "bool" ? "bool" : spec.kind === "inexact" ? "float32" : "bool";
      expect(out.dtype, spec.name).toBe(dtype);
      expect(Number(out.item()), spec.name).toBeCloseTo(map([], () => spec.ref(1), dtype).data[0]!, 6);
    }
  });
});

describe("special values", () => {
  const special = np.array([NaN, Infinity, -Infinity, 0, -0, 1, -1]);
  const values = [NaN, Infinity, -Infinity, 0, -0, 1, -1];

  it.each(MODES)("exp, log, sqrt, tanh, sigmoid, isnan, isfinite agree with Math on NaN/±inf/±0 (%s)", (mode) => {
    const fns: [string, (x: NDArray) => NDArray, (v: number) => number][] = [
      ["exp", np.exp, Math.exp],
      ["log", np.log, Math.log],
      ["sqrt", np.sqrt, Math.sqrt],
      ["tanh", np.tanh, Math.tanh],
      ["sigmoid", np.sigmoid, (v) => 1 / (1 + Math.exp(-v))],
      ["abs", np.abs, Math.abs],
      ["negative", np.negative, (v) => -v],
    ];
    for (const [name, fn, ref] of fns) {
      const got = Array.from(runMode(mode, fn, [special]).dataSync());
      expect(got, name).toEqual(values.map((v) => Math.fround(ref(v))));
    }
    expect(Array.from(runMode(mode, np.isnan, [special]).dataSync())).toEqual([1, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(runMode(mode, np.isfinite, [special]).dataSync())).toEqual([0, 0, 0, 1, 1, 1, 1]);
  });

  it("functions of constants broadcast to arrays (literals in generated code: -0, -inf, NaN, negatives)", () => {
    const specials = [-0, 0, -Infinity, Infinity, NaN, -2.5, 3];
    for (const spec of UNARY.filter((u) => u.dtypes.includes("float32"))) {
      for (const v of specials) {
        const expected = map([map([], () => v, "float32")], spec.ref, spec.kind === "bool" ? "bool" : "float32");
        const want = broadcastTo(expected, [3]);
        checkAllModes(() => spec.fn(np.full([3], v)), [], want, { rtol: 1e-5, atol: 1e-6 }, `${spec.name}(${v})`);
      }
    }
    for (const spec of BINARY.filter((b) => b.kind !== "logical")) {
      for (const v of specials) {
        const want = broadcastTo(map([map([], () => v, "float32"), map([], () => -0.5, "float32")], spec.ref, resultDType(spec.kind, strong("float32"), strong("float32"))), [2]);
        checkAllModes(() => spec.fn(np.full([2], v), np.full([2], -0.5)), [], want, undefined, `${spec.name}(${v}, -0.5)`);
      }
    }
  });

  it.each(MODES)("maximum/minimum propagate NaN (%s)", (mode) => {
    const a = np.array([NaN, 1, 2]);
    const b = np.array([0, NaN, 3]);
    expect(Array.from(runMode(mode, np.maximum, [a, b]).dataSync())).toEqual([NaN, NaN, 3]);
    expect(Array.from(runMode(mode, np.minimum, [a, b]).dataSync())).toEqual([NaN, NaN, 2]);
  });

  it.each(MODES)("round rounds half to even, like NumPy (%s)", (mode) => {
    const x = np.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5, 2.4, -2.6]);
    expect(Array.from(runMode(mode, np.round, [x]).dataSync())).toEqual([-2, -2, -0, 0, 2, 2, 4, 2, -3]);
  });

  it.each(MODES)("integer floorDivide and mod follow Python's signs (%s)", (mode) => {
    const a = np.array([7, -7, 7, -7, 6, -6, 0], { dtype: "int32" });
    const b = np.array([2, 2, -2, -2, 3, 3, 5], { dtype: "int32" });
    expect(Array.from(runMode(mode, np.floorDivide, [a, b]).dataSync())).toEqual([3, -4, -4, 3, 2, -2, 0]);
    expect(Array.from(runMode(mode, np.mod, [a, b]).dataSync())).toEqual([1, 1, -1, -1, 0, 0, 0]);
  });

  it.each(MODES)("int32 arithmetic wraps like int32 (%s)", (mode) => {
    const a = np.array([2147483647, -2147483648, 65536], { dtype: "int32" });
    expect(Array.from(runMode(mode, (x) => np.add(x, 1), [a]).dataSync())).toEqual([-2147483648, -2147483647, 65537]);
    expect(Array.from(runMode(mode, (x) => np.multiply(x, x), [a]).dataSync())).toEqual([1, 0, 0]);
  });
});

// --- where and clip ------------------------------------------------------------------------

describe("np.where", () => {
  it("selects with broadcasting of condition and both branches, any condition dtype", () => {
    const rng = new Rng(77);
    for (const [cd, xd, yd] of [["bool", "float32", "float32"], ["float32", "int32", "float32"], ["int32", "int32", "bool"], ["bool", "bool", "bool"]] as const) {
      for (let trial = 0; trial < 4; trial++) {
        const shape = randomShape(rng);
        const c = randomArray(rng, broadcastPartner(rng, shape), cd, cd === "bool" ? undefined : { lo: -1, hi: 1 });
        const x = randomArray(rng, broadcastPartner(rng, shape), xd);
        const y = randomArray(rng, shape, yd);
        const dtype = resultType(strong(xd), strong(yd)).dtype;
        const expected = map([c.ref, x.ref, y.ref], (cv, xv, yv) => (cv !== 0 ? xv : yv), dtype);
        checkAllModes((p, q, r) => np.where(p, q, r), [c.x, x.x, y.x], expected, undefined, `${cd}/${xd}/${yd} [${shape}]`);
      }
    }
  });

  it("takes JS scalars for either branch (weak: the array's dtype wins)", () => {
    const rng = new Rng(78);
    const x = randomArray(rng, [2, 3], "int32");
    const cond = (v: NDArray) => np.greater(v, 0);
    checkAllModes((v) => np.where(cond(v), v, 0), [x.x], map([x.ref], (a) => (a > 0 ? a : 0), "int32"));
    checkAllModes((v) => np.where(cond(v), 0.5, v), [x.x], map([x.ref], (a) => (a > 0 ? 0.5 : a), "float32"));
    const f = randomArray(rng, [4], "float32");
    checkAllModes((v) => np.where(np.less(v, 0), -1, 1), [f.x], map([f.ref], (a) => (a < 0 ? -1 : 1), "int32"));
  });
});

describe("np.clip", () => {
  it("clips with scalar and array bounds (either may be null)", () => {
    const rng = new Rng(79);
    const x = randomArray(rng, [3, 4], "float32");
    const lo = randomArray(rng, [4], "float32", { lo: -2, hi: 0 });
    checkAllModes((v) => np.clip(v, -1, 1), [x.x], map([x.ref], (a) => Math.min(Math.max(a, -1), 1), "float32"));
    checkAllModes((v) => np.clip(v, null, 0.5), [x.x], map([x.ref], (a) => Math.min(a, 0.5), "float32"));
    checkAllModes((v, l) => np.clip(v, l, null), [x.x, lo.x], map([x.ref, lo.ref], (a, l) => Math.max(a, l), "float32"));
    // Omitted bounds (JAX's clip(x, min=None, max=None)).
    checkAllModes((v) => np.clip(v, -0.5), [x.x], map([x.ref], (a) => Math.max(a, -0.5), "float32"));
    checkAllModes((v) => np.clip(v, undefined, 0.25), [x.x], map([x.ref], (a) => Math.min(a, 0.25), "float32"));
    expect(() => np.clip(x.x)).toThrow(/np\.clip needs a lower or an upper bound/);
  });
});

describe("NDArray operator methods forward to np", () => {
  it("add/sub/mul/div/pow/mod/neg/abs/exp/log/sqrt/tanh/gt/ge/lt/le/eq/ne/not/maximum/minimum", () => {
    const rng = new Rng(80);
    const a = randomArray(rng, [2, 3], "float32", { lo: 0.5, hi: 2 });
    const b = randomArray(rng, [3], "float32", { lo: 0.5, hi: 2 });
    const cases: [string, (x: NDArray, y: NDArray) => NDArray, (p: number, q: number) => number, RDType][] = [
      ["add", (x, y) => x.add(y), (p, q) => p + q, "float32"],
      ["sub", (x, y) => x.sub(y), (p, q) => p - q, "float32"],
      ["mul", (x, y) => x.mul(y), (p, q) => p * q, "float32"],
      ["div", (x, y) => x.div(y), (p, q) => p / q, "float32"],
      ["pow", (x, y) => x.pow(y), Math.pow, "float32"],
      ["mod", (x, y) => x.mod(y), (p, q) => p - Math.floor(p / q) * q, "float32"],
      ["maximum", (x, y) => x.maximum(y), Math.max, "float32"],
      ["minimum", (x, y) => x.minimum(y), Math.min, "float32"],
      ["neg", (x) => x.neg(), (p) => -p, "float32"],
      ["abs", (x) => x.abs(), Math.abs, "float32"],
      ["exp", (x) => x.exp(), Math.exp, "float32"],
      ["log", (x) => x.log(), Math.log, "float32"],
      ["sqrt", (x) => x.sqrt(), Math.sqrt, "float32"],
      ["tanh", (x) => x.tanh(), Math.tanh, "float32"],
      ["gt", (x, y) => x.gt(y), (p, q) => +(p > q), "bool"],
      ["ge", (x, y) => x.ge(y), (p, q) => +(p >= q), "bool"],
      ["lt", (x, y) => x.lt(y), (p, q) => +(p < q), "bool"],
      ["le", (x, y) => x.le(y), (p, q) => +(p <= q), "bool"],
      ["eq", (x, y) => x.eq(y), (p, q) => +(p === q), "bool"],
      ["ne", (x, y) => x.ne(y), (p, q) => +(p !== q), "bool"],
      ["not", (x, y) => x.gt(y).not(), (p, q) => +!(p > q), "bool"],
    ];
    for (const [name, fn, ref, dtype] of cases) {
      checkAllModes(fn, [a.x, b.x], map([a.ref, b.ref], ref, dtype), undefined, name);
    }
  });
});

describe("aliases", () => {
  it("absolute, remainder, trueDivide, amax, amin, asarray, flatten are the same functions", () => {
    expect(np.absolute).toBe(np.abs);
    expect(np.remainder).toBe(np.mod);
    expect(np.trueDivide).toBe(np.divide);
    expect(np.amax).toBe(np.max);
    expect(np.amin).toBe(np.min);
    expect(np.asarray).toBe(np.array);
    expect(np.flatten).toBe(np.ravel);
  });
});

describe("rounding and square keep NumPy 2's dtypes", () => {
  it("floor/ceil/round leave int and bool arrays unchanged; square of bool is logical and", async () => {
    const { np } = await import("tsjit");
    const ints = np.array([-2, 3], { dtype: "int32" });
    for (const f of [np.floor, np.ceil, np.round]) {
      expect(f(ints).dtype).toBe("int32");
      expect(f(ints).tolist()).toEqual([-2, 3]);
      expect(f(np.array([true, false])).dtype).toBe("bool");
    }
    expect(np.floor(np.array([-1.5, 2.5])).tolist()).toEqual([-2, 2]);
    expect(np.square(np.array([true, false])).tolist()).toEqual([true, false]);
  });
});
