// uint32: JAX's promotion (uint32 + int32 → int32 without x64; weak ints keep uint32),
// wrap-around arithmetic, XLA's shift semantics, conversions, printing and readback —
// eager, jit (code generator) and the interpreter must agree bit for bit.

import { describe, expect, it } from "vitest";
import { jit, np, type NDArray } from "tsjit";
import { forceInterpreter } from "../../runtime/backend/cpu/index.js";

const u = (xs: number[]) => np.array(Uint32Array.from(xs));
const list = (x: NDArray) => Array.from(x.dataSync() as ArrayLike<number>);

/** Runs `f` eagerly, under jit, and under jit through the interpreter; all three must agree. */
function all3(f: (...xs: NDArray[]) => NDArray, ...xs: NDArray[]): number[] {
  const eager = list(f(...xs));
  const jitted = list(jit(f)(...xs));
  forceInterpreter(true);
  let interp: number[];
  try { interp = list(jit((...ys: NDArray[]) => f(...ys))(...xs)); } finally { forceInterpreter(undefined); }
  expect(jitted).toEqual(eager);
  expect(interp).toEqual(eager);
  return eager;
}

describe("uint32", () => {
  it("reads back as Uint32Array, prints as u32, converts with astype", () => {
    const x = u([0, 1, 4294967295]);
    expect(x.dtype).toBe("uint32");
    expect(x.dataSync()).toBeInstanceOf(Uint32Array);
    expect(list(x)).toEqual([0, 1, 4294967295]);
    expect(String(x)).toContain("uint32");
    expect(jit((a: NDArray) => a.add(1)).lower(x).asText()).toContain("u32[3]");
    expect(list(np.array([-1, 5], { dtype: "int32" }).astype("uint32"))).toEqual([4294967295, 5]);
    expect(list(x.astype("int32"))).toEqual([0, 1, -1]);
    expect(list(x.astype("float32"))).toEqual([0, 1, 4294967296]);
    expect(list(np.array([-3.5, 2.7, 5e9, NaN]).astype("uint32"))).toEqual([0, 2, 4294967295, 0]);
  });

  it("promotes as JAX does without x64", () => {
    const x = u([1]);
    expect(np.add(x, np.array([1], { dtype: "int32" })).dtype).toBe("int32");
    expect(np.add(x, 1).dtype).toBe("uint32");
    expect(np.add(x, 1.5).dtype).toBe("float32");
    expect(np.add(x, np.array([true])).dtype).toBe("uint32");
    expect(np.add(x, np.array([1.5])).dtype).toBe("float32");
  });

  it("wraps around in + - * and negation; divides as XLA", () => {
    const a = u([4294967295, 0, 3000000000, 7]);
    const b = u([1, 1, 3000000000, 0]);
    expect(all3((x, y) => x.add(y), a, b)).toEqual([0, 1, (6000000000 % 4294967296), 7]);
    expect(all3((x, y) => x.sub(y), a, b)).toEqual([4294967294, 4294967295, 0, 7]);
    expect(all3((x, y) => x.mul(y), a, b)).toEqual([4294967295, 0, Number((3000000000n * 3000000000n) % 4294967296n), 0]);
    expect(all3((x, y) => np.floorDivide(x, y), a, b)).toEqual([4294967295, 0, 1, 4294967295]);
    expect(all3((x) => np.negative(x), a)).toEqual([1, 0, 1294967296, 4294967289]);
    expect(all3((x, y) => x.gt(y).astype("int32"), a, b)).toEqual([1, 0, 0, 1]);
    expect(all3((x) => x.sum(), a)).toEqual([Number((4294967295n + 3000000000n + 7n) % 4294967296n)]);
    expect(all3((x) => x.max(), a)).toEqual([4294967295]);
  });

  it("bitwise ops and shifts, with XLA's out-of-range counts", () => {
    const a = u([0x80000001, 0xffffffff, 0x12345678]);
    const s = u([1, 31, 32]);
    expect(all3((x, y) => np.bitwiseXor(x, y), a, s)).toEqual([0x80000000, 0xffffffe0, 0x12345658]);
    expect(all3((x) => np.bitwiseNot(x), a)).toEqual([0x7ffffffe, 0, 0xedcba987]);
    expect(all3((x, y) => np.leftShift(x, y), a, s)).toEqual([2, 0x80000000, 0]);
    expect(all3((x, y) => np.rightShift(x, y), a, s)).toEqual([0x40000000, 1, 0]);
    const i = np.array([-8, -8, 8, -8, 5], { dtype: "int32" });
    const c = np.array([1, 40, 40, -1, 0], { dtype: "int32" });
    expect(all3((x, y) => np.rightShift(x, y), i, c)).toEqual([-4, -1, 0, -1, 5]);
    expect(all3((x, y) => np.leftShift(x, y), i, c)).toEqual([-16, 0, 0, 0, 5]);
    expect(all3((x, y) => np.bitwiseAnd(x, y), i, c)).toEqual([-8 & 1, -8 & 40, 8 & 40, -8, 0]);
    expect(() => np.leftShift(np.array([1.5]), 1)).toThrow(/np.leftShift does not accept dtype float32/);
  });
});
