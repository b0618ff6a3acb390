// Differential tests of the reductions (sum mean prod max min argmax argmin any all) with
// every form of `axis` (none, null, number, negative, list) and `keepdims`, over random
// shapes with size-0 and size-1 axes, eagerly, under jit and through the interpreter.

import { describe, expect, it } from "vitest";
import { ShapeError, np, type Axis, type NDArray, type ReduceOptions } from "tsjit";
import { Rng } from "../helpers/prng.js";
import {
  EXACT,
  F32,
  MODES,
  checkAllModes,
  nonEmptyShape,
  randomArray,
  randomShape,
  runMode,
  type Tolerance,
} from "../helpers/harness.js";
import { combine, map, reduce, transpose, type RAxis, type RDType } from "../helpers/reference.js";

type ReduceFn = (x: NDArray, axis?: Axis, opts?: ReduceOptions) => NDArray;

interface ReduceSpec {
  name: string;
  fn: ReduceFn;
  method: (x: NDArray, axis?: Axis, opts?: ReduceOptions) => NDArray;
  combine: (v: number[]) => number;
  out: (dtype: RDType) => RDType;
  /** Has no identity: a reduction over a size-0 axis is a ShapeError. */
  needsElements?: boolean;
  /**
   * Error scale per output element. sum: Σ|x| (the float64 sum of float32 inputs, rounded
   * once, is within half an ulp of the result; 1e-5·Σ|x| also covers cancellation).
   * mean: Σ|x|/n. prod: the result itself (one rounding of an exactly computed product).
   */
  magnitude?: (m: Float64Array, count: number) => Float64Array;
}

const SPECS: ReduceSpec[] = [
  { name: "sum", fn: np.sum, method: (x, a, o) => x.sum(a, o), combine: combine.sum, out: (d) => (d === "bool" ? "int32" : d), magnitude: (m) => m },
  { name: "mean", fn: np.mean, method: (x, a, o) => x.mean(a, o), combine: combine.mean, out: () => "float32", magnitude: (m, n) => m.map((v) => v / n) },
  { name: "prod", fn: np.prod, method: (x, a, o) => x.prod(a, o), combine: combine.prod, out: (d) => (d === "bool" ? "int32" : d) },
  { name: "max", fn: np.max, method: (x, a, o) => x.max(a, o), combine: combine.max, out: (d) => d, needsElements: true },
  { name: "min", fn: np.min, method: (x, a, o) => x.min(a, o), combine: combine.min, out: (d) => d, needsElements: true },
  { name: "any", fn: np.any, method: (x, a, o) => x.any(a, o), combine: combine.any, out: () => "bool" },
  { name: "all", fn: np.all, method: (x, a, o) => x.all(a, o), combine: combine.all, out: () => "bool" },
];

function randomAxis(rng: Rng, rank: number): Axis {
  const r = rng.int(0, 5);
  if (r === 0) return undefined;
  if (r === 1) return null;
  if (rank === 0) return [];
  if (r <= 3) return rng.int(-rank, rank - 1);
  const axes = rng.shuffle([...Array(rank).keys()]).slice(0, rng.int(0, rank));
  return axes.map((a) => (rng.bool() ? a - rank : a));
}

function describeAxis(axis: Axis): string {
  return axis === undefined ? "undefined" : JSON.stringify(axis);
}

