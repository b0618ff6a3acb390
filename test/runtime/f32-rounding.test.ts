// float32 semantics of fused kernels: every float32 intermediate is rounded to float32, so a
// jitted program, the interpreter and eager mode (which rounds at every op's store) agree
// bit for bit, and agree with NumPy's float32 wherever the op is correctly rounded
// (+ - * / sqrt, floor, comparisons, casts). References are computed step by step with
// Math.fround, which is exactly what NumPy float32 does for those ops.

import { describe, expect, it } from "vitest";
import { jit, np, type NDArray } from "tsjit";
import { MODES, runMode } from "../helpers/harness.js";
import { LeafSpec, specialize } from "../../runtime/specialize/specialize.js";
import type { PrebuiltKernel } from "../../runtime/jit/prebuilt.js";

const f = Math.fround;

/** -200, -199.9, ..., 200 as float32 (4001 points). */
const grid = Array.from({ length: 4001 }, (_, i) => f(-200 + i * 0.1));

/** Every mode's result, as numbers. */
function allModes(fn: (...xs: NDArray[]) => NDArray, args: NDArray[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const mode of MODES) out[mode] = Array.from(runMode(mode, fn, args).dataSync(), Number);
  return out;
}

/** Indices where `got` differs from `want` (Object.is: -0 and NaN count), at most 5. */
function mismatches(got: readonly number[], want: readonly number[]): string[] {
  const bad: string[] = [];
  for (let i = 0; i < want.length && bad.length < 5; i++) {
    if (!Object.is(got[i], want[i])) bad.push(`[${i}] got ${got[i]}, want ${want[i]}`);
  }
  return bad;
}

function expectBitExact(fn: (...xs: NDArray[]) => NDArray, args: NDArray[], want: readonly number[]): void {
  const got = allModes(fn, args);
  for (const mode of MODES) {
    expect(got[mode]!.length, mode).toBe(want.length);
    expect(mismatches(got[mode]!, want), mode).toEqual([]);
  }
}

describe("float32 intermediates in fused kernels", () => {
  it("floor(x / 0.1) matches float32 step by step (the issue's three values, then a 4001-point grid)", () => {
    expectBitExact((x) => np.floor(x.div(0.1)), [np.array([-199.8, 2.3, 5.1])], [-1998, 23, 51]);
    expectBitExact((x) => np.floor(x.div(0.1)), [np.array(grid)], grid.map((v) => Math.floor(f(v / f(0.1)))));
  });

  it("prebuilt kernels (build-time specialization) round the same way", () => {
    const fn = (x: NDArray) => np.floor(x.div(0.1)).add(np.equal(x.mul(0.1).mul(10), x));
    const s = specialize({ fn, name: "fn", params: ["x"], staticPositions: new Set(), args: [new LeafSpec("float32", ["n"])] });
    if (!s.ok) throw new Error(s.reason);
    const kernel = new Function(`return (${s.entries[0]!.code});`)() as PrebuiltKernel;
    const pre = jit(fn, {}, { params: ["x"], prebuilt: [kernel] });
    const want = grid.map((v) => Math.floor(f(v / f(0.1))) + +(f(f(v * f(0.1)) * 10) === v));
    expect(mismatches(Array.from(pre(np.array(grid)).dataSync()), want)).toEqual([]);
    expect(pre.stats.prebuiltHits).toBe(1);
  });

  it("a float iota beyond 2^24 is rounded like a float32 store", () => {
    const n = 2 ** 24 + 8;
    const tail = (v: NDArray) => np.equal(np.arange(0, n, 1, { dtype: "float32" }).slice([n - 8, n]), v).astype("int32");
    const x = np.array(Array.from({ length: 8 }, (_, i) => f(2 ** 24 + i)));
    expectBitExact(tail, [x], [1, 1, 1, 1, 1, 1, 1, 1]);
  });

  it("x * 0.1 * 10 == x as in float32", () => {
    const want = grid.map((v) => +(f(f(v * f(0.1)) * 10) === v));
    expectBitExact((x) => np.equal(x.mul(0.1).mul(10), x).astype("int32"), [np.array(grid)], want);
  });

  it("astype(int32) and comparisons see the rounded value", () => {
    const want = grid.map((v) => f(f(v * f(0.3)) / f(0.7)) | 0);
    expectBitExact((x) => x.mul(0.3).div(0.7).astype("int32"), [np.array(grid)], want);
    const lt = grid.map((v) => +(f(f(v + f(0.1)) - v) < f(0.1)));
    expectBitExact((x) => np.less(x.add(0.1).sub(x), 0.1).astype("int32"), [np.array(grid)], lt);
  });

  it("exp(x) / exp(x - 1) overflows to inf/NaN as in float32", () => {
    // exp(88.75) is finite in float64 and past float32's max (3.4e38, e^88.72): inf / finite = inf.
    const x = np.array([1, 88.5, 88.75, 89, 100]);
    const got = allModes((v) => np.exp(v).div(np.exp(v.sub(1))), [x]);
    for (const mode of MODES) {
      const r = got[mode]!;
      expect(r[0], mode).toBeCloseTo(Math.E, 5);
      expect(r[1], mode).toBeCloseTo(Math.E, 5);
      expect(r.slice(2), mode).toEqual([Infinity, Infinity, NaN]);
    }
  });

  it("a rank-0 chain and a scalar argument round like arrays", () => {
    const want = f(f(f(0.7) * f(0.1)) * 10);
    expectBitExact((x) => x.mul(0.1).mul(10), [np.asarray(0.7)], [want]);
    // A plain number argument is a weak float32: rounded on entry.
    expect(jit((s: number) => np.asarray(s).mul(1))(0.1).item()).toBe(f(0.1));
  });

  it("fused reductions use the rounded body and round their result (sum in float64, rounded once)", () => {
    const xs = grid.slice(0, 333);
    let acc = 0;
    for (const v of xs) acc += f(v * f(0.1));
    const want = f(f(acc) / 333);
    expectBitExact((x) => np.mean(x.mul(0.1)), [np.array(xs)], [want]);
  });

  it("eager, jit and interpreter agree bit for bit on transcendental chains", () => {
    const x = np.array(grid.map((v) => v / 50));
    const fn = (v: NDArray) => np.tanh(np.exp(np.sin(v)).mul(np.log(np.abs(v).add(1)))).add(np.sqrt(np.abs(v)));
    const got = allModes(fn, [x]);
    expect(mismatches(got.jit!, got.eager!)).toEqual([]);
    expect(mismatches(got.interpreter!, got.eager!)).toEqual([]);
  });
});
