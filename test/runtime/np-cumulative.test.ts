// np.cumsum/np.cumprod and lax.cumsum/cumprod/cummax/cummin against an independent float64
// (BigInt for integers) reference (test/helpers/cumulative-reference.ts): random shapes,
// axes (negative, null = flattened), reverse, float32/int32/uint32/bool, NaN, long rows,
// int overflow wrapping, the dtype option — in every mode (eager, jit, interpreter, wasm);
// the compiled program is one cumulative step (no unrolled scan); every error path.

import { describe, expect, it } from "vitest";
import { ArgumentError, DTypeError, ShapeError, jit, lax, np, type NDArray } from "tsjit";
import { Rng } from "../helpers/prng.js";
import { MODES, runMode } from "../helpers/harness.js";
import { expectCumulative, refCumulative, type CumDType, type CumOp } from "../helpers/cumulative-reference.js";

const LAX: Record<CumOp, (x: NDArray, axis?: number, reverse?: boolean) => NDArray> = { sum: lax.cumsum, prod: lax.cumprod, max: lax.cummax, min: lax.cummin };

function values(r: Rng, n: number, dtype: CumDType | "bool", op: CumOp): number[] {
  return Array.from({ length: n }, () => {
    if (dtype === "bool") return r.bool(0.5) ? 1 : 0;
    if (dtype === "uint32") return op === "prod" ? r.int(0, 5) : r.int(0, 4294967295);
    if (dtype === "int32") return op === "prod" ? r.int(-5, 5) : r.int(-2147483648, 2147483647);
    if (r.bool(0.02) && op !== "prod") return NaN;
    return Math.fround(op === "prod" ? r.uniform(0.5, 1.5) : r.uniform(-10, 10));
  });
}

const read = (a: NDArray): number[] => Array.from(a.dataSync() as ArrayLike<number>, Number);

