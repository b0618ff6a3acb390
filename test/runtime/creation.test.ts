// Array creation (array, zeros, ones, full, *Like, arange, linspace, eye), inside and
// outside jit, and readback (data, dataSync, item, tolist, toString, conversions, dispose).

import { describe, expect, it } from "vitest";
import { ArgumentError, NDArray, ShapeError, TsjitError, jit, lax, np } from "tsjit";
import { EXACT, F32, MODES, checkAllModes, expectClose, runMode } from "../helpers/harness.js";
import { fromValues } from "../helpers/reference.js";

const values = (x: NDArray) => Array.from(x.dataSync(), Number);

describe("np.array", () => {
  it("infers shapes from nested data; numbers are float32, booleans bool", () => {
    const x = np.array([[1, 2, 3], [4, 5, 6]]);
    expect(x.shape).toEqual([2, 3]);
    expect(x.dtype).toBe("float32");
    expect(x.ndim).toBe(2);
    expect(x.size).toBe(6);
    expect(x.dataSync()).toEqual(new Float32Array([1, 2, 3, 4, 5, 6]));
    const b = np.array([[true], [false]]);
    expect([b.dtype, ...b.shape]).toEqual(["bool", 2, 1]);
    expect(b.dataSync()).toEqual(new Uint8Array([1, 0]));
    const s = np.array(2.5);
    expect([s.shape, s.dtype, s.item()]).toEqual([[], "float32", 2.5]);
    expect(np.array([]).shape).toEqual([0]);
    expect(np.array([[], []]).shape).toEqual([2, 0]);
  });

  it("rounds to float32 and converts to the requested dtype", () => {
    expect(np.array([0.1]).dataSync()[0]).toBe(Math.fround(0.1));
    expect(values(np.array([1.9, -1.9, 3], { dtype: "int32" }))).toEqual([1, -1, 3]);
    expect(np.array([1.9, -1.9], { dtype: "int32" }).dtype).toBe("int32");
    expect(values(np.array([0, 2, -1], { dtype: "bool" }))).toEqual([0, 1, 1]);
    expect(values(np.array([true, false], { dtype: "float32" }))).toEqual([1, 0]);
  });

  it("takes typed arrays (Int32Array → int32, Float32/64Array → float32; Uint8Array needs a dtype)", () => {
    expect(np.array(new Int32Array([1, 2])).dtype).toBe("int32");
    expect(np.array(new Float64Array([0.1])).dataSync()).toEqual(new Float32Array([0.1]));
    expect(np.array(new Float32Array([1, 2]), { dtype: "int32" }).dtype).toBe("int32");
    expect(() => np.array(new Uint8Array([1]))).toThrow(ArgumentError);
    expect(values(np.array(new Uint8Array([1, 0]), { dtype: "bool" }))).toEqual([1, 0]);
  });

  it("stacks lists of arrays and returns arrays unchanged (or converted)", () => {
    const a = np.array([1, 2]);
    expect(np.array(a)).toBe(a);
    expect(np.array(a, { dtype: "int32" }).dtype).toBe("int32");
    const s = np.array([a, np.array([3, 4])]);
    expect(s.shape).toEqual([2, 2]);
    expect(values(s)).toEqual([1, 2, 3, 4]);
  });

  it("rejects ragged data, in any order, and non-numeric elements", () => {
    expect(() => np.array([[1, 2], [3]])).toThrow(ShapeError);
    expect(() => np.array([[1], 2])).toThrow(ShapeError);
    expect(() => np.array([1, [2]])).toThrow(ShapeError);
    expect(() => np.array([1, [2, 3]])).toThrow(/ragged/);
    expect(() => np.array([[[1]], [2]])).toThrow(ShapeError);
    expect(() => np.array(["a"] as never)).toThrow(ArgumentError);
    expect(() => np.array([1], { dtype: "float64" as never })).toThrow(/unknown dtype "float64"/);
  });
});