describe.each(SPECS)("np.$name", (spec) => {
  it("matches the reference for random shapes, axes and keepdims", () => {
    const rng = new Rng(0xfeed + spec.name.length * 101);
    for (const dtype of ["float32", "int32", "bool"] as const) {
      for (let trial = 0; trial < 7; trial++) {
        const shape = spec.needsElements ? nonEmptyShape(rng, { maxRank: 4 }) : randomShape(rng, { maxRank: 4 });
        // Products of many terms stay near 1 so they neither overflow nor vanish.
        const domain = spec.name === "prod" ? (dtype === "int32" ? { lo: -2, hi: 2 } : { lo: 0.7, hi: 1.4 }) : undefined;
        const a = randomArray(rng, shape, dtype, domain);
        const axis = randomAxis(rng, shape.length);
        const keepdims = rng.bool();
        const out = spec.out(dtype);
        const { result, magnitude, count } = reduce(a.ref, axis as RAxis, keepdims, spec.combine, out);
        const tol: Tolerance = out === "float32" ? { ...F32, magnitude: spec.magnitude?.(magnitude, count) } : EXACT;
        const context = `${dtype}[${shape}] axis=${describeAxis(axis)} keepdims=${keepdims}`;
        checkAllModes((x) => spec.fn(x, axis, { keepdims }), [a.x], result, tol, context);
        checkAllModes((x) => spec.method(x, axis, { keepdims }), [a.x], result, tol, "method; " + context);
      }
    }
  });

  it("reduces everything when axis is omitted or null", () => {
    const x = np.array([[1, 2, 3], [4, 5, 6]]);
    const ref = map([], () => spec.combine([1, 2, 3, 4, 5, 6]), spec.out("float32"));
    for (const mode of MODES) {
      for (const f of [(v: NDArray) => spec.fn(v), (v: NDArray) => spec.fn(v, null), (v: NDArray) => spec.fn(v, [0, 1])]) {
        const out = runMode(mode, f, [x]);
        expect(out.shape).toEqual([]);
        expect(Number(out.item())).toBeCloseTo(ref.data[0]!, 5);
      }
      expect(runMode(mode, (v) => spec.fn(v, null, { keepdims: true }), [x]).shape).toEqual([1, 1]);
    }
  });

  if (spec.needsElements) {
    it("rejects a reduction over a size-0 axis with a ShapeError", () => {
      const empty = np.zeros([2, 0]);
      for (const mode of MODES) {
        expect(() => runMode(mode, (v) => spec.fn(v, 1), [empty])).toThrow(ShapeError);
        expect(() => runMode(mode, (v) => spec.fn(v), [empty])).toThrow(/zero-size array/);
      }
      // Reducing only the non-empty axis is fine and gives an empty result.
      expect(spec.fn(empty, 0).shape).toEqual([0]);
    });
  } else {
    it("has its identity on size-0 axes", () => {
      const empty = np.zeros([3, 0]);
      for (const mode of MODES) {
        const out = runMode(mode, (v) => spec.fn(v, 1), [empty]);
        expect(out.shape).toEqual([3]);
        const expected = spec.combine([]);
        expect(Array.from(out.dataSync())).toEqual([expected, expected, expected]);
      }
    });
  }

  it("rejects out-of-range and repeated axes with a ShapeError", () => {
    const x = np.ones([2, 3]);
    expect(() => spec.fn(x, 2)).toThrow(ShapeError);
    expect(() => spec.fn(x, -3)).toThrow(/axis -3 is out of bounds for array of dimension 2/);
    expect(() => spec.fn(x, [0, -2])).toThrow(/repeated axis/);
  });
});

describe.each([
  { name: "argmax", fn: np.argmax, method: (x: NDArray, a?: number | null, o?: ReduceOptions) => x.argmax(a, o), combine: combine.argmax },
  { name: "argmin", fn: np.argmin, method: (x: NDArray, a?: number | null, o?: ReduceOptions) => x.argmin(a, o), combine: combine.argmin },
])("np.$name", (spec) => {
  it("matches the reference (first occurrence on ties) for random shapes and axes", () => {
    const rng = new Rng(0xa4 + spec.name.length);
    for (const dtype of ["float32", "int32", "bool"] as const) {
      for (let trial = 0; trial < 8; trial++) {
        const shape = nonEmptyShape(rng, { maxRank: 4 });
        // Small int ranges make ties common.
        const a = randomArray(rng, shape, dtype, dtype === "int32" ? { lo: -2, hi: 2 } : undefined);
        const axis = shape.length === 0 || rng.bool(0.3) ? (rng.bool() ? null : undefined) : rng.int(-shape.length, shape.length - 1);
        const keepdims = rng.bool();
        // Without an axis: over the flattened array (row-major), keepdims gives all-ones dims.
        const expected = axis === null || axis === undefined
          ? reduce(a.ref, null, keepdims, spec.combine, "int32").result
          : reduce(a.ref, axis, keepdims, spec.combine, "int32").result;
        const context = `${dtype}[${shape}] axis=${describeAxis(axis)} keepdims=${keepdims}`;
        checkAllModes((x) => spec.fn(x, axis, { keepdims }), [a.x], expected, EXACT, context);
        checkAllModes((x) => spec.method(x, axis, { keepdims }), [a.x], expected, EXACT, "method; " + context);
      }
    }
  });

  it("returns the first NaN's position, like NumPy", () => {
    const x = np.array([[1, NaN, 3, NaN], [5, 4, 3, 2]]);
    for (const mode of MODES) {
      expect(Array.from(runMode(mode, (v) => spec.fn(v, 1), [x]).dataSync())).toEqual([1, spec.name === "argmax" ? 0 : 3]);
      expect(runMode(mode, (v) => spec.fn(v), [x]).item()).toBe(1);
    }
  });

  it("rejects an empty axis with a ShapeError", () => {
    expect(() => spec.fn(np.zeros([0, 3]), 0)).toThrow(ShapeError);
    expect(() => spec.fn(np.zeros([0]))).toThrow(ShapeError);
  });
});

