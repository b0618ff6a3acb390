// np.floorDivide / np.mod on floats follow NumPy's divmod (npy_divmod) in float32, bit for
// bit, in every mode; np.power follows C's powf where Math.pow differs. The reference below
// is NumPy's algorithm written out with Math.fround after every float32 operation (checked
// against NumPy 2 float32 on this grid when it was written).

import { describe, expect, it } from "vitest";
import { np, type NDArray } from "tsjit";
import { MODES, runMode } from "../helpers/harness.js";

const f = Math.fround;

/** NumPy's npy_divmod for float32 operands: [floor quotient, remainder]. */
function npyDivmod(a: number, b: number): [number, number] {
  const mod0 = a % b; // fmod: exact
  if (b === 0) return [f(a / b), mod0];
  let div = f(f(a - mod0) / b);
  let mod = mod0;
  if (mod0 !== 0) {
    if (b < 0 !== mod0 < 0) {
      mod = f(mod0 + b);
      div = f(div - 1);
    }
  } else {
    mod = b < 0 ? -0 : 0;
  }
  let floordiv: number;
  if (div !== 0) {
    floordiv = Math.floor(div);
    if (f(div - floordiv) > 0.5) floordiv = f(floordiv + 1);
  } else {
    floordiv = f(a / b) < 0 || Object.is(f(a / b), -0) ? -0 : 0;
  }
  return [floordiv, mod];
}

function bitMismatches(got: ArrayLike<number>, want: readonly number[], as: readonly number[], bs: readonly number[]): string[] {
  const bad: string[] = [];
  for (let i = 0; i < want.length && bad.length < 5; i++) {
    if (!Object.is(got[i], want[i])) bad.push(`(${as[i]}, ${bs[i]}): got ${got[i]}, want ${want[i]}`);
  }
  return bad;
}

function checkEveryMode(fn: (x: NDArray, y: NDArray) => NDArray, as: number[], bs: number[], want: number[]): void {
  for (const mode of MODES) {
    const got = runMode(mode, fn, [np.array(as), np.array(bs)]).dataSync();
    expect(bitMismatches(got, want, as, bs), mode).toEqual([]);
  }
}

describe("float floorDivide and mod follow NumPy's divmod", () => {
  it("the cases NumPy float32 gives (worked out with NumPy 2)", () => {
    const as = [-3.96, -5, 0.5, -0.5, 0.5, -0.5, 4, -4, 1, -1, Infinity, 7, 0, -0, 3];
    const bs = [-0.36, Infinity, 2, 2, -2, -2, -2, 2, 0, 0, 2, -Infinity, 3, 3, NaN];
    checkEveryMode(np.floorDivide, as, bs, [10, -1, 0, -1, -1, 0, -2, -2, Infinity, -Infinity, NaN, -1, 0, -0, NaN]);
    checkEveryMode(np.mod, as, bs, [f(-0.3599998950958252), Infinity, 0.5, 1.5, -1.5, -0.5, -0, 0, NaN, NaN, NaN, -Infinity, 0, 0, NaN]);
  });

  it("matches the float32 npy_divmod reference on a grid of 201 × 101 pairs", () => {
    const as: number[] = [], bs: number[] = [];
    for (let i = 0; i <= 200; i++) for (let j = 0; j <= 100; j++) {
      as.push(f(-4 + i * 0.04));
      bs.push(f(-1 + j * 0.02));
    }
    const ref = as.map((a, i) => npyDivmod(a, bs[i]!));
    checkEveryMode(np.floorDivide, as, bs, ref.map((r) => r[0]));
    checkEveryMode(np.mod, as, bs, ref.map((r) => r[1]));
    // b·floorDivide(a, b) + mod(a, b) recovers a within rounding (within |b| of a when div was snapped).
    const q = np.floorDivide(np.array(as), np.array(bs)).dataSync(), m = np.mod(np.array(as), np.array(bs)).dataSync();
    as.forEach((a, i) => {
      const b = bs[i]!;
      if (b !== 0) expect(Math.abs(b * q[i]! + m[i]! - a), `(${a}, ${b})`).toBeLessThan(1e-5 + 1e-6 * Math.abs(a / b));
    });
  });

  it("int32 floorDivide and mod are unchanged (exact)", () => {
    const as = [7, -7, 7, -7, 0, 6], bs = [2, 2, -2, -2, 3, -3];
    checkEveryMode(
      (x, y) => np.floorDivide(x.astype("int32"), y.astype("int32")).astype("float32"),
      as, bs, as.map((a, i) => Math.floor(a / bs[i]!) + 0));
  });
});

describe("np.power's special cases follow C's powf", () => {
  it("int32 powers wrap around exactly (NumPy's values)", () => {
    const as = [3, 3, -7, 2, 5, -2, 2, 0], bs = [40, 19, 13, 31, 0, 31, 32, 0];
    const want = [689956897, 1162261467, 1895237401, -2147483648, 1, -2147483648, 0, 1];
    for (const mode of MODES) {
      const got = runMode(mode, (x, y) => np.power(x, y), [np.array(as, { dtype: "int32" }), np.array(bs, { dtype: "int32" })]);
      expect(got.dtype).toBe("int32");
      expect(Array.from(got.dataSync()), mode).toEqual(want);
    }
  });

  it("pow(1, NaN) = 1, pow(-1, ±inf) = 1, pow(NaN, 0) = 1", () => {
    const as = [1, -1, -1, NaN, 2, 1, -2];
    const bs = [NaN, Infinity, -Infinity, 0, 0.5, Infinity, 3];
    checkEveryMode(np.power, as, bs, [1, 1, 1, 1, f(Math.SQRT2), 1, -8]);
  });
});
