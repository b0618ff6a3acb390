// erf / erfc (primitives): float32 accuracy over the whole range in every mode, relative
// near 0 for erf and in the far tail for erfc; special values; JVP (grad) and vmap;
// nn.gelu(approximate: false) through erf; the lax and nn exports.

import { describe, expect, it } from "vitest";
import { ArgumentError, grad, jit, lax, nn, np, vmap } from "tsjit";
import { Rng } from "../helpers/prng.js";
import { MODES, runMode } from "../helpers/harness.js";
import { ERF_KNOWN, refErf, refErfc } from "../helpers/erf-reference.js";
import { caught } from "../helpers/errors.js";

const MIN_NORMAL = 1.1754943508222875e-38;

/** Relative error bound for a float32 result: rounding (6e-8) plus the approximation's few ulps. */
function expectRel(got: ArrayLike<number>, want: readonly number[], rtol: number, what: string): void {
  const bad: string[] = [];
  for (let i = 0; i < want.length; i++) {
    const g = Number(got[i]), w = want[i]!;
    if (Number.isNaN(w) ? Number.isNaN(g) : g === w) continue;
    // Below float32's normal range only absolute accuracy (a subnormal's spacing) exists.
    const bound = Math.abs(w) < MIN_NORMAL ? 2e-45 : rtol * Math.abs(w);
    if (!(Math.abs(g - w) <= bound) && bad.length < 6) bad.push(`x[${i}]: got ${g}, want ${w}`);
  }
  expect(bad, what).toEqual([]);
}

function sweep(): number[] {
  // Log-uniform magnitudes from 1e-20 to 11, both signs, plus the piece boundaries.
  const rng = new Rng(1234);
  const xs = [0, -0, 1, -1, Math.fround(0.9999999), Math.fround(1.0000001), 2, -2, 10, -10, 12, 13];
  for (let i = 0; i < 400; i++) xs.push(Math.fround((rng.bool() ? 1 : -1) * Math.exp(rng.uniform(Math.log(1e-20), Math.log(11)))));
  return xs;
}

