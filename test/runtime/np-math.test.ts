// The elementwise composites (arcsin arccos arctan sinh cosh arcsinh arccosh arctanh cbrt
// trunc isinf logaddexp hypot copysign nanToNum) against Math.* in float64, in every mode,
// with their edge values (near 0, near the domain ends, past float32's exp range, infinities,
// NaN); gradients against the analytic derivatives; integer promotion.

import { describe, expect, it } from "vitest";
import { grad, np, vmap, type NDArray } from "tsjit";
import { Rng } from "../helpers/prng.js";
import { MODES, checkAllModes, runMode } from "../helpers/harness.js";
import { fromValues, map, type Ref } from "../helpers/reference.js";
import { caught } from "../helpers/errors.js";

const TOL = { rtol: 4e-6, atol: 0 };

function values(rng: Rng, lo: number, hi: number, extra: number[]): number[] {
  const xs = [...extra];
  for (let i = 0; i < 60; i++) xs.push(Math.fround(rng.uniform(lo, hi)));
  return xs.map(Math.fround);
}

const ref1 = (xs: number[], f: (v: number) => number): Ref => map([fromValues([xs.length], xs, "float32")], f, "float32");

describe("unary composites", () => {
  const rng = new Rng(7);
  const cases: [string, (x: NDArray) => NDArray, (v: number) => number, number[]][] = [
    ["arcsin", np.arcsin, Math.asin, values(rng, -1, 1, [0, -0, 1e-20, -1, 1, 0.99999994, -0.9999, 1.5, NaN])],
    ["arccos", np.arccos, Math.acos, values(rng, -1, 1, [0, 1, -1, 0.99999994, -0.99999994, 1e-8, 2, NaN])],
    ["arctan", np.arctan, Math.atan, values(rng, -50, 50, [0, 1e-30, -1e-7, 1e30, Infinity, -Infinity, NaN])],
    ["sinh", np.sinh, Math.sinh, values(rng, -10, 10, [0, 1e-20, -1e-6, 20, -20.5, 60, -88, 89.4, 100, -100, Infinity, NaN])],
    ["cosh", np.cosh, Math.cosh, values(rng, -10, 10, [0, 1e-20, 20, -21, 60, 89.4, -100, Infinity, -Infinity, NaN])],
    ["arcsinh", np.arcsinh, Math.asinh, values(rng, -100, 100, [0, 1e-30, -1e-6, 1e10, -1e18, 3e18, -1e30, 3e38, Infinity, -Infinity, NaN])],
    ["arccosh", np.arccosh, Math.acosh, values(rng, 1, 100, [1, 1.0000001, 1.5, 1e10, 3e18, 3e38, Infinity, 0.5, NaN])],
    ["arctanh", np.arctanh, Math.atanh, values(rng, -1, 1, [0, 1e-30, -1e-6, 0.99999994, -0.99999994, 1, -1, 1.5, NaN])],
    ["cbrt", np.cbrt, Math.cbrt, values(rng, -1000, 1000, [0, -0, 1e-30, -1e-38, 8, -27, 1e30, 3e38, Infinity, -Infinity, NaN])],
    ["trunc", np.trunc, Math.trunc, values(rng, -5, 5, [0, -0.5, 0.5, -2.5, 1e20, Infinity, NaN])],
    ["isinf", (x) => np.isinf(x).astype("float32"), (v) => +(Math.abs(v) === Infinity), [0, 1, Infinity, -Infinity, NaN, 3e38]],
    ["nanToNum", (x) => np.nanToNum(x), (v) => (Number.isNaN(v) ? 0 : v === Infinity ? 3.4028234663852886e38 : v === -Infinity ? -3.4028234663852886e38 : v), [0, 1, Infinity, -Infinity, NaN, -2]],
    ["nanToNum opts", (x) => np.nanToNum(x, { nan: -1, posinf: 9, neginf: -9 }), (v) => (Number.isNaN(v) ? -1 : v === Infinity ? 9 : v === -Infinity ? -9 : v), [0, Infinity, -Infinity, NaN, 5]],
  ];
  for (const [name, f, ref, xs] of cases) {
    it(`${name} matches Math in float64`, () => {
      checkAllModes((x) => f(x), [np.array(xs)], ref1(xs, ref), TOL, name);
    });
  }

  it("promote integers to float32, leave integers alone where NumPy does", () => {
    const i = np.array([1, -8, 0], { dtype: "int32" });
    expect(np.arcsinh(i).dtype).toBe("float32");
    expect(np.cbrt(i).dataSync()).toEqual(new Float32Array([1, -2, 0]));
    expect(np.trunc(i).dtype).toBe("int32");
    expect(np.nanToNum(i).dtype).toBe("int32");
    expect(Array.from(np.isinf(i).dataSync())).toEqual([0, 0, 0]);
  });

  it("differentiate to the analytic derivatives, including at 0 (odd extensions)", () => {
    const d: [string, (x: NDArray) => NDArray, (v: number) => number, number[]][] = [
      ["arcsin", np.arcsin, (v) => 1 / Math.sqrt(1 - v * v), [0, 0.3, -0.9]],
      ["arccos", np.arccos, (v) => -1 / Math.sqrt(1 - v * v), [0, 0.3, -0.9]],
      ["arctan", np.arctan, (v) => 1 / (1 + v * v), [0, 2, -7]],
      ["sinh", np.sinh, Math.cosh, [0, 1.5, -3, 25]],
      ["cosh", np.cosh, Math.sinh, [0, 1.5, -3, -25]],
      ["arcsinh", np.arcsinh, (v) => 1 / Math.sqrt(v * v + 1), [0, 0.5, -4]],
      ["arccosh", np.arccosh, (v) => 1 / Math.sqrt(v * v - 1), [1.5, 4]],
      ["arctanh", np.arctanh, (v) => 1 / (1 - v * v), [0, 0.5, -0.9]],
      ["cbrt", np.cbrt, (v) => 1 / (3 * Math.cbrt(v) ** 2), [1, -8, 0.2]],
    ];
    for (const [name, f, df, xs] of d) {
      for (const v of xs) {
        const g = grad((x: NDArray) => f(x))(np.array(v)).item();
        expect(Math.abs(g - df(v)), `${name}'(${v}) = ${g}, want ${df(v)}`).toBeLessThanOrEqual(1e-5 * Math.abs(df(v)) + 1e-6);
      }
    }
    // The clamped branches keep gradients finite where where() discards them.
    expect(grad((x: NDArray) => np.sum(np.sinh(x)))(np.array([100, -100, 0])).dataSync()[2]).toBe(1);
  });
});

