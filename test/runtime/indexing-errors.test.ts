// Bad indices give named errors (the function, the shapes/dtypes, the fix) — never a wrong
// result or a crash.

import { describe, expect, it } from "vitest";
import { ArgumentError, ConcretizationTypeError, DTypeError, ShapeError, jit, lax, np, type NDArray } from "tsjit";
import { caught } from "../helpers/errors.js";

const i32 = (v: number | number[]) => np.array(v as never, { dtype: "int32" });
const x = np.arange(12).reshape([3, 4]);

describe("indexing errors", () => {
  it("a float index array or scalar names the dtype and astype", () => {
    const e = caught(() => x.slice(np.array([0, 1])));
    expect(e).toBeInstanceOf(DTypeError);
    expect(e.message).toMatch(/slice: the index array on axis 0 must have an integer dtype, got f32\[2\]/);
    expect(e.message).toContain("astype(\"int32\")");
    expect(caught(() => jit((x: NDArray, i: NDArray) => x.slice(i))(x, np.array(1.5)))).toBeInstanceOf(DTypeError);
  });

  it("a boolean mask on a traced array under jit points to np.where", () => {
    const e = caught(() => jit((x: NDArray) => x.slice(np.greater(x, 3)))(x));
    expect(e).toBeInstanceOf(ConcretizationTypeError);
    expect(e.message).toContain("boolean mask index");
    expect(e.message).toContain("np.where(mask, x, fill)");
    const m = caught(() => x.slice(np.array([true, false])));
    expect(m).toBeInstanceOf(ShapeError);
    expect(m.message).toContain("boolean mask of shape (2,) does not match the indexed axes (3,)");
  });

  it("what the build reports as TS990002 (test/cases/bool-mask-index) throws this error at run time; the negative case runs", async () => {
    const bad = await import("../cases/bool-mask-index/input.js");
    const good = await import("../cases/negative-index-arrays/input.js");
    const v = np.array([1, -2, 3]);
    const calls = [() => bad.positives(v), () => bad.masked(v, np.array(0)), () => bad.clearNegatives(v), () => bad.byMask(x, np.array([true, false, true, true]))];
    for (const c of calls) {
      const e = caught(c);
      expect(e).toBeInstanceOf(ConcretizationTypeError);
      expect(e.message).toContain("boolean mask index");
      expect(e.message).toContain("np.where(mask, x, fill)");
    }
    const m = np.arange(9).reshape([3, 3]).astype("float32");
    expect(good.gather(m, i32([2, 0])).shape).toEqual([2, 3]);
    expect(good.dynamic(m, i32(1)).shape).toEqual([3]);
    expect(good.computed(m).shape).toEqual([3, 3]);
    expect(good.unknownDtype(m, i32([1])).shape).toEqual([1, 3]);
    expect(good.captured(m).item()).toBe(0 + 1 + 2 + 6 + 7 + 8);
    expect(good.selected(m).item()).toBe(36);
  });

  it("static ints next to index arrays are bounds-checked; index arrays must broadcast", () => {
    expect(caught(() => x.slice(5, i32([0]))).message).toContain("index 5 is out of bounds for axis 0 with size 3");
    const b = caught(() => x.slice(i32([0, 1]), i32([0, 1, 2])));
    expect(b.message).toMatch(/\(2,\).*\(3,\)|incompatible|broadcast/);
    expect(caught(() => x.slice(i32([0]), i32([0]), i32([0]))).message).toContain("too many indices");
  });

  it("lax.dynamicSlice / dynamicUpdateSlice / dynamicIndexInDim validate their arguments", () => {
    const s = caught(() => lax.dynamicSlice(x, [0], [1, 1]));
    expect(s).toBeInstanceOf(ShapeError);
    expect(s.message).toContain("lax.dynamicSlice: starts needs one entry per axis of the operand i32[3,4], got 1");
    const z = caught(() => lax.dynamicSlice(x, [0, 0], [4, 1]));
    expect(z).toBeInstanceOf(ShapeError);
    expect(z.message).toContain("dynamic_slice sizes (4, 1) do not fit the operand i32[3,4]");
    expect(caught(() => lax.dynamicSlice(x, [i32([0]), 0], [1, 1])).message).toContain("must be a number or a scalar integer array, got i32[1]");
    expect(caught(() => lax.dynamicSlice(x, [0.5, 0], [1, 1]))).toBeInstanceOf(ArgumentError);
    const u = caught(() => lax.dynamicUpdateSlice(x, np.ones([4, 1], { dtype: "int32" }), [0, 0]));
    expect(u.message).toContain("cannot place an update of shape (4, 1) into i32[3,4]");
    expect(caught(() => lax.dynamicUpdateSlice(x, np.ones([4]), [0, 0])).message).toContain("must have the operand's rank");
    expect(caught(() => lax.dynamicIndexInDim(x, 0, 2))).toBeInstanceOf(Error);
  });

  it("np.take / takeAlongAxis: bad mode, rank mismatch, 0-d operand", () => {
    expect(caught(() => np.take(x, i32([0]), { mode: "wrap" as never }))).toBeInstanceOf(ArgumentError);
    const r = caught(() => np.takeAlongAxis(x, i32([0, 1]), 1));
    expect(r).toBeInstanceOf(ShapeError);
    expect(r.message).toContain("indices i32[2] must have the rank of x i32[3,4]");
    expect(caught(() => np.take(np.array(1), i32([0]), { axis: 0 }))).toBeInstanceOf(Error);
    expect(caught(() => np.take(np.zeros([0, 3]), i32([0]), { axis: 0 })).message).toContain("gather: cannot index axis 0 of f32[0,3]: it is empty");
  });

  it("x.at(...): 0-d arrays, add on bool, bad update shapes", () => {
    expect(caught(() => np.array(1).at(0).set(2))).toBeInstanceOf(ShapeError);
    const b = caught(() => np.array([true, false]).at(i32([0])).add(true));
    expect(b).toBeInstanceOf(DTypeError);
    expect(b.message).toContain("scatter add is not defined on bool arrays");
    expect(caught(() => x.at(i32([0, 1])).set(np.ones([3, 4]))).message).toContain("x.at(...).set got incompatible shapes for broadcasting: (3, 4), (2, 4)");
  });
});