describe("np.erf / np.erfc", () => {
  it("match 20-digit known values in every mode", () => {
    const xs = ERF_KNOWN.map(([x]) => Math.fround(x));
    // The known values are at the exact x; the inputs are float32 roundings of it: use the reference there.
    for (const mode of MODES) {
      const [e, c] = runMode(mode, (x) => [np.erf(x), np.erfc(x)] as never, [np.array(xs)]) as unknown as [ReturnType<typeof np.erf>, ReturnType<typeof np.erf>];
      expectRel(e.dataSync(), xs.map(refErf), 3e-7, `erf ${mode}`);
      expectRel(c.dataSync(), xs.map(refErfc), 3e-7, `erfc ${mode}`);
    }
    // The reference itself against mpmath at the exact points.
    for (const [x, e, c] of ERF_KNOWN) {
      expect(Math.abs(refErf(x) - e)).toBeLessThanOrEqual(1e-14 * Math.abs(e));
      expect(Math.abs(refErfc(x) - c)).toBeLessThanOrEqual(1e-12 * Math.abs(c));
    }
  });

  it("are accurate to float32 over the whole range, relative near 0 (erf) and in the tail (erfc)", () => {
    const xs = sweep();
    for (const mode of MODES) {
      const e = runMode(mode, (x) => np.erf(x), [np.array(xs)]);
      const c = runMode(mode, (x) => np.erfc(x), [np.array(xs)]);
      expect(e.dtype).toBe("float32");
      expectRel(e.dataSync(), xs.map(refErf), 3e-7, `erf ${mode}`);
      expectRel(c.dataSync(), xs.map(refErfc), 3e-7, `erfc ${mode}`);
    }
  });

  it("give the limits at ±inf, propagate NaN and promote integers to float32", () => {
    const e = np.erf(np.array([Infinity, -Infinity, NaN])).dataSync();
    expect(Array.from(e)).toEqual([1, -1, NaN]);
    const c = jit((x) => np.erfc(x))(np.array([Infinity, -Infinity, NaN])).dataSync();
    expect(Array.from(c)).toEqual([0, 2, NaN]);
    const i = np.erf(np.array([0, 1, 2], { dtype: "int32" }));
    expect(i.dtype).toBe("float32");
    expectRel(i.dataSync(), [0, 1, 2].map(refErf), 3e-7, "int input");
    expect(np.erf(0.5).dataSync()[0]).toBeCloseTo(refErf(0.5), 6);
  });

  it("differentiate to 2/√π·e^(-x²) (and its negative for erfc), under grad and jit(grad)", () => {
    const xs = [-3, -1, -0.2, 0, 0.4, 1.5, 4];
    for (const x of xs) {
      const want = (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x);
      const g = grad((v) => np.erf(v))(np.array(x)).dataSync()[0]!;
      const gc = jit(grad((v) => np.erfc(v)))(np.array(x)).dataSync()[0]!;
      expect(Math.abs(g - want)).toBeLessThanOrEqual(1e-6 * want + 1e-30);
      expect(Math.abs(gc + want)).toBeLessThanOrEqual(1e-6 * want + 1e-30);
    }
    // Second derivative: -2x · erf'(x).
    const h = grad(grad((v) => np.erf(v)))(np.array(0.7)).dataSync()[0]!;
    expect(h).toBeCloseTo(-2 * 0.7 * (2 / Math.sqrt(Math.PI)) * Math.exp(-0.49), 5);
  });

  it("batch under vmap", () => {
    const x = np.array([[0.1, -0.5], [2, 3]]);
    const out = vmap((r) => np.add(np.erf(r), np.erfc(r)))(x).dataSync();
    for (const v of out) expect(v).toBeCloseTo(1, 6);
  });

  it("are exported by lax and nn, and nn.gelu(approximate: false) uses erf", () => {
    expect(lax.erf(np.array([0.5])).dataSync()[0]).toBe(np.erf(np.array([0.5])).dataSync()[0]);
    expect(lax.erfc(np.array([3])).dataSync()[0]).toBe(np.erfc(np.array([3])).dataSync()[0]);
    expect(nn.erf(np.array([0.25])).dataSync()[0]).toBe(np.erf(np.array([0.25])).dataSync()[0]);
    const xs = [-6, -2, -0.5, -1e-4, 0, 1e-4, 0.5, 2, 6];
    const want = xs.map((x) => 0.5 * x * (1 + refErf(x / Math.SQRT2)));
    for (const mode of MODES) {
      const g = runMode(mode, (x) => nn.gelu(x, { approximate: false }), [np.array(xs)]);
      const bad = want.filter((w, i) => !(Math.abs(g.dataSync()[i]! - w) <= 1e-6 * Math.abs(w) + 1e-12));
      expect(bad, mode).toEqual([]);
    }
  });

  it("lax.erfInv inverts erf to float32 accuracy (Newton on the float64 reference)", () => {
    const ys = [-0.999, -0.9, -0.5, -1e-6, 0, 1e-8, 0.1, 0.3, 0.7, 0.95, 0.9999];
    const want = ys.map((y0) => {
      const y = Math.fround(y0);
      let x = 0;
      for (let i = 0; i < 100; i++) x -= (refErf(x) - y) / ((2 / Math.sqrt(Math.PI)) * Math.exp(-x * x));
      return x;
    });
    for (const mode of MODES) {
      const got = runMode(mode, (v) => lax.erfInv(v), [np.array(ys)]).dataSync();
      // Near ±1, x·x rounds before 1 - x² (XLA's formula, kept for JAX-identical random.normal): 1e-5 there.
      want.forEach((w, i) => expect(Math.abs(got[i]! - w), `${mode} erfInv(${ys[i]}) = ${got[i]}, want ${w}`).toBeLessThanOrEqual((Math.abs(ys[i]!) > 0.99 ? 1e-5 : 2e-6) * Math.abs(w) + 1e-12));
    }
    expect(Array.from(lax.erfInv(np.array([1, -1])).dataSync())).toEqual([Infinity, -Infinity]);
  });

  it("reject non-array arguments naming the function", () => {
    const e = caught(() => np.erf("x" as never));
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e.message).toMatch(/np\.erf/);
  });
});