describe("binary composites", () => {
  const rng = new Rng(8);
  const a = values(rng, -30, 30, [0, 0, 1e30, -1e30, Infinity, -Infinity, Infinity, NaN, 3e38, 1e-30, -0, 5]);
  const b = values(rng, -30, 30, [0, -0, 1e30, 1e30, Infinity, -Infinity, -Infinity, 1, 3e38, 1e-30, -2, -0]);
  const cases: [string, (x: NDArray, y: NDArray) => NDArray, (u: number, v: number) => number][] = [
    ["logaddexp", np.logaddexp, (u, v) => {
      if (u === v && !Number.isNaN(u)) return u + Math.LN2;
      const m = Math.max(u, v);
      return m + Math.log1p(Math.exp(-Math.abs(u - v)));
    }],
    ["hypot", np.hypot, Math.hypot],
    ["copysign", np.copysign, (u, v) => (v < 0 || Object.is(v, -0) ? -Math.abs(u) : Math.abs(u))],
  ];
  for (const [name, f, ref] of cases) {
    it(`${name} matches float64 with overflow-free forms`, () => {
      const r = map([fromValues([a.length], a, "float32"), fromValues([b.length], b, "float32")], ref, "float32");
      checkAllModes((x, y) => f(x, y), [np.array(a), np.array(b)], r, TOL, name);
    });
  }

  it("broadcast, batch and reject bad options", () => {
    const out = np.hypot(np.array([[3], [5]]), np.array([4, 12]));
    expect(out.shape).toEqual([2, 2]);
    Array.from(out.dataSync()).forEach((v, i) => expect(v).toBeCloseTo([5, Math.hypot(3, 12), Math.hypot(5, 4), 13][i]!, 5));
    for (const mode of MODES) {
      const v = runMode(mode, (x) => vmap((r: NDArray) => np.logaddexp(r, 0))(x), [np.array([[0, 1], [2, 3]])]);
      expect(v.shape).toEqual([2, 2]);
    }
    expect(caught(() => np.nanToNum(np.ones([2]), { nan: "0" as never })).message).toMatch(/np\.nanToNum: nan must be a number/);
    expect(caught(() => np.hypot("a" as never, 1)).message).toMatch(/np\.hypot requires arrays or scalars/);
  });
});