describe("cumulative folds vs a float64 reference", () => {
  const rng = new Rng(20261213);
  const cases = Array.from({ length: 64 }, (_, c) => {
    const rank = rng.int(1, 3);
    const shape = Array.from({ length: rank }, () => rng.pick([1, 2, 3, 5, 17]));
    const op = (["sum", "prod", "max", "min"] as const)[c % 4]!;
    const dtype = (["float32", "float32", "int32", "uint32"] as const)[Math.floor(c / 4) % 4]!;
    return { shape, op, dtype, axis: rng.int(-rank, rank - 1), reverse: rng.bool(0.5), mode: MODES[c % MODES.length]!, seed: c };
  });

  it.each(cases)("lax.cum$op $dtype$shape axis $axis reverse $reverse ($mode)", ({ shape, op, dtype, axis, reverse, mode, seed }) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const v = values(new Rng(seed), n, dtype, op);
    const x = np.array(v, { dtype }).reshape(shape);
    const [want, bound] = refCumulative(v, shape, axis < 0 ? axis + shape.length : axis, op, reverse, dtype);
    const out = runMode(mode, (x) => LAX[op](x, axis, reverse), [x]);
    expect(out.dtype).toBe(dtype);
    expect(out.shape).toEqual(shape);
    expectCumulative(read(out), want, bound, `cum${op} ${mode}`);
  });

  it("np.cumsum/np.cumprod: flattened by default, negative axes, bool → int32, the dtype option, in every mode", () => {
    const r = new Rng(3);
    const v = values(r, 24, "float32", "sum").map((q) => (Number.isNaN(q) ? 1 : q)), b = values(r, 24, "bool", "sum");
    const x = np.array(v).reshape(2, 3, 4), xb = np.array(b.map((q) => q === 1)).reshape(2, 3, 4);
    for (const mode of MODES) {
      const [flat, neg, bools, asInt, prod] = runMode(mode, (x, xb) => [np.cumsum(x), np.cumsum(x, -2), np.cumsum(xb, 2), np.cumsum(x, 0, "int32"), np.cumprod(xb, -1)], [x, xb]);
      let [w, e] = refCumulative(v, [24], 0, "sum", false, "float32");
      expectCumulative(read(flat!), w, e, `flat ${mode}`);
      [w, e] = refCumulative(v, [2, 3, 4], 1, "sum", false, "float32");
      expectCumulative(read(neg!), w, e, `axis -2 ${mode}`);
      expect(bools!.dtype).toBe("int32");
      [w, e] = refCumulative(b, [2, 3, 4], 2, "sum", false, "int32");
      expectCumulative(read(bools!), w, e, `bool ${mode}`);
      expect(asInt!.dtype).toBe("int32");
      [w, e] = refCumulative(v.map(Math.trunc), [2, 3, 4], 0, "sum", false, "int32");
      expectCumulative(read(asInt!), w, e, `dtype int32 ${mode}`);
      [w, e] = refCumulative(b, [2, 3, 4], 2, "prod", false, "int32");
      expectCumulative(read(prod!), w, e, `bool cumprod ${mode}`);
    }
  });

  it("cummax/cummin of bools stay bool", () => {
    const x = np.array([false, true, false]);
    expect(lax.cummax(x).dtype).toBe("bool");
    expect(read(lax.cummax(x))).toEqual([0, 1, 1]);
    expect(read(jit((x: NDArray) => lax.cummin(x, 0, true))(x))).toEqual([0, 0, 0]);
  });

  it("long rows along either axis, forward and reverse, in every mode", () => {
    const r = new Rng(11);
    for (const [shape, axis] of [[[5000], 0], [[3, 1200], 1], [[1200, 3], 0], [[2, 700, 3], 1]] as const) {
      const n = shape.reduce((a: number, b: number) => a * b, 1);
      for (const op of ["sum", "max"] as const) {
        const v = values(r, n, "float32", op);
        const x = np.array(v).reshape([...shape]);
        for (const reverse of [false, true]) {
          const [w, e] = refCumulative(v, shape, axis, op, reverse, "float32");
          for (const mode of MODES) expectCumulative(read(runMode(mode, (x) => LAX[op](x, axis, reverse), [x])), w, e, `${op} [${shape}] ${mode} reverse ${reverse}`);
        }
      }
    }
  });

  it("int32 and uint32 sums and products wrap modulo 2^32", () => {
    const i = np.array([2147483647, 1, 1, -2147483648, -1], { dtype: "int32" });
    const u = np.array([4294967295, 2, 65536, 65536], { dtype: "uint32" });
    for (const mode of MODES) {
      const [s, p, su, pu] = runMode(mode, (i, u) => [np.cumsum(i), np.cumprod(i.add(65535)), np.cumsum(u), np.cumprod(u)], [i, u]);
      expect(read(s!)).toEqual([2147483647, -2147483648, -2147483647, 1, 0]);
      const [w] = refCumulative([2147483647 + 65535 - 2 ** 32, 65536, 65536, 2147483647, 65534], [5], 0, "prod", false, "int32");
      expect(read(p!)).toEqual(w);
      expect(read(su!)).toEqual([4294967295, 1, 65537, 131073]);
      expect(read(pu!)).toEqual([4294967295, 4294967294, 4294836224, 0]);
    }
  });

  it("compiles to one cumulative equation (no unrolled or log-depth composite)", () => {
    const f = (x: NDArray) => np.cumsum(x, 0);
    const jaxpr = jit(f).lower(np.zeros([1024])).jaxpr.jaxpr;
    expect(jaxpr.eqns.map((e) => e.primitive.name)).toEqual(["cumsum"]);
  });

  it("errors name the function, the axis and the shape", () => {
    const x = np.zeros([2, 3]);
    expect(() => np.cumsum(x, 2)).toThrow(ShapeError);
    expect(() => np.cumsum(x, 2)).toThrow(/np\.cumsum.*axis 2/);
    expect(() => lax.cummax(x, -3)).toThrow(/lax\.cummax.*axis -3/);
    expect(() => np.cumprod(x, 1.5)).toThrow(/np\.cumprod/);
    expect(() => lax.cumsum(x, 0, "yes" as unknown as boolean)).toThrow(ArgumentError);
    expect(() => lax.cumsum(np.zeros([]), 0)).toThrow(/lax\.cumsum.*axis 0/);
    expect(() => jit((x: NDArray) => np.cumsum(x, 5))(x)).toThrow(ShapeError);
    void DTypeError;
  });
});