describe("NaN and infinities in reductions", () => {
  it.each(MODES)("max/min propagate NaN; sum/mean/prod of infinities follow IEEE (%s)", (mode) => {
    const x = np.array([[1, NaN, 3], [Infinity, -Infinity, 0], [-Infinity, -Infinity, 2]]);
    expect(Array.from(runMode(mode, (v) => np.max(v, 1), [x]).dataSync())).toEqual([NaN, Infinity, 2]);
    expect(Array.from(runMode(mode, (v) => np.min(v, 1), [x]).dataSync())).toEqual([NaN, -Infinity, -Infinity]);
    expect(Array.from(runMode(mode, (v) => np.sum(v, 1), [x]).dataSync())).toEqual([NaN, NaN, -Infinity]);
    expect(Array.from(runMode(mode, (v) => np.prod(v, 1), [x]).dataSync())).toEqual([NaN, NaN, Infinity]);
    expect(Array.from(runMode(mode, (v) => np.any(v, 1), [x]).dataSync())).toEqual([1, 1, 1]);
    expect(Array.from(runMode(mode, (v) => np.all(v, 1), [x]).dataSync())).toEqual([1, 0, 1]);
  });

  it.each(MODES)("int32 max/min use the full int32 range (%s)", (mode) => {
    const x = np.array([[-2147483648, -2147483648], [2147483647, 2147483647]], { dtype: "int32" });
    expect(Array.from(runMode(mode, (v) => np.max(v, 1), [x]).dataSync())).toEqual([-2147483648, 2147483647]);
    expect(Array.from(runMode(mode, (v) => np.min(v, 1), [x]).dataSync())).toEqual([-2147483648, 2147483647]);
    expect(Array.from(runMode(mode, (v) => np.argmax(v, 1), [x]).dataSync())).toEqual([0, 0]);
  });
});

describe("reductions fused with elementwise producers and consumers", () => {
  it("sum of a product, normalized by a keepdims sum, with broadcasting (all modes)", () => {
    const rng = new Rng(4242);
    for (let trial = 0; trial < 6; trial++) {
      const shape = nonEmptyShape(rng, { maxRank: 3, dims: [1, 2, 3, 7] });
      if (shape.length === 0) continue;
      const a = randomArray(rng, shape, "float32", { lo: 0.5, hi: 2 });
      const b = randomArray(rng, shape.slice(1), "float32", { lo: 0.5, hi: 2 });
      const axis = -1;
      const fn = (x: NDArray, y: NDArray) => {
        const p = np.multiply(np.exp(x), y);
        return np.divide(p, np.sum(p, axis, { keepdims: true }));
      };
      const p = map([a.ref, b.ref], (u, v) => Math.exp(u) * v, "float32");
      const s = reduce(map([p], (v) => v, "float32"), axis, true, combine.sum, "float32").result;
      // Three float32 roundings (exp·y, the sum, the quotient) in eager mode: 1e-5 relative.
      const expected = map([a.ref, b.ref, s], (u, v, t) => (Math.exp(u) * v) / t, "float32");
      checkAllModes(fn, [a.x, b.x], expected, F32, `[${shape}]`);
    }
  });

  it("epilogue arithmetic on several reductions of one input (max + mean - min)", () => {
    const rng = new Rng(4343);
    const a = randomArray(rng, [4, 6, 5], "float32");
    for (const axis of [0, 1, 2, [0, 2], null] as const) {
      const fn = (x: NDArray) => np.subtract(np.add(np.max(x, axis), np.mean(x, axis)), np.min(x, axis));
      const mx = reduce(a.ref, axis, false, combine.max, "float32");
      const mn = reduce(a.ref, axis, false, combine.min, "float32");
      const me = reduce(a.ref, axis, false, combine.mean, "float32");
      const expected = map([mx.result, me.result, mn.result], (p, q, r) => p + q - r, "float32");
      // Error scale: the magnitudes of the three terms.
      const magnitude = mx.result.data.map((v, i) => Math.abs(v) + me.magnitude[i]! / me.count + Math.abs(mn.result.data[i]!));
      checkAllModes(fn, [a.x], expected, { ...F32, magnitude }, `axis=${JSON.stringify(axis)}`);
    }
  });

  it("a reduction of a reduction (sum of row maxima) and of a transposed view", () => {
    const rng = new Rng(4444);
    const a = randomArray(rng, [5, 4, 3], "float32");
    const rowMax = reduce(a.ref, 2, false, combine.max, "float32").result;
    const total = reduce(rowMax, null, false, combine.sum, "float32");
    checkAllModes((x) => np.sum(np.max(x, 2)), [a.x], total.result, { ...F32, magnitude: total.magnitude });
    const t = reduce(transpose(a.ref, [2, 1, 0]), 2, false, combine.sum, "float32");
    checkAllModes((x) => np.sum(np.transpose(x, [2, 1, 0]), 2), [a.x], t.result, { ...F32, magnitude: t.magnitude });
  });
});