describe("np.zeros, np.ones, np.full and *Like", () => {
  it.each(MODES)("fill every element, any shape (size 0 and rank 0 too) (%s)", (mode) => {
    for (const shape of [[], [0], [3], [2, 3], [2, 0, 4], [1, 1, 5]]) {
      const f = () => [np.zeros(shape), np.ones(shape, { dtype: "int32" }), np.full(shape, 7.5), np.full(shape, true)];
      const [z, o, full, t] = mode === "eager" ? f() : (runMode(mode, () => f() as unknown as NDArray, []) as unknown as NDArray[]);
      expectClose(z, fromValues(shape, new Array(shape.reduce((a, b) => a * b, 1)).fill(0), "float32"), EXACT, `zeros ${shape}`);
      expectClose(o, fromValues(shape, new Array(shape.reduce((a, b) => a * b, 1)).fill(1), "int32"), EXACT, `ones ${shape}`);
      expectClose(full, fromValues(shape, new Array(shape.reduce((a, b) => a * b, 1)).fill(7.5), "float32"), EXACT, `full ${shape}`);
      expectClose(t, fromValues(shape, new Array(shape.reduce((a, b) => a * b, 1)).fill(1), "bool"), EXACT, `full bool ${shape}`);
    }
  });

  it("accept a bare number as the shape and a dtype", () => {
    expect(np.zeros(3).shape).toEqual([3]);
    expect(values(np.full(2, 2.7, { dtype: "int32" }))).toEqual([2, 2]);
    expect(np.full(2, 1, { dtype: "bool" }).dtype).toBe("bool");
  });

  it("*Like copy shape and dtype (dtype overridable), also on tracers", () => {
    const x = np.array([[1, 2, 3]], { dtype: "int32" });
    for (const mode of MODES) {
      const z = runMode(mode, (v) => np.zerosLike(v), [x]);
      expect([z.dtype, ...z.shape, ...values(z)]).toEqual(["int32", 1, 3, 0, 0, 0]);
      const o = runMode(mode, (v) => np.onesLike(v, { dtype: "float32" }), [x]);
      expect([o.dtype, ...values(o)]).toEqual(["float32", 1, 1, 1]);
      expect(values(runMode(mode, (v) => np.fullLike(v, -4), [x]))).toEqual([-4, -4, -4]);
      // A shape read from a tracer is a plain value inside jit.
      expect(runMode(mode, (v) => np.add(v, np.ones(v.shape, { dtype: v.dtype })), [x]).dtype).toBe("int32");
    }
  });

  it("take an array fill value, traced or not: broadcast, its dtype (and weak type) unless dtype is given (as in JAX)", () => {
    const v = np.array(2.5);
    for (const mode of MODES) {
      const f = runMode(mode, (a) => np.full([2, 2], a), [v]);
      expect([mode, f.dtype, f.weakType, ...f.shape, ...values(f)]).toEqual([mode, "float32", false, 2, 2, 2.5, 2.5, 2.5, 2.5]);
      const i = runMode(mode, (a) => np.full([3], a, { dtype: "int32" }), [v]);
      expect([i.dtype, ...values(i)]).toEqual(["int32", 2, 2, 2]);
      const like = runMode(mode, (a, b) => np.fullLike(b, a.sum()), [v, np.zeros([2], { dtype: "int32" })]);
      expect([like.dtype, ...values(like)]).toEqual(["int32", 2, 2]);
      // A row broadcast along the leading axis.
      const rows = runMode(mode, (a) => np.full([2, 3], a), [np.array([1, 2, 3])]);
      expect(values(rows)).toEqual([1, 2, 3, 1, 2, 3]);
    }
    // A traced JS number is a weak scalar; the filled array stays weak (lax.full's rule).
    const w = jit((x: number) => np.full([2], x))(3);
    expect([w.dtype, w.weakType, ...values(w)]).toEqual(["float32", true, 3, 3]);
    // In a loop body, from the carry.
    const s = lax.foriLoop(0, 3, (_i, c) => np.full([2], c.sum().add(1)).sum().div(2), np.array(0));
    expect(s.item()).toBe(3);
  });

  it("reject a fill value that does not broadcast, or is not a scalar or an array", () => {
    expect(() => np.full([2], np.array([1, 2, 3]))).toThrow(/full got incompatible shapes for broadcasting: \(3,\), \(2,\)/);
    expect(() => np.full([2], "1" as never)).toThrow(ArgumentError);
  });

  it("reject invalid shapes", () => {
    expect(() => np.zeros([-1])).toThrow(ShapeError);
    expect(() => np.zeros([1.5])).toThrow(/invalid shape/);
    expect(() => np.full([2], 1, { dtype: "float64" as never })).toThrow(ArgumentError);
  });
});

