// Shape operations and basic slicing against the reference: reshape, transpose, broadcastTo,
// squeeze, expandDims, concatenate, stack, swapaxes, ravel, astype, slice — one at a time
// and as random chains of views (which the fusion pass composes without copying), in
// every mode.

import { describe, expect, it } from "vitest";
import { ArgumentError, ShapeError, jit, makeJaxpr, np, type IndexEntry, type NDArray } from "tsjit";
import { Rng } from "../helpers/prng.js";
import { EXACT, F32, MODES, checkAllModes, expectClose, randomArray, randomShape, runMode } from "../helpers/harness.js";
import {
  broadcastTo,
  cast,
  concatenate,
  expandDims,
  fromValues,
  map,
  reshape,
  size,
  slice,
  squeeze,
  stack,
  transpose,
  type RDType,
  type RIndex,
  type Ref,
} from "../helpers/reference.js";

/** A random shape with the given number of elements (1s sprinkled in). */
function randomShapeOfSize(rng: Rng, n: number): number[] {
  if (n === 0) {
    const s = randomShape(rng, { maxRank: 3, dims: [1, 2, 3] });
    s.splice(rng.int(0, s.length), 0, 0);
    return s;
  }
  const factors: number[] = [];
  let m = n;
  for (let p = 2; m > 1; p++) while (m % p === 0) { factors.push(p); m /= p; }
  const shape: number[] = [];
  for (const f of factors) {
    if (shape.length && rng.bool(0.5)) shape[shape.length - 1]! *= f;
    else shape.push(f);
  }
  for (let k = rng.int(0, 2); k > 0; k--) shape.splice(rng.int(0, shape.length), 0, 1);
  return shape;
}

function randomIndex(rng: Rng, shape: readonly number[]): RIndex[] {
  const index: RIndex[] = [];
  let ellipsis = false;
  for (let axis = 0; axis < shape.length; axis++) {
    const n = shape[axis]!;
    const r = rng.int(0, 9);
    if (r === 0 && !ellipsis && axis > 0) {
      index.push("...");
      ellipsis = true;
      break;
    }
    if (r === 1) index.push(null);
    if (r <= 3 && n > 0) index.push(rng.int(-n, n - 1));
    else if (r === 4) index.push(":");
    else {
      const bound = () => (rng.bool(0.3) ? null : rng.int(-n - 1, n + 1));
      index.push([bound(), bound(), rng.bool(0.5) ? null : rng.int(1, 3)]);
    }
  }
  if (rng.bool(0.2)) index.push(null);
  return index;
}

type ViewStep = { name: string; rt: (x: NDArray) => NDArray; ref: (x: Ref) => Ref };

function randomViewStep(rng: Rng, shape: readonly number[]): ViewStep {
  const rank = shape.length;
  switch (rng.int(0, 5)) {
    case 0: {
      const perm = rng.shuffle([...Array(rank).keys()]);
      return { name: `transpose(${perm})`, rt: (x) => np.transpose(x, perm), ref: (x) => transpose(x, perm) };
    }
    case 1: {
      const target = randomShapeOfSize(rng, size(shape));
      if (target.length && rng.bool(0.3)) target[rng.int(0, target.length - 1)] = -1;
      const ok = !(target.includes(-1) && target.filter((d) => d !== -1).reduce((a, b) => a * b, 1) === 0);
      const t = ok ? target : target.map((d) => (d === -1 ? 0 : d));
      return { name: `reshape(${t})`, rt: (x) => np.reshape(x, t), ref: (x) => reshape(x, t) };
    }
    case 2: {
      const index = randomIndex(rng, shape);
      return { name: `slice(${JSON.stringify(index)})`, rt: (x) => np.slice(x, ...(index as IndexEntry[])), ref: (x) => slice(x, ...index) };
    }
    case 3: {
      const axis = rng.int(-rank - 1, rank);
      return { name: `expandDims(${axis})`, rt: (x) => np.expandDims(x, axis), ref: (x) => expandDims(x, axis) };
    }
    case 4:
      return { name: "squeeze()", rt: (x) => np.squeeze(x), ref: (x) => squeeze(x) };
    default: {
      const target = [rng.int(1, 2), ...shape.map((d) => (d === 1 ? rng.pick([1, 3]) : d))];
      return { name: `broadcastTo(${target})`, rt: (x) => np.broadcastTo(x, target), ref: (x) => broadcastTo(x, target) };
    }
  }
}

