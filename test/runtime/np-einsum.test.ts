// einsum (random specs: repeated labels, sums, broadcasting size-1 axes, ellipses, implicit
// output), tensordot, inner, kron, linalg.norm, average and countNonzero against float64
// brute-force references written here, in every mode; the contraction order; errors.

import { describe, expect, it } from "vitest";
import { ArgumentError, ShapeError, grad, makeJaxpr, np, vmap, type NDArray } from "tsjit";
import { Rng } from "../helpers/prng.js";
import { MODES, checkAllModes, expectClose, randomArray, runMode, type Tolerance } from "../helpers/harness.js";
import { forEachIndex, fromValues, size, type RDType, type Ref } from "../helpers/reference.js";
import { caught } from "../helpers/errors.js";

/**
 * Brute-force einsum over explicit labels (no ellipsis): every assignment of every label,
 * a size-1 operand axis read at 0. Returns the result and Σ|terms| per element (the scale
 * of float32 summation error).
 */
function refEinsum(inputs: string[], output: string, ops: Ref[], dtype: RDType): { result: Ref; magnitude: Float64Array } {
  const sizes = new Map<string, number>();
  inputs.forEach((s, k) => [...s].forEach((l, d) => sizes.set(l, Math.max(sizes.get(l) ?? 1, ops[k]!.shape[d]!))));
  const all = [...sizes.keys()];
  const outShape = [...output].map((l) => sizes.get(l)!);
  const values = new Float64Array(size(outShape)), mags = new Float64Array(size(outShape));
  const env = new Map<string, number>();
  forEachIndex(all.map((l) => sizes.get(l)!), (idx) => {
    all.forEach((l, i) => env.set(l, idx[i]!));
    let prod = 1;
    inputs.forEach((s, k) => {
      prod *= ops[k]!.at([...s].map((l, d) => (ops[k]!.shape[d] === 1 ? 0 : env.get(l)!)));
    });
    let flat = 0;
    for (const l of output) flat = flat * sizes.get(l)! + env.get(l)!;
    values[flat] += prod;
    mags[flat] += Math.abs(prod);
  });
  return { result: fromValues(outShape, values, dtype), magnitude: mags };
}

const LETTERS = "abcdef";