describe("np.arange", () => {
  const ref = (start: number, stop: number, step: number) => {
    const out: number[] = [];
    for (let v = start, i = 0; step > 0 ? v < stop : v > stop; v = start + ++i * step) out.push(v);
    return out;
  };

  it.each([
    [[5], [0, 5, 1], "int32"],
    [[2, 7], [2, 7, 1], "int32"],
    [[10, 0, -3], [10, 0, -3], "int32"],
    [[0, 1, 0.25], [0, 1, 0.25], "float32"],
    [[0.5, 3], [0.5, 3, 1], "float32"],
    [[-1, 1, 0.3], [-1, 1, 0.3], "float32"],
    [[5, 2], [5, 2, 1], "int32"],
    [[0], [0, 0, 1], "int32"],
  ] as [number[], [number, number, number], string][])("arange(%j) (all modes)", (args, [start, stop, step], dtype) => {
    const expected = fromValues([ref(start, stop, step).length], ref(start, stop, step), dtype as "int32");
    checkAllModes(() => (np.arange as (...a: number[]) => NDArray)(...args), [], expected, dtype === "float32" ? F32 : EXACT);
  });

  it("honours { dtype } and rejects zero or non-finite steps", () => {
    expect(np.arange(0, 3, 1, { dtype: "float32" }).dtype).toBe("float32");
    expect(values(np.arange(0, 5, 1.5, { dtype: "int32" }))).toEqual([0, 1, 3, 4]);
    expect(() => np.arange(0, 3, 0)).toThrow(ArgumentError);
    expect(() => np.arange(0, Infinity)).toThrow(/finite/);
  });
});

describe("np.linspace and np.eye", () => {
  it.each([
    [0, 1, 5, true],
    [0, 1, 5, false],
    [-2, 3, 1, true],
    [-2, 3, 0, true],
    [1, -1, 7, true],
    [0, 0.3, 4, true],
  ] as [number, number, number, boolean][])("linspace(%d, %d, %d, endpoint=%s) (all modes)", (start, stop, num, endpoint) => {
    const div = endpoint ? num - 1 : num;
    const vals = Array.from({ length: num }, (_, i) => (endpoint && i === num - 1 && num > 1 ? stop : start + (i * (stop - start)) / (div || 1)));
    checkAllModes(() => np.linspace(start, stop, num, { endpoint }), [], fromValues([num], vals, "float32"), F32);
  });

  it("linspace ends exactly at stop and honours dtype", () => {
    expect(np.linspace(0, 0.3, 4).dataSync()[3]).toBe(Math.fround(0.3));
    expect(values(np.linspace(0, 10, 3, { dtype: "int32" }))).toEqual([0, 5, 10]);
    expect(() => np.linspace(0, 1, -1)).toThrow(ArgumentError);
  });

  it.each([
    [3, 3, 0],
    [2, 4, 1],
    [4, 2, -1],
    [3, 3, 5],
    [0, 2, 0],
  ])("eye(%d, %d, k=%d) (all modes)", (n, m, k) => {
    const vals = Array.from({ length: n * m }, (_, i) => +(Math.floor(i / m) + k === i % m));
    checkAllModes(() => np.eye(n, m, { k }), [], fromValues([n, m], vals, "float32"), EXACT);
    checkAllModes(() => np.eye(n, m, { k, dtype: "int32" }), [], fromValues([n, m], vals, "int32"), EXACT);
  });
});