describe("random chains of view operations", () => {
  it("match the reference when returned directly or consumed by arithmetic (all modes)", () => {
    const rng = new Rng(2024);
    for (let trial = 0; trial < 40; trial++) {
      const shape = randomShape(rng, { maxRank: 4, dims: [1, 2, 3, 4, 6] });
      const dtype = rng.pick(["float32", "int32", "bool"] as const);
      const a = randomArray(rng, shape, dtype);
      const steps: ViewStep[] = [];
      let ref = a.ref;
      for (let k = rng.int(1, 4); k > 0; k--) {
        if (ref.size > 400) break;
        const step = randomViewStep(rng, ref.shape);
        steps.push(step);
        ref = step.ref(ref);
      }
      const chain = (x: NDArray) => steps.reduce((v, s) => s.rt(v), x);
      const context = `${dtype}[${shape}] → ${steps.map((s) => s.name).join(" → ")}`;
      checkAllModes(chain, [a.x], ref, EXACT, context);
      if (dtype !== "bool") {
        // Arithmetic reading through the composed view, and a second input read plainly.
        checkAllModes((x) => np.add(np.multiply(chain(x), 2), 1), [a.x], map([ref], (v) => v * 2 + 1, dtype), EXACT, "arith; " + context);
        if (ref.ndim > 0) checkAllModes((x) => np.sum(chain(x), -1), [a.x], reduceLast(ref), dtype === "float32" ? F32 : EXACT, "sum; " + context);
      }
    }
  });
});

function reduceLast(x: Ref): Ref {
  const n = x.shape[x.ndim - 1]!;
  const outShape = x.shape.slice(0, -1);
  const out = new Float64Array(size(outShape));
  for (let i = 0; i < out.length; i++) for (let j = 0; j < n; j++) out[i]! += x.data[i * n + j]!;
  return fromValues(outShape, out, x.dtype);
}

describe("np.reshape", () => {
  it("accepts -1, a bare number, and the method's varargs form", () => {
    const x = np.arange(12);
    for (const mode of MODES) {
      expect(runMode(mode, (v) => np.reshape(v, [3, -1]), [x]).shape).toEqual([3, 4]);
      expect(runMode(mode, (v) => np.reshape(np.reshape(v, [3, 4]), 12), [x]).shape).toEqual([12]);
      expect(runMode(mode, (v) => v.reshape(2, 3, 2), [x]).shape).toEqual([2, 3, 2]);
      expect(runMode(mode, (v) => v.reshape([2, -1, 3]), [x]).shape).toEqual([2, 2, 3]);
    }
    expect(np.reshape(np.zeros([0, 3]), [3, 0]).shape).toEqual([3, 0]);
    expect(np.reshape(np.ones([1, 1]), []).shape).toEqual([]);
  });

  it("rejects sizes that do not match, two -1s, and -1 with a zero size", () => {
    const x = np.arange(12);
    expect(() => np.reshape(x, [5, 3])).toThrow(ShapeError);
    expect(() => np.reshape(x, [5, 3])).toThrow(/\(12,\).*\(5, 3\)/s);
    expect(() => np.reshape(x, [-1, -1])).toThrow(ShapeError);
    expect(() => np.reshape(x, [5, -1])).toThrow(/cannot reshape array of size 12/);
    expect(() => np.reshape(np.zeros([0]), [0, -1])).toThrow(ShapeError);
  });
});

