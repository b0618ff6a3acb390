// matmul / dot / outer / vdot against the float64 reference: every rank combination
// NumPy defines (1-D operands, batch broadcasting), size-0 and size-1 axes, int/bool/mixed
// dtypes, transposed (strided) operands, and sizes past the kernel's blocking.

import { describe, expect, it } from "vitest";
import { ShapeError, np, type NDArray } from "tsjit";
import { Rng } from "../helpers/prng.js";
import { EXACT, F32, MODES, checkAllModes, randomArray, runMode, type Tolerance } from "../helpers/harness.js";
import { dot, map, matmul, reshape, slice, transpose, type RDType } from "../helpers/reference.js";

/**
 * A float32 dot product of k terms: the runtime sums products in float64 per block of
 * 256 and rounds into float32, so its error is a few roundings of Σ|a·b|; 1e-5 of that
 * magnitude bounds it with room to spare (the matmul reference returns the magnitude).
 */
const dotTol = (magnitude: Float64Array): Tolerance => ({ ...F32, magnitude });

function promoted(a: RDType, b: RDType): RDType {
  if (a === "float32" || b === "float32") return "float32";
  return "int32"; // int32·int32, and bool operands, which matmul computes as int32
}

describe("np.matmul", () => {
  const cases: [string, number[], number[]][] = [
    ["vector · vector", [5], [5]],
    ["matrix · vector", [3, 5], [5]],
    ["vector · matrix", [5], [5, 4]],
    ["matrix · matrix", [3, 5], [5, 4]],
    ["batch · matrix", [2, 3, 5], [5, 4]],
    ["matrix · batch", [3, 5], [2, 5, 4]],
    ["vector · batch", [5], [2, 5, 4]],
    ["batch · vector", [2, 3, 5], [5]],
    ["broadcast batches", [2, 1, 3, 5], [4, 5, 2]],
    ["broadcast batches (other side)", [3, 3, 5], [2, 1, 5, 2]],
    ["size-1 everything", [1, 1], [1, 1]],
    ["k = 0", [3, 0], [0, 4]],
    ["m = 0", [0, 5], [5, 4]],
    ["n = 0", [3, 5], [5, 0]],
    ["batch = 0", [0, 3, 5], [5, 4]],
    ["k = 0 vectors", [0], [0]],
    ["past the 4×4 tiles and 256-deep blocks", [37, 300], [300, 45]],
    ["past the 64-row blocks, batched", [2, 70, 9], [2, 9, 6]],
  ];

  it.each(cases)("%s: %j @ %j (float32, all modes)", (_name, sa, sb) => {
    const rng = new Rng(sa.length * 100 + sb.length * 10 + (sa[0] ?? 0));
    const a = randomArray(rng, sa, "float32");
    const b = randomArray(rng, sb, "float32");
    const { result, magnitude } = matmul(a.ref, b.ref, "float32");
    checkAllModes((x, y) => np.matmul(x, y), [a.x, b.x], result, dotTol(magnitude));
    checkAllModes((x, y) => x.matmul(y), [a.x, b.x], result, dotTol(magnitude), "method");
  });

  it("int32, bool and mixed dtypes promote (bool computes as int32)", () => {
    const rng = new Rng(91);
    for (const [da, db] of [["int32", "int32"], ["bool", "bool"], ["int32", "float32"], ["bool", "float32"], ["bool", "int32"]] as const) {
      const a = randomArray(rng, [3, 4], da);
      const b = randomArray(rng, [4, 2], db);
      const dtype = promoted(da, db);
      const { result, magnitude } = matmul(a.ref, b.ref, dtype);
      checkAllModes((x, y) => np.matmul(x, y), [a.x, b.x], result, dtype === "float32" ? dotTol(magnitude) : EXACT, `${da} @ ${db}`);
    }
  });

  it("int32 matmul wraps like int32 arithmetic", () => {
    const a = np.array([[65536, 65536]], { dtype: "int32" });
    const b = np.array([[65536], [1]], { dtype: "int32" });
    for (const mode of MODES) expect(Array.from(runMode(mode, np.matmul, [a, b]).dataSync())).toEqual([65536]);
  });

  it("reads transposed and sliced operands (strided views) correctly", () => {
    const rng = new Rng(92);
    const a = randomArray(rng, [6, 5], "float32");
    const b = randomArray(rng, [4, 6], "float32");
    const aT = transpose(a.ref), bT = transpose(b.ref);
    const r1 = matmul(aT, bT, "float32");
    checkAllModes((x, y) => np.matmul(x.T, y.T), [a.x, b.x], r1.result, dotTol(r1.magnitude), "xᵀ @ yᵀ");
    const c = randomArray(rng, [2, 5, 3], "float32");
    const cT = transpose(c.ref, [0, 2, 1]);
    const r2 = matmul(cT, aT, "float32");
    checkAllModes((x, y) => np.matmul(np.transpose(x, [0, 2, 1]), y.T), [c.x, a.x], r2.result, dotTol(r2.magnitude), "batched transposed");
    // Every other row of a (a strided slice) times a transposed.
    const r3 = matmul(slice(a.ref, [null, null, 2]), aT, "float32");
    checkAllModes((x) => np.matmul(x.slice([null, null, 2]), x.T), [a.x], r3.result, dotTol(r3.magnitude), "strided rows");
  });

  it("fuses with elementwise producers and consumers: tanh(x @ w + b) and (2x) @ w", () => {
    const rng = new Rng(93);
    const x = randomArray(rng, [4, 8], "float32");
    const w = randomArray(rng, [8, 3], "float32", { lo: -0.5, hi: 0.5 });
    const bias = randomArray(rng, [3], "float32");
    const mm = matmul(x.ref, w.ref, "float32");
    const expected = map([mm.result, bias.ref], (v, c) => Math.tanh(v + c), "float32");
    // tanh is 1-Lipschitz and the sum adds one rounding: the matmul bound carries over.
    const magnitude = mm.magnitude.map((m, i) => m + Math.abs(bias.ref.data[i % 3]!));
    checkAllModes((p, q, r) => np.tanh(np.add(np.matmul(p, q), r)), [x.x, w.x, bias.x], expected, dotTol(magnitude));
    const x2 = map([x.ref], (v) => 2 * v, "float32");
    const mm2 = matmul(x2, w.ref, "float32");
    checkAllModes((p, q) => np.matmul(np.multiply(p, 2), q), [x.x, w.x], mm2.result, dotTol(mm2.magnitude));
  });

  it("rejects misaligned and scalar operands with a ShapeError naming both shapes", () => {
    expect(() => np.matmul(np.ones([2, 3]), np.ones([4, 2]))).toThrow(ShapeError);
    expect(() => np.matmul(np.ones([2, 3]), np.ones([4, 2]))).toThrow(/\(2, 3\) and \(4, 2\) are not aligned: 3 .* != 4/);
    expect(() => np.matmul(np.ones([3]), np.ones([4]))).toThrow(/\(3,\) and \(4,\)/);
    expect(() => np.matmul(np.ones([2, 2, 3]), np.ones([3, 3, 2]))).toThrow(ShapeError);
    expect(() => np.matmul(2, np.ones([2]))).toThrow(/must not be scalars/);
  });
});