describe("einsum", () => {
  it("random specs: contractions, diagonals, sums, size-1 broadcasting, explicit and implicit output", () => {
    const rng = new Rng(101);
    for (let trial = 0; trial < 40; trial++) {
      const sizes = new Map([...LETTERS].map((l) => [l, rng.int(1, 4)]));
      const nOps = rng.int(1, 3);
      const inputs = Array.from({ length: nOps }, () => Array.from({ length: rng.int(0, 3) }, () => rng.pick([...LETTERS.slice(0, 4)])).join(""));
      const used = [...new Set(inputs.join(""))];
      const implicit = rng.bool(0.3);
      const output = implicit
        ? used.filter((l) => inputs.join("").split(l).length === 2).sort().join("")
        : rng.shuffle(used.filter(() => rng.bool(0.5))).join("");
      const dtype: RDType = rng.bool(0.75) ? "float32" : "int32";
      const args = inputs.map((s) => randomArray(rng, [...s].map((l) => (rng.bool(0.15) ? 1 : sizes.get(l)!)), dtype));
      // A repeated label takes one size (a size-1 copy of a repeated label would be ambiguous in the reference).
      args.forEach((a, k) => {
        const s = inputs[k]!;
        if ([...s].some((l, d) => s.indexOf(l) !== d)) {
          const shape = [...s].map((l) => sizes.get(l)!);
          args[k] = randomArray(rng, shape, dtype);
        }
      });
      const spec = implicit ? inputs.join(",") : `${inputs.join(",")}->${output}`;
      const { result, magnitude } = refEinsum(inputs, output, args.map((a) => a.ref), dtype);
      const tol: Tolerance = dtype === "float32" ? { rtol: 2e-6, atol: 1e-6, magnitude } : { rtol: 0, atol: 0 };
      checkAllModes((...xs) => np.einsum(spec, ...xs), args.map((a) => a.x), result, tol, `${spec} on ${args.map((a) => `[${a.ref.shape}]`).join(" ")}`);
    }
  });

  it("ellipses broadcast like NumPy and appear in front of the implicit output", () => {
    const rng = new Rng(102);
    const a = randomArray(rng, [2, 1, 3, 4], "float32"), b = randomArray(rng, [5, 4, 2], "float32");
    // "...ij,...jk->...ik" with ... = (2, 1) and (5,) → (2, 5).
    const ea = refEinsum(["xyij", "yjk"], "xyik", [a.ref, b.ref], "float32");
    checkAllModes((x, y) => np.einsum("...ij,...jk->...ik", x, y), [a.x, b.x], ea.result, { rtol: 2e-6, atol: 1e-6, magnitude: ea.magnitude });
    checkAllModes((x, y) => np.einsum("...ij,...jk", x, y), [a.x, b.x], ea.result, { rtol: 2e-6, atol: 1e-6, magnitude: ea.magnitude });
    const c = randomArray(rng, [3, 3, 2], "float32");
    const ec = refEinsum(["iix"], "x", [c.ref], "float32");
    checkAllModes((x) => np.einsum("ii...->...", x), [c.x], ec.result, { rtol: 2e-6, atol: 1e-6, magnitude: ec.magnitude });
    checkAllModes((x) => np.einsum(" i i ... ", x), [c.x], ec.result, { rtol: 2e-6, atol: 1e-6, magnitude: ec.magnitude });
  });

  it("chains contract smallest-intermediate first: a matrix chain ending in a vector never forms n×n", () => {
    const n = 64;
    const A = np.ones([n, n]), B = np.ones([n, n]), v = np.ones([n]);
    const jaxpr = makeJaxpr((a: NDArray, b: NDArray, x: NDArray) => np.einsum("ij,jk,k->i", a, b, x))(A, B, v).toString();
    // Greedy picks (B, v) first (an n-vector), then A·(Bv): two matrix-vector dot_generals.
    const dots = jaxpr.split("\n").filter((l) => l.includes("dot_general"));
    expect(dots.length).toBe(2);
    expect(jaxpr).not.toMatch(new RegExp(`f32\\[${n},${n}\\] = dot_general`));
    expect(np.einsum("ij,jk,k->i", A, B, v).dataSync()[0]).toBe(n * n);
  });

  it("differentiates and batches", () => {
    const rng = new Rng(103);
    const a = randomArray(rng, [3, 4], "float32"), b = randomArray(rng, [4, 2], "float32");
    const g = grad((x: NDArray) => np.sum(np.einsum("ij,jk->ik", x, b.x)))(a.x);
    // d/dA sum(A B) = 1 Bᵀ: row sums of B for every row.
    const rowSums = Array.from({ length: 4 }, (_, j) => b.ref.data[2 * j]! + b.ref.data[2 * j + 1]!);
    expectClose(g, fromValues([3, 4], Array.from({ length: 12 }, (_, k) => rowSums[k % 4]!), "float32"));
    const batched = vmap((x: NDArray) => np.einsum("j,jk->k", x, b.x))(a.x);
    expectClose(batched, refEinsum(["ij", "jk"], "ik", [a.ref, b.ref], "float32").result, { rtol: 2e-6, atol: 1e-6 });
  });

  it("rejects malformed specs, operand counts, ranks and size mismatches", () => {
    const m = np.ones([2, 3]), v = np.ones([4]);
    const cases: [() => unknown, RegExp, typeof ArgumentError | typeof ShapeError][] = [
      [() => np.einsum("ij,jk->ik", m), /name 2 operand\(s\), but 1 were given/, ArgumentError],
      [() => np.einsum("i1->i", m), /invalid character "1"/, ArgumentError],
      [() => np.einsum("ijk->i", m), /shape \(2, 3\) \(rank 2\) but subscripts "ijk" name 3 axes/, ShapeError],
      [() => np.einsum("ij,j->i", m, v), /label "j" has size 3 in one operand and 4 in operand 1/, ShapeError],
      [() => np.einsum("ij->iz", m), /output subscript "z".*does not appear/, ArgumentError],
      [() => np.einsum("ij->ii", m), /output subscript "i" appears more than once/, ArgumentError],
      [() => np.einsum("...j->j", np.ones([2, 3])), /"\.\.\." axes must appear in the output/, ShapeError],
      [() => np.einsum("i->i->i", v), /more than one "->"/, ArgumentError],
      [() => np.einsum("i.j", m), /stray '\.'/, ArgumentError],
      [() => np.einsum(3 as never, m), /subscripts string/, ArgumentError],
    ];
    for (const [f, re, cls] of cases) {
      const e = caught(f);
      expect(e, String(re)).toBeInstanceOf(cls);
      expect(e.message).toMatch(re);
    }
  });
});