describe("np.transpose and friends", () => {
  it("transpose (default reverses, explicit and negative axes), .T, swapaxes", () => {
    const rng = new Rng(31);
    const a = randomArray(rng, [2, 3, 4], "float32");
    checkAllModes((x) => np.transpose(x), [a.x], transpose(a.ref), EXACT);
    checkAllModes((x) => x.T, [a.x], transpose(a.ref), EXACT);
    checkAllModes((x) => np.transpose(x, [1, -1, 0]), [a.x], transpose(a.ref, [1, 2, 0]), EXACT);
    checkAllModes((x) => np.swapaxes(x, 0, -1), [a.x], transpose(a.ref, [2, 1, 0]), EXACT);
    checkAllModes((x) => x.transpose([0, 2, 1]), [a.x], transpose(a.ref, [0, 2, 1]), EXACT);
  });

  it("rejects a bad permutation with a ShapeError", () => {
    expect(() => np.transpose(np.ones([2, 3]), [0, 0])).toThrow(ShapeError);
    expect(() => np.transpose(np.ones([2, 3]), [0, 2])).toThrow(ShapeError);
  });

  it("ravel/flatten give row-major order of a transposed view", () => {
    const rng = new Rng(32);
    const a = randomArray(rng, [3, 4], "int32");
    const expected = reshape(transpose(a.ref), [12]);
    checkAllModes((x) => np.ravel(x.T), [a.x], expected, EXACT);
    checkAllModes((x) => x.T.flatten(), [a.x], expected, EXACT);
  });
});

describe("np.broadcastTo", () => {
  it("adds leading axes and stretches size-1 axes", () => {
    const rng = new Rng(33);
    const a = randomArray(rng, [3, 1], "float32");
    checkAllModes((x) => np.broadcastTo(x, [2, 3, 4]), [a.x], broadcastTo(a.ref, [2, 3, 4]), EXACT);
    checkAllModes((x) => x.broadcastTo([3, 0]), [a.x], broadcastTo(a.ref, [3, 0]), EXACT);
    // A JS integer is a weak int32 scalar.
    expect(np.broadcastTo(5, [2]).dataSync()).toEqual(new Int32Array([5, 5]));
    expect(np.broadcastTo(2.5, [2]).dataSync()).toEqual(new Float32Array([2.5, 2.5]));
  });

  it("rejects incompatible targets with a ShapeError naming both shapes", () => {
    expect(() => np.broadcastTo(np.ones([3]), [4])).toThrow(ShapeError);
    expect(() => np.broadcastTo(np.ones([3]), [4])).toThrow(/\(3,\).*\(4,\)/);
    // Broadcasting cannot shrink an axis or drop one.
    expect(() => np.broadcastTo(np.ones([3]), [1])).toThrow(ShapeError);
    expect(() => np.broadcastTo(np.ones([2, 3]), [3])).toThrow(ShapeError);
  });
});

describe("np.squeeze and np.expandDims", () => {
  it("squeeze all size-1 axes or given ones (negative too)", () => {
    const rng = new Rng(34);
    const a = randomArray(rng, [1, 3, 1, 2], "float32");
    checkAllModes((x) => np.squeeze(x), [a.x], squeeze(a.ref), EXACT);
    checkAllModes((x) => np.squeeze(x, -2), [a.x], squeeze(a.ref, [2]), EXACT);
    checkAllModes((x) => x.squeeze([0, 2]), [a.x], squeeze(a.ref, [0, 2]), EXACT);
    expect(() => np.squeeze(a.x, 1)).toThrow(ShapeError);
  });

  it("expandDims at positions of the result (negative, several)", () => {
    const rng = new Rng(35);
    const a = randomArray(rng, [3, 2], "int32");
    checkAllModes((x) => np.expandDims(x, 0), [a.x], expandDims(a.ref, 0), EXACT);
    checkAllModes((x) => np.expandDims(x, -1), [a.x], expandDims(a.ref, -1), EXACT);
    checkAllModes((x) => x.expandDims([0, 3]), [a.x], expandDims(a.ref, [0, 3]), EXACT);
    expect(() => np.expandDims(a.x, 3)).toThrow(ShapeError);
  });
});