describe("np.dot, np.outer, np.vdot", () => {
  it.each([
    [[4], [4]],
    [[3, 4], [4]],
    [[4], [4, 2]],
    [[3, 4], [4, 2]],
    [[2, 3, 4], [4, 5]],
    [[2, 3, 4], [5, 4, 2]],
    [[3], []],
    [[], [2, 2]],
  ] as [number[], number[]][])("dot %j · %j matches NumPy's N-D dot (all modes)", (sa, sb) => {
    const rng = new Rng(sa.length * 7 + sb.length);
    const a = randomArray(rng, sa, "float32");
    const b = randomArray(rng, sb, "float32");
    const expected = dot(a.ref, b.ref, "float32");
    const k = sa.length ? sa[sa.length - 1]! : 1;
    // Σ|a·b| ≤ k·max|a|·max|b| = 9k for inputs in [-3, 3].
    checkAllModes((x, y) => np.dot(x, y), [a.x, b.x], expected, { rtol: 1e-5, atol: 1e-5 * 9 * k });
  });

  it("outer and vdot flatten their operands", () => {
    const rng = new Rng(95);
    const a = randomArray(rng, [2, 2], "float32");
    const b = randomArray(rng, [3], "float32");
    const outer = map([reshape(a.ref, [4, 1]), reshape(b.ref, [1, 3])], (p, q) => p * q, "float32");
    checkAllModes((x, y) => np.outer(x, y), [a.x, b.x], outer, F32);
    const c = randomArray(rng, [4], "float32");
    const vd = matmul(reshape(a.ref, [4]), c.ref, "float32");
    checkAllModes((x, y) => np.vdot(x, y), [a.x, c.x], vd.result, dotTol(vd.magnitude));
  });

  it("dot rejects misaligned operands", () => {
    expect(() => np.dot(np.ones([2, 3]), np.ones([2, 3]))).toThrow(ShapeError);
  });
});

describe("matmul kernel against a naive loop on many random sizes", () => {
  it("random m, k, n in 0..20 and transposes (jit)", () => {
    const rng = new Rng(96);
    for (let trial = 0; trial < 25; trial++) {
      const [m, k, n] = [rng.int(0, 20), rng.int(0, 20), rng.int(0, 20)];
      const ta = rng.bool(), tb = rng.bool();
      const a = randomArray(rng, ta ? [k, m] : [m, k], "float32");
      const b = randomArray(rng, tb ? [n, k] : [k, n], "float32");
      const { result, magnitude } = matmul(ta ? transpose(a.ref) : a.ref, tb ? transpose(b.ref) : b.ref, "float32");
      const fn = (x: NDArray, y: NDArray) => np.matmul(ta ? x.T : x, tb ? y.T : y);
      checkAllModes(fn, [a.x, b.x], result, dotTol(magnitude), `m=${m} k=${k} n=${n} ta=${ta} tb=${tb}`);
    }
  });
});
