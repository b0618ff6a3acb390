// Accuracy of the wasm backend's polynomial transcendental functions (runtime/backend/wasm/
// math.ts) against a float64 reference rounded to float32, in ulps, over wide ranges:
// denormal, tiny, ordinary and huge arguments, overflow and underflow edges, ±0, ±inf, NaN.
// Every input runs through the SIMD loop and the scalar tail (the same function).

import { describe, expect, it } from "vitest";
import { jit, np, type NDArray } from "tsjit";
import { Rng } from "../helpers/prng.js";

const bits = new Float32Array(1);
const ints = new Int32Array(bits.buffer);
/** Position of a float32 on the number line of float32s (adjacent floats differ by 1). */
function ordinal(x: number): number {
  bits[0] = x;
  const i = ints[0]!;
  return i < 0 ? -(i & 0x7fffffff) : i;
}

function ulps(got: number, want: number): number {
  if (Number.isNaN(want)) return Number.isNaN(got) ? 0 : Infinity;
  if (!Number.isFinite(want) || !Number.isFinite(got)) return Object.is(got, want) ? 0 : Infinity;
  return Math.abs(ordinal(got) - ordinal(want));
}

/** Inputs: log-uniform magnitudes over [lo, hi] with both signs, plus special values. */
function inputs(rng: Rng, lo: number, hi: number, n: number, signs = true): number[] {
  const out = [0, -0, NaN, Infinity, -Infinity, 1e-45, -1e-45, 1.1754942e-38, 1e-30, 1];
  for (let i = 0; i < n; i++) {
    const mag = Math.exp(Math.log(lo) + rng.uniform(0, 1) * (Math.log(hi) - Math.log(lo)));
    out.push(signs && rng.uniform(0, 1) < 0.5 ? -mag : mag);
  }
  return out;
}

function measure(fn: (x: NDArray) => NDArray, ref: (x: number) => number, inputs: number[], absFloor = 0) {
  const xs = inputs.map(Math.fround); // the float32 arguments the kernel sees
  const got = jit(fn, { backend: "wasm" })(np.array(xs)).dataSync();
  let worst = 0, at = 0;
  for (let i = 0; i < xs.length; i++) {
    const want = Math.fround(ref(xs[i]!));
    // Near a zero of the function, an absolute error of `absFloor` is allowed (sin/cos).
    if (absFloor && Number.isFinite(want) && Math.abs(got[i]! - want) <= absFloor) continue;
    const u = ulps(got[i]!, want);
    if (u > worst) [worst, at] = [u, xs[i]!];
  }
  return { worst, at };
}

describe("wasm transcendental functions: ulps against float64", () => {
  const rng = new Rng(2024);
  const cases: [string, (x: NDArray) => NDArray, (x: number) => number, number[], number, number][] = [
    ["exp", np.exp, Math.exp, [...inputs(rng, 1e-8, 104, 20000), 88.72, 88.73, -87.3, -103.9, -104, 89, 0.5 * Math.LN2], 1, 0],
    ["log", np.log, Math.log, [...inputs(rng, 1e-45, 3e38, 20000, false), -1, 0.7071, 1 + 1e-7, 3.4028235e38], 1, 0],
    ["tanh", np.tanh, Math.tanh, [...inputs(rng, 1e-30, 30, 20000), 0.625, -0.625, 0.6249], 2, 0],
    ["sigmoid", np.sigmoid, (x) => 1 / (1 + Math.exp(-x)), inputs(rng, 1e-8, 120, 20000), 2, 0],
    ["sin", np.sin, Math.sin, [...inputs(rng, 1e-20, 8192, 20000), ...inputs(rng, 8192, 1e30, 200)], 1, 0],
    ["cos", np.cos, Math.cos, [...inputs(rng, 1e-20, 8192, 20000), ...inputs(rng, 8192, 1e30, 200)], 1, 0],
  ];
  for (const [name, fn, ref, xs, bound, absFloor] of cases) {
    it(`${name}: within ${bound} ulp${absFloor ? ` (or ${absFloor} absolute)` : ""} over ${xs.length} inputs`, () => {
      const { worst, at } = measure(fn, ref, xs, absFloor);
      expect(worst, `${name}: worst ${worst} ulp at ${at}`).toBeLessThanOrEqual(bound);
    });
  }
});