describe("np.concatenate and np.stack", () => {
  it("concatenate along random axes, with size-0 parts and promotion", () => {
    const rng = new Rng(36);
    for (let trial = 0; trial < 10; trial++) {
      const base = randomShape(rng, { maxRank: 3, dims: [1, 2, 3] });
      if (base.length === 0) base.push(2);
      const axis = rng.int(-base.length, base.length - 1);
      const ax = axis < 0 ? axis + base.length : axis;
      const dtypes = [rng.pick(["float32", "int32"] as const), rng.pick(["int32", "bool"] as const), "int32" as const];
      const parts = dtypes.map((d) => {
        const s = base.slice();
        s[ax] = rng.int(0, 3);
        return randomArray(rng, s, d);
      });
      const dtype: RDType = dtypes.includes("float32") ? "float32" : "int32";
      const expected = concatenate(parts.map((p) => p.ref), axis, dtype);
      checkAllModes((...xs) => np.concatenate(xs, axis), parts.map((p) => p.x), expected, EXACT, `axis ${axis} of ${parts.map((p) => p.x.shape).join(" | ")}`);
    }
  });

  it("concatenate of computed (fused) parts, and of a single array", () => {
    const rng = new Rng(37);
    const a = randomArray(rng, [2, 3], "float32");
    const b = randomArray(rng, [2, 2], "float32");
    const want = concatenate([map([a.ref], (v) => v * 2, "float32"), map([b.ref], Math.exp, "float32")], 1, "float32");
    checkAllModes((x, y) => np.concatenate([np.multiply(x, 2), np.exp(y)], 1), [a.x, b.x], want, F32);
    checkAllModes((x) => np.concatenate([x]), [a.x], a.ref, EXACT);
  });

  it("stack along new axes (negative too)", () => {
    const rng = new Rng(38);
    const xs = [0, 1, 2].map(() => randomArray(rng, [2, 3], "float32"));
    for (const axis of [0, 1, 2, -1, -3]) {
      checkAllModes((...v) => np.stack(v, axis), xs.map((p) => p.x), stack(xs.map((p) => p.ref), axis, "float32"), EXACT, `axis ${axis}`);
    }
  });

  it("rejects mismatched shapes, rank-0 operands and empty lists", () => {
    expect(() => np.concatenate([np.ones([2, 3]), np.ones([3, 3])], 1)).toThrow(ShapeError);
    expect(() => np.concatenate([np.ones([2, 3]), np.ones([3, 3])], 1)).toThrow(/\(2, 3\), \(3, 3\)/);
    expect(() => np.concatenate([np.ones([]), np.ones([])])).toThrow(ShapeError);
    expect(() => np.concatenate([])).toThrow(ArgumentError);
    expect(() => np.stack([np.ones([2]), np.ones([3])])).toThrow(/same shape/);
    expect(() => np.stack([])).toThrow(ArgumentError);
  });
});

