// Autodiff and vmap of the sorting functions: jvp vs finite differences and vjp by the
// dot-product identity (inputs well separated, so a small step never reorders them), grads
// vs a hand-computed float64 reference (the cotangent routed back through the permutation),
// zero derivatives of argsort/searchsorted, and vmap vs stacking rows.

import { describe, expect, it } from "vitest";
import { grad, hessian, jit, jvp, lax, np, vmap, type NDArray } from "tsjit";
import { checkDerivatives, closeTo, rng, toF64 } from "./helpers.js";

/** n distinct values, at least 0.3 apart, in a shuffled order (seeded). */
function separated(seed: number, shape: number[]): NDArray {
  const r = rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const v = Array.from({ length: n }, (_, i) => (i - n / 2) * 0.3 + 0.05 * r());
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [v[i], v[j]] = [v[j]!, v[i]!];
  }
  return np.array(v).reshape(shape);
}

describe("jvp and vjp through sorting", () => {
  it("np.sort along either axis, ascending and descending, inside other ops", () => {
    const x = separated(1, [3, 4]);
    checkDerivatives((x) => np.sort(x), [x]);
    checkDerivatives((x) => np.sin(np.sort(x, 0, { descending: true })), [x]);
    checkDerivatives((x) => np.multiply(np.sort(x, null), np.arange(12)), [x]);
  });

  it("lax.topK values; lax.sort with a key and a differentiable payload", () => {
    const x = separated(2, [2, 6]);
    checkDerivatives((x) => np.tanh(lax.topK(x, 3)[0]), [x]);
    const y = separated(3, [2, 6]);
    checkDerivatives((x, y) => { const [a, b] = lax.sort([x, y]); return np.add(a, np.multiply(b, 3)); }, [x, y]);
  });

  it("grad of sum(sort(x) * w) routes w[i] to the position the i-th smallest came from (eager and jit)", () => {
    const x = separated(4, [7]), w = np.array([1, 2, 3, 4, 5, 6, 7]);
    const xs = toF64(x);
    const order = Array.from(xs.keys()).sort((i, j) => xs[i]! - xs[j]!);
    const expected = new Float64Array(7);
    order.forEach((src, i) => (expected[src] = i + 1));
    const f = (x: NDArray) => np.sum(np.multiply(np.sort(x), w));
    closeTo(toF64(grad(f)(x) as NDArray), expected, 0, 0, "grad");
    closeTo(toF64(jit(grad(f))(x) as NDArray), expected, 0, 0, "jit(grad)");
    // Descending: w[i] goes to the i-th largest.
    const fd = (x: NDArray) => np.sum(np.multiply(np.sort(x, -1, { descending: true }), w));
    const expectedDesc = new Float64Array(7);
    order.slice().reverse().forEach((src, i) => (expectedDesc[src] = i + 1));
    closeTo(toF64(grad(fd)(x) as NDArray), expectedDesc, 0, 0, "grad descending");
  });

  it("second order: the hessian of sum(sort(x)^3 * w) is diagonal, 6·x_i·w[rank of x_i]", () => {
    const x = separated(7, [5]), w = np.array([1, -2, 3, 0.5, 2]);
    const h = hessian((x: NDArray) => np.sum(np.multiply(np.power(np.sort(x), 3), w)))(x) as NDArray;
    const xs = toF64(x), ws = toF64(w);
    const rank = Array.from(xs.keys()).sort((i, j) => xs[i]! - xs[j]!);
    const expected = new Float64Array(25);
    rank.forEach((src, r) => (expected[src * 5 + src] = 6 * xs[src]! * ws[r]!));
    closeTo(toF64(h), expected, 1e-5, 1e-5, "hessian");
  });

  it("grad through topK: only the k largest get gradient", () => {
    const x = np.array([0.5, 3, -1, 2, 3.5]);
    const g = grad((x: NDArray) => np.sum(np.square(lax.topK(x, 2)[0])))(x) as NDArray;
    closeTo(toF64(g), [0, 6, 0, 0, 7], 0, 1e-6, "grad topK");
  });

  it("argsort and searchsorted have zero derivative; gathering with argsort differentiates through the gather", () => {
    const x = separated(5, [6]);
    const [, t] = jvp((x: NDArray) => np.argsort(x), [x], [np.ones([6])]) as [NDArray, NDArray];
    expect(Array.from(t.dataSync()).every((v) => v === 0)).toBe(true);
    const a = np.array([-1, 0, 1]);
    const g = grad((x: NDArray) => np.sum(np.multiply(x, np.searchsorted(a, x).astype("float32"))))(x) as NDArray;
    closeTo(toF64(g), toF64(np.searchsorted(a, x).astype("float32")), 0, 0, "searchsorted is a constant");
    const viaArgsort = grad((x: NDArray) => np.sum(np.multiply(np.take(x, np.argsort(x)), np.arange(6))))(x) as NDArray;
    const viaSort = grad((x: NDArray) => np.sum(np.multiply(np.sort(x), np.arange(6))))(x) as NDArray;
    closeTo(toF64(viaArgsort), toF64(viaSort), 0, 0, "take(x, argsort(x)) vs sort(x)");
  });
});