describe("tensordot / inner / kron", () => {
  it("match brute-force references", () => {
    const rng = new Rng(201);
    const a = randomArray(rng, [2, 3, 4], "float32"), b = randomArray(rng, [3, 4, 5], "float32"), c = randomArray(rng, [4, 3], "int32");
    const t2 = refEinsum(["ijk", "jkl"], "il", [a.ref, b.ref], "float32");
    checkAllModes((x, y) => np.tensordot(x, y), [a.x, b.x], t2.result, { rtol: 2e-6, atol: 1e-6, magnitude: t2.magnitude });
    const d = randomArray(rng, [4, 2, 2], "float32");
    const t1 = refEinsum(["ijk", "klm"], "ijlm", [a.ref, d.ref], "float32");
    checkAllModes((x, y) => np.tensordot(x, y, 1), [a.x, d.x], t1.result, { rtol: 2e-6, atol: 1e-6, magnitude: t1.magnitude });
    const tp = refEinsum(["ijk", "kj"], "i", [a.ref, c.ref], "float32");
    checkAllModes((x, y) => np.tensordot(x, y, [[1, 2], [1, 0]]), [a.x, c.x], tp.result, { rtol: 2e-6, atol: 1e-6, magnitude: tp.magnitude });
    const e = randomArray(rng, [2], "int32");
    const t0 = refEinsum(["ij", "k"], "ijk", [c.ref, e.ref], "int32");
    checkAllModes((x, y) => np.tensordot(x, y, 0), [c.x, e.x], t0.result);
    const g = randomArray(rng, [5, 4], "float32");
    const inn = refEinsum(["ijk", "lk"], "ijl", [a.ref, g.ref], "float32");
    checkAllModes((x, y) => np.inner(x, y), [a.x, g.x], inn.result, { rtol: 2e-6, atol: 1e-6, magnitude: inn.magnitude });
    const p = randomArray(rng, [2, 3], "int32"), q = randomArray(rng, [3, 1, 2], "int32");
    // kron: out[(i0·3 + j0), (i1·1 + j1), j2] with p lifted to (1, 2, 3).
    const kr = new Float64Array(3 * 2 * 6);
    forEachIndex([3, 2, 6], ([r, s, t], flat) => (kr[flat] = p.ref.at([s!, Math.floor(t! / 2)]) * q.ref.at([r!, 0, t! % 2])));
    checkAllModes((x, y) => np.kron(x, y), [p.x, q.x], fromValues([3, 2, 6], kr, "int32"));
  });

  it("reject mismatched axes", () => {
    const a = np.ones([2, 3]), b = np.ones([4, 3]);
    expect(caught(() => np.tensordot(a, b, 1)).message).toMatch(/axis 1 of \(2, 3\) has size 3, axis 0 of \(4, 3\) has size 4/);
    expect(caught(() => np.tensordot(a, b, 3))).toBeInstanceOf(ShapeError);
    expect(caught(() => np.tensordot(a, b, [[0], [0, 1]])).message).toMatch(/different lengths/);
    expect(caught(() => np.tensordot(a, b, [[5], [0]])).message).toMatch(/axis 5 is out of bounds/);
    expect(caught(() => np.inner(a, np.ones([2])))).toBeInstanceOf(ShapeError);
  });
});