describe("astype", () => {
  const values = [0, -0, 1.5, -1.5, 2.7, -2.7, 1e10, -1e10, NaN, Infinity, -Infinity, 16777217, 0.1];

  it.each(MODES)("float32 → int32 truncates toward zero, saturates, NaN → 0; → bool is truthiness, NaN is true (%s)", (mode) => {
    const x = np.array(values);
    const ref = fromValues([values.length], values, "float32");
    for (const dtype of ["int32", "bool", "float32"] as const) {
      expectClose(runMode(mode, (v) => v.astype(dtype), [x]), cast(ref, dtype), EXACT, dtype);
      expectClose(runMode(mode, (v) => np.astype(v, dtype), [x]), cast(ref, dtype), EXACT, dtype);
    }
  });

  it.each(MODES)("int32 and bool convert to every dtype (%s)", (mode) => {
    const ints = [0, 1, -1, 7, 16777217, -2147483648, 2147483647];
    const x = np.array(ints, { dtype: "int32" });
    const ref = fromValues([ints.length], ints, "int32");
    const b = np.array([true, false, true]);
    const bref = fromValues([3], [1, 0, 1], "bool");
    for (const dtype of ["int32", "bool", "float32"] as const) {
      expectClose(runMode(mode, (v) => v.astype(dtype), [x]), cast(ref, dtype), EXACT, `int32 → ${dtype}`);
      expectClose(runMode(mode, (v) => v.astype(dtype), [b]), cast(bref, dtype), EXACT, `bool → ${dtype}`);
    }
  });

  it("array creation with a dtype stores like astype (NaN → bool is true)", () => {
    expect(Array.from(np.array([NaN, 0, 2], { dtype: "bool" }).dataSync())).toEqual(Array.from(np.array([NaN, 0, 2]).astype("bool").dataSync()));
    expect(Array.from(np.full([2], NaN, { dtype: "bool" }).dataSync())).toEqual([1, 1]);
    expect(np.astype(NaN, "bool").item()).toBe(true);
  });

  it("gives a strongly typed result, also when only the weak flag changes (as in JAX)", () => {
    const w = np.add(1.5, 1); // JS numbers only: weak f32
    expect([w.dtype, w.weakType]).toEqual(["float32", true]);
    expect([w.astype("float32").weakType, np.astype(w, "float32").weakType, np.astype(2.5, "float32").weakType]).toEqual([false, false, false]);
    expect(w.astype("float32").item()).toBe(2.5);
    for (const mode of MODES) {
      // A traced JS number is a weak f32 scalar; astype("float32") must make it strong.
      const out = runMode(mode, (v) => np.multiply(v, 1).astype("float32"), [w]);
      expect([mode, out.weakType, out.item()]).toEqual([mode, false, 2.5]);
    }
    const g = jit((x: number) => np.asarray(x).astype("float32"));
    expect(g(2).weakType).toBe(false);
    expect(makeJaxpr((x: number) => np.asarray(x).astype("float32"))(2).toString()).toContain("weak_type=False");
  });

  it("rejects unknown dtypes with an ArgumentError", () => {
    expect(() => np.ones([2]).astype("float64" as never)).toThrow(ArgumentError);
  });
});

describe("basic slicing", () => {
  it("matches NumPy's basic indexing for random indices (ints, ranges with steps, ':', '...', null)", () => {
    const rng = new Rng(39);
    for (let trial = 0; trial < 60; trial++) {
      const shape = randomShape(rng, { maxRank: 4, dims: [1, 2, 3, 5] });
      const a = randomArray(rng, shape, rng.pick(["float32", "int32"] as const));
      const index = randomIndex(rng, shape);
      const expected = slice(a.ref, ...index);
      checkAllModes((x) => x.slice(...(index as IndexEntry[])), [a.x], expected, EXACT, `[${shape}][${JSON.stringify(index)}]`);
    }
  });

  it("iterating an array yields its rows", () => {
    const x = np.array([[1, 2], [3, 4], [5, 6]]);
    expect([...x].map((r) => Array.from(r.dataSync()))).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(() => [...np.array(3)]).toThrow(TypeError);
  });

  it("rejects out-of-range integers, too many indices, zero/negative steps and two ellipses", () => {
    const x = np.ones([2, 3]);
    expect(() => x.slice(2)).toThrow(ShapeError);
    expect(() => x.slice(0, -4)).toThrow(/index -4 is out of bounds for axis 1 with size 3/);
    expect(() => x.slice(0, 0, 0)).toThrow(/too many indices/);
    expect(() => x.slice([0, 2, 0])).toThrow(ArgumentError);
    expect(() => x.slice([null, null, -1])).toThrow(ArgumentError);
    expect(() => x.slice("...", "...")).toThrow(ArgumentError);
  });
});