describe("vmap of sorting equals stacking rows", () => {
  const stackRows = (f: (...xs: NDArray[]) => NDArray, xs: NDArray[], axes: (number | null)[]) =>
    np.stack(Array.from({ length: xs[axes.findIndex((a) => a !== null)]!.shape[axes.find((a) => a !== null)!]! }, (_, i) =>
      f(...xs.map((x, k) => (axes[k] === null ? x : np.take(x, np.array(i, { dtype: "int32" }), { axis: axes[k]! }))))));
  const same = (a: NDArray, b: NDArray, what: string) => {
    expect([...a.shape], what).toEqual([...b.shape]);
    expect(a.dtype, what).toBe(b.dtype);
    expect(Array.from(a.dataSync(), Number), what).toEqual(Array.from(b.dataSync(), Number)); // NaN equals NaN here
  };

  it("sort, argsort (descending), topK values and indices, lax.sort payload, batch axis anywhere", () => {
    const x = np.array([[3, 1, 2, 1], [0, -1, 5, 5], [2, 2, NaN, -0]]);
    const cases: [string, (...xs: NDArray[]) => NDArray, number][] = [
      ["sort", (r) => np.sort(r), 0],
      ["sort, batch axis 1", (r) => np.sort(r), 1],
      ["argsort desc", (r) => np.argsort(r, -1, { descending: true }), 0],
      ["topK values", (r) => lax.topK(r, 2)[0], 0],
      ["topK indices, batch axis last", (r) => lax.topK(r, 2)[1], 1],
      ["lax.sort payload", (r) => lax.sort([r, np.arange(r.shape[0]!)], { numKeys: 1 })[1]!, 0],
    ];
    for (const [name, f, axis] of cases) {
      same(vmap(f, { inAxes: axis })(x) as NDArray, stackRows(f, [x], [axis]), name);
      same(jit(vmap(f, { inAxes: axis }))(x) as NDArray, stackRows(f, [x], [axis]), `jit(vmap) ${name}`);
    }
  });

  it("searchsorted batched over the sorted rows, the queries, or both", () => {
    const A = np.array([[0, 1, 2, 3], [-5, 0, 0, 9]]), V = np.array([[0.5, 9], [0, 10]]);
    const f = (a: NDArray, v: NDArray) => np.searchsorted(a, v, { side: "right" });
    same(vmap(f)(A, V) as NDArray, stackRows(f, [A, V], [0, 0]), "both");
    same(vmap(f, { inAxes: [0, null] })(A, V) as NDArray, stackRows(f, [A, V], [0, null]), "rows of a");
    same(vmap(f, { inAxes: [null, 1] })(np.array([0, 1, 2, 3]), V) as NDArray, stackRows(f, [np.array([0, 1, 2, 3]), V], [null, 1]), "queries");
  });

  it("per-example gradients through sort", () => {
    const X = separated(6, [3, 5]);
    const w = np.arange(5);
    const f = (x: NDArray) => np.sum(np.multiply(np.sort(x), w));
    same(vmap(grad(f))(X) as NDArray, stackRows(grad(f) as (x: NDArray) => NDArray, [X], [0]), "vmap(grad)");
  });
});