describe("linalg.norm / average / countNonzero", () => {
  const pnorm = (v: number[], p: number) => {
    const a = v.map(Math.abs);
    if (p === Infinity) return Math.max(...a);
    if (p === -Infinity) return Math.min(...a);
    if (p === 0) return a.filter((x) => x !== 0).length;
    return a.reduce((s, x) => s + x ** p, 0) ** (1 / p);
  };

  it("vector norms along an axis and matrix norms over two, keepdims, integer input", () => {
    const rng = new Rng(301);
    const { x, ref } = randomArray(rng, [3, 4, 2], "float32");
    const at = (i: number, j: number, k: number) => ref.at([i, j, k]);
    const tol = { rtol: 3e-6, atol: 1e-7 };
    for (const ord of [undefined, 2, 1, Infinity, -Infinity, 0, 3, 0.5, -1]) {
      const want = Array.from({ length: 6 }, (_, f) => pnorm([0, 1, 2, 3].map((j) => at(Math.floor(f / 2), j, f % 2)), ord ?? 2));
      checkAllModes((a) => np.linalg.norm(a, ord, 1), [x], fromValues([3, 2], want, "float32"), tol, `vector ord ${ord}`);
      checkAllModes((a) => np.linalg.norm(a, ord, 1, { keepdims: true }), [x], fromValues([3, 1, 2], want, "float32"), tol, `vector ord ${ord} keepdims`);
    }
    const mat = (k: number) => Array.from({ length: 3 }, (_, i) => Array.from({ length: 4 }, (_, j) => at(i, j, k)));
    const matRef: [string | number, (m: number[][]) => number][] = [
      ["fro", (m) => Math.sqrt(m.flat().reduce((s, v) => s + v * v, 0))],
      [1, (m) => Math.max(...m[0]!.map((_, j) => m.reduce((s, r) => s + Math.abs(r[j]!), 0)))],
      [-1, (m) => Math.min(...m[0]!.map((_, j) => m.reduce((s, r) => s + Math.abs(r[j]!), 0)))],
      [Infinity, (m) => Math.max(...m.map((r) => r.reduce((s, v) => s + Math.abs(v), 0)))],
      [-Infinity, (m) => Math.min(...m.map((r) => r.reduce((s, v) => s + Math.abs(v), 0)))],
    ];
    for (const [ord, f] of matRef) {
      checkAllModes((a) => np.linalg.norm(a, ord as never, [0, 1]), [x], fromValues([2], [f(mat(0)), f(mat(1))], "float32"), tol, `matrix ord ${ord}`);
      const t = (m: number[][]) => m[0]!.map((_, j) => m.map((r) => r[j]!));
      checkAllModes((a) => np.linalg.norm(a, ord as never, [1, 0], { keepdims: true }), [x], fromValues([1, 1, 2], [f(t(mat(0))), f(t(mat(1)))], "float32"), tol, `matrix ord ${ord} axes (1, 0)`);
    }
    // No axis: the 2-norm of everything; a 2-D input with ord is a matrix norm; 1-D a vector norm.
    checkAllModes((a) => np.linalg.norm(a), [x], fromValues([], [Math.sqrt(ref.data.reduce((s, v) => s + v * v, 0))], "float32"), tol);
    checkAllModes((a) => np.linalg.norm(a.slice(":", ":", 0), 1), [x], fromValues([], [matRef[1]![1](mat(0))], "float32"), tol);
    const ints = np.array([3, -4], { dtype: "int32" });
    expect(np.linalg.norm(ints).dtype).toBe("float32");
    expect(np.linalg.norm(ints).item()).toBe(5);
    expect(np.linalg.norm(ints, 1).item()).toBe(7);
  });

  it("rejects SVD norms with the alternative, and bad ords and axes", () => {
    const m = np.ones([2, 2]);
    const nuc = caught(() => np.linalg.norm(m, "nuc"));
    expect(nuc).toBeInstanceOf(ArgumentError);
    expect(nuc.message).toMatch(/needs singular values \(an SVD\)/);
    expect(nuc.message).toMatch(/"fro"/);
    expect(caught(() => np.linalg.norm(m, 2, [0, 1])).message).toMatch(/ord=2 needs singular values/);
    expect(caught(() => np.linalg.norm(np.ones([3]), "fro")).message).toMatch(/not a vector norm/);
    expect(caught(() => np.linalg.norm(m, 3, [0, 1])).message).toMatch(/not a matrix norm/);
    expect(caught(() => np.linalg.norm(np.ones([2, 2, 2]), 1)).message).toMatch(/1-D or 2-D/);
    expect(caught(() => np.linalg.norm(m, 1, [0, 0])).message).toMatch(/duplicate axes/);
    expect(caught(() => np.linalg.norm(m, 1, [0, 1, 2]))).toBeInstanceOf(ShapeError);
    expect(caught(() => np.linalg.norm(m, 1, 2)).message).toMatch(/out of bounds/);
  });

  it("average with and without weights (full-shape or 1-D along the axis), returned, keepdims", () => {
    const rng = new Rng(302);
    const { x, ref } = randomArray(rng, [3, 4], "float32");
    const w1 = randomArray(rng, [4], "float32", { lo: 0.1, hi: 2 }), wf = randomArray(rng, [3, 4], "int32", { lo: 1, hi: 4 });
    const rows = (wt: (i: number, j: number) => number) => Array.from({ length: 3 }, (_, i) => {
      let num = 0, den = 0;
      for (let j = 0; j < 4; j++) { num += ref.at([i, j]) * wt(i, j); den += wt(i, j); }
      return [num / den, den];
    });
    const tol = { rtol: 1e-5, atol: 1e-6 };
    const r1 = rows((_, j) => w1.ref.data[j]!);
    checkAllModes((a, w) => np.average(a, 1, w), [x, w1.x], fromValues([3], r1.map((r) => r[0]!), "float32"), tol, "1-D weights");
    checkAllModes((a, w) => np.average(a, -1, w, { keepdims: true }), [x, w1.x], fromValues([3, 1], r1.map((r) => r[0]!), "float32"), tol, "keepdims");
    const rf = rows((i, j) => wf.ref.at([i, j]));
    for (const mode of MODES) {
      const [avg, scl] = runMode(mode, (a, w) => np.average(a, 1, w, { returned: true }) as never, [x, wf.x]) as unknown as NDArray[];
      expectClose(avg, fromValues([3], rf.map((r) => r[0]!), "float32"), tol, `returned ${mode}`);
      expectClose(scl, fromValues([3], rf.map((r) => r[1]!), "float32"), tol, `returned weights ${mode}`);
    }
    const all = ref.data.reduce((s, v) => s + v, 0) / 12;
    checkAllModes((a) => np.average(a), [x], fromValues([], [all], "float32"), tol);
    const [m, count] = np.average(x, 0, null, { returned: true });
    expect(count.shape).toEqual([4]);
    expect(Array.from(count.dataSync())).toEqual([3, 3, 3, 3]);
    expect(m.shape).toEqual([4]);
    expect(caught(() => np.average(x, null, w1.x)).message).toMatch(/needs an axis/);
    expect(caught(() => np.average(x, 0, w1.x)).message).toMatch(/1-D weights of length 4 do not match axis 0 of size 3/);
    expect(caught(() => np.average(x, [0, 1], w1.x))).toBeInstanceOf(ShapeError);
  });

  it("countNonzero over axes, as int32, NaN counting as nonzero", () => {
    const x = np.array([[0, 1, NaN], [0, 0, -2]]);
    for (const mode of MODES) {
      expectClose(runMode(mode, (a) => np.countNonzero(a), [x]), fromValues([], [3], "int32"), undefined, mode);
      expectClose(runMode(mode, (a) => np.countNonzero(a, 0), [x]), fromValues([3], [0, 1, 2], "int32"), undefined, mode);
      expectClose(runMode(mode, (a) => np.countNonzero(a, 1, { keepdims: true }), [x]), fromValues([2, 1], [2, 1], "int32"), undefined, mode);
    }
    expect(np.countNonzero(np.array([true, false, true])).item()).toBe(2);
    expect(caught(() => np.countNonzero(x, 2)).message).toMatch(/out of bounds/);
  });
});