describe("constants created inside jit", () => {
  it("captures host arrays as constants and traces creation functions", () => {
    const table = np.array([10, 20, 30]);
    const f = jit((x: NDArray) => np.add(np.add(x, table), np.array([1, 2, 3])).add(np.arange(3)));
    expect(values(f(np.zeros([3])))).toEqual([11, 23, 35]);
    expect(f.lower(np.zeros([3])).asText()).toMatch(/^\{ lambda [a-z]+:f32\[3\] [a-z]+:f32\[3\]; [a-z]+:f32\[3\]\. let/);
  });
});

describe("readback", () => {
  it("data() resolves to the values; dataSync() and item(); blockUntilReady()", async () => {
    const x = np.array([[1.5, 2], [3, 4]]);
    expect(await x.data()).toEqual(new Float32Array([1.5, 2, 3, 4]));
    expect(x.dataSync()).toEqual(new Float32Array([1.5, 2, 3, 4]));
    expect(np.array([[7]]).item()).toBe(7);
    expect(np.array(true).item()).toBe(true);
    expect(np.array([3], { dtype: "int32" }).item()).toBe(3);
    expect(await x.blockUntilReady()).toBe(x);
    expect(() => x.item()).toThrow(/size 1/);
  });

  it("tolist() nests like the shape (booleans for bool arrays)", () => {
    expect(np.array([[1, 2], [3, 4]]).tolist()).toEqual([[1, 2], [3, 4]]);
    expect(np.array([true, false]).tolist()).toEqual([true, false]);
    expect(np.array(2).tolist()).toBe(2);
    expect(np.zeros([2, 0]).tolist()).toEqual([[], []]);
  });

  it("toString() prints JAX's repr", () => {
    expect(np.array([1, 2, 3]).toString()).toBe("Array([1., 2., 3.], dtype=float32)");
    expect(np.array([[1, 2.5], [3, 4]]).toString()).toBe("Array([[1. , 2.5],\n       [3. , 4. ]], dtype=float32)");
    expect(np.array([[1, -2], [3, 4]], { dtype: "int32" }).toString()).toBe("Array([[ 1, -2],\n       [ 3,  4]], dtype=int32)");
    expect(np.array([0.5, 1.25, -3]).toString()).toBe("Array([ 0.5 ,  1.25, -3.  ], dtype=float32)");
    expect(np.array([true, false]).toString()).toBe("Array([ True, False], dtype=bool)");
    expect(np.array(0.5).toString()).toBe("Array(0.5, dtype=float32)");
    expect(np.array([NaN, Infinity, -Infinity]).toString()).toBe("Array([ nan,  inf, -inf], dtype=float32)");
    expect(np.ones([2, 1, 2]).toString()).toBe("Array([[[1., 1.]],\n\n       [[1., 1.]]], dtype=float32)");
    expect(String(np.zeros([0]))).toBe("Array([], dtype=float32)");
    expect(`${np.array([2])}`).toBe("Array([2.], dtype=float32)");
    const big = np.arange(2000).toString();
    expect(big).toBe("Array([   0,    1,    2, ..., 1997, 1998, 1999], dtype=int32)");
  });

  it("size-1 arrays convert to JS numbers; larger ones refuse", () => {
    expect(+np.array([2.5])).toBe(2.5);
    expect(np.array(3).mul(2).item()).toBe(6);
    expect(() => +np.array([1, 2])).toThrow(TypeError);
  });

  it("dispose() frees the buffer; using the array afterwards throws", async () => {
    const x = np.array([1, 2]);
    x.dispose();
    x.dispose();
    // The class is a judgment call (see the report); the message must say what happened.
    expect(() => x.dataSync()).toThrow(TsjitError);
    expect(() => x.dataSync()).toThrow(/was disposed and can no longer be used/);
    expect(() => np.add(x, 1)).toThrow(/disposed/);
    await expect(x.data()).rejects.toThrow(/disposed/);
  });
});
