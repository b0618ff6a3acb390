// Autodiff and vmap rules of the indexing primitives (dynamic_slice, dynamic_update_slice,
// gather, scatter) and the integer shifts: jvp vs finite differences, vjp by the
// dot-product identity, grads vs float64 hand-written references, vmap vs stacked rows.
import { describe, expect, it } from "vitest";
import { grad, hessian, jit, lax, NotDifferentiableError, np, vmap, type NDArray } from "tsjit";
import * as primitives from "../../runtime/primitives/index.js";
import { batchRules } from "../../runtime/transforms/rules/batch.js";
import { jvpRules } from "../../runtime/transforms/rules/jvp.js";
import { checkDerivatives, closeTo, randn, rng, toF64 } from "./helpers.js";

const r = rng(11);
const i32 = (v: number | number[] | number[][]) => np.array(v, { dtype: "int32" });

describe("jvp and transpose of the indexing primitives", () => {
  it("dynamic_slice (traced-style int32 starts, clamped)", () => {
    const s0 = i32(1), s1 = i32(5);
    checkDerivatives((x) => lax.dynamicSlice(x, [s0, s1], [2, 2]), [randn(r, [4, 4])]);
  });

  it("dynamic_update_slice in both the operand and the update", () => {
    const s = i32(2);
    checkDerivatives((x, u) => np.sin(lax.dynamicUpdateSlice(x, u, [s, 1])), [randn(r, [4, 3]), randn(r, [2, 2])]);
  });

  it("gather: np.take with repeated and clipped indices, x.slice(ids) of rows", () => {
    const ids = i32([0, 3, 3, 9, 1]);
    checkDerivatives((x) => np.take(x, ids), [randn(r, [6])]);
    const rows = i32([[2, 0], [2, 2]]);
    checkDerivatives((x) => np.multiply(x.slice(rows), x.slice(rows)), [randn(r, [3, 4])]);
  });

  it("scatter add with repeated indices", () => {
    const ids = i32([1, 4, 1]);
    checkDerivatives((x, v) => np.tanh(x.at(ids).add(v)), [randn(r, [5, 2]), randn(r, [3, 2])]);
  });

  it("scatter set: the last of repeated updates wins, overwritten entries get no gradient", () => {
    const ids = i32([3, 0, 3]);
    checkDerivatives((x, v) => np.sin(x.at(ids).set(v)), [randn(r, [5]), randn(r, [3])]);
    const g = grad((v: NDArray) => np.sum(np.zeros([5]).at(ids).set(v)))(np.array([1, 2, 3])) as NDArray;
    expect(Array.from(g.dataSync())).toEqual([0, 1, 1]);
  });

  it("scatter multiply with respect to the array", () => {
    const ids = i32([2, 2, 0]);
    const v = np.array([1.5, -2, 0.5]);
    checkDerivatives((x) => x.at(ids).multiply(v), [randn(r, [4])]);
  });

  it("scatter max and min: the winner's tangent, ties averaged", () => {
    const ids = i32([1, 3, 1, 0]);
    const X = np.array([0.3, -0.2, 0.9, 0.1, -0.7]), V = np.array([0.5, -0.9, -0.1, 0.6]);
    checkDerivatives((x, v) => np.sin(x.at(ids).max(v)), [X, V]);
    checkDerivatives((x, v) => np.sin(x.at(ids).min(v)), [X, V]);
    // x[0] = 2 ties with both updates at 0: each of the three gets a third.
    const [gx, gv] = grad((x: NDArray, v: NDArray) => np.sum(x.at(i32([0, 0])).max(v)), { argnums: [0, 1] })(np.array([2, 5]), np.array([2, 2])) as NDArray[];
    closeTo(toF64(gx!), [1 / 3, 1], 1e-6, 1e-6, "d/dx with ties");
    closeTo(toF64(gv!), [1 / 3, 1 / 3], 1e-6, 1e-6, "d/dv with ties");
  });

  it("scatter multiply says it is not differentiable yet in its updates", () => {
    let err: Error | undefined;
    try {
      grad((v: NDArray) => np.sum(np.ones([3]).at(i32([0, 1])).multiply(v)))(np.array([1, 2]));
    } catch (e) { err = e as Error; }
    expect(err).toBeInstanceOf(NotDifferentiableError);
    expect(err?.message).toMatch(/scatter mul is not differentiable yet with respect to its updates/);
  });
});

describe("rule coverage", () => {
  it("every primitive has a JVP rule and (if it takes inputs) a batching rule", () => {
    const prims = [...Object.values(primitives), ...Object.values(primitives.control)]
      .filter((v): v is primitives.Primitive => typeof v === "object" && v !== null && "abstractEval" in v);
    expect(prims.length).toBeGreaterThan(50);
    expect(prims.filter((q) => !jvpRules.has(q.name)).map((q) => q.name)).toEqual([]);
    expect(prims.filter((q) => q.name !== "iota" && !batchRules.has(q.name)).map((q) => q.name)).toEqual([]);
  });
});

describe("grads vs float64 references", () => {
  it("second order through a gather: hessian of sum(take(x, ids)^3)", () => {
    const X = np.array([0.5, -1, 2]);
    const h = hessian((x: NDArray) => np.sum(np.power(np.take(x, i32([2, 0, 2])), 3)))(X) as NDArray;
    // d²/dx_j² = 6 x_j * (times j is taken); off-diagonal zero.
    const x = toF64(X), count = [1, 0, 2];
    closeTo(toF64(h), Float64Array.from({ length: 9 }, (_, k) => (k % 4 === 0 ? 6 * x[k / 4]! * count[k / 4]! : 0)), 1e-5, 1e-5, "hessian");
  });

  it("an embedding lookup: np.take and x.slice(ids) accumulate repeated rows", () => {
    const E = randn(r, [5, 3]), W = randn(r, [4, 3]);
    const ids = [4, 1, 4, 0];
    const w = toF64(W);
    const expected = new Float64Array(15);
    ids.forEach((row, k) => { for (let c = 0; c < 3; c++) expected[row * 3 + c]! += w[k * 3 + c]!; });
    const viaTake = grad((e: NDArray) => np.sum(np.multiply(np.take(e, i32(ids), { axis: 0 }), W)))(E) as NDArray;
    closeTo(toF64(viaTake), expected, 1e-6, 1e-6, "np.take");
    const viaSlice = jit(grad((e: NDArray) => np.sum(np.multiply(e.slice(i32(ids)), W))))(E) as NDArray;
    closeTo(toF64(viaSlice), expected, 1e-6, 1e-6, "x.slice(ids) under jit");
  });

  it("x.at(ids).add(v): sum(sin(y)) with y = x + scattered v", () => {
    const X = randn(r, [6]), V = randn(r, [4]);
    const ids = [5, 2, 5, 0];
    const y = toF64(X);
    const v = toF64(V);
    ids.forEach((i, k) => (y[i]! += v[k]!));
    const [gx, gv] = grad((x: NDArray, u: NDArray) => np.sum(np.sin(x.at(i32(ids)).add(u))), { argnums: [0, 1] })(X, V) as NDArray[];
    closeTo(toF64(gx!), y.map(Math.cos), 1e-5, 1e-5, "d/dx");
    closeTo(toF64(gv!), Float64Array.from(ids, (i) => Math.cos(y[i]!)), 1e-5, 1e-5, "d/dv");
  });

  it("grad inside lax.foriLoop reading row i with lax.dynamicIndexInDim", () => {
    const W = randn(r, [4, 3]), c = randn(r, [3]);
    const f = (w: NDArray) => lax.foriLoop(0, 4, (i, acc: NDArray) =>
      np.add(acc, np.multiply(np.sum(np.multiply(lax.dynamicIndexInDim(w, i, 0, { keepdims: false }), c)), np.astype(i, "float32"))), np.array(0));
    const g = grad(f)(W) as NDArray;
    const cc = toF64(c);
    const expected = Float64Array.from({ length: 12 }, (_, k) => Math.floor(k / 3) * cc[k % 3]!);
    closeTo(toF64(g), expected, 1e-6, 1e-6, "foriLoop grad");
    closeTo(toF64(jit(grad(f))(W) as NDArray), expected, 1e-6, 1e-6, "jit(grad) foriLoop");
  });
});

/** vmap(f)(...xs) vs stacking f on each row (inAxes 0, or null for shared arguments). */
function checkVmap(f: (...xs: NDArray[]) => NDArray, xs: NDArray[], inAxes: (0 | null)[]): void {
  const n = xs[inAxes.indexOf(0)]!.shape[0]!;
  const batched = vmap(f, { inAxes })(...xs) as NDArray;
  const rows = Array.from({ length: n }, (_, b) => f(...xs.map((x, i) => (inAxes[i] === 0 ? x.slice(b) : x))));
  const stacked = np.stack(rows);
  expect(batched.shape).toEqual(stacked.shape);
  expect(batched.dtype).toBe(stacked.dtype);
  closeTo(toF64(batched), toF64(stacked), 0, 0, "vmap vs rows");
}

describe("vmap of the indexing primitives", () => {
  const x = randn(r, [3, 5, 4]), starts = i32([0, 2, 7]), starts2 = i32([1, 0, 3]);
  const ds = (a: NDArray, s: NDArray, t: NDArray) => lax.dynamicSlice(a, [s, t], [2, 3]);
  const dus = (a: NDArray, u: NDArray, s: NDArray) => lax.dynamicUpdateSlice(a, u, [s, 1]);
  const ids = i32([[0, 4, 4], [2, 1, 9], [3, 3, 0]]);
  const take = (a: NDArray, i: NDArray) => np.take(a, i, { axis: 0 });
  const add = (a: NDArray, i: NDArray, v: NDArray) => a.at(i).add(v);
  const set = (a: NDArray, i: NDArray, v: NDArray) => a.at(i).set(v);
  const v = randn(r, [3, 3, 4]);

  it("dynamic_slice: batched operand, batched starts, both", () => {
    checkVmap(ds, [x, starts.slice(0), starts2.slice(0)], [0, null, null]);
    checkVmap(ds, [x.slice(0), starts, starts2], [null, 0, 0]);
    checkVmap(ds, [x, starts, starts2.slice(1)], [0, 0, null]);
  });

  it("dynamic_update_slice: batched operand, update, starts", () => {
    const u = randn(r, [3, 2, 3]);
    checkVmap(dus, [x, u.slice(0), starts.slice(1)], [0, null, null]);
    checkVmap(dus, [x.slice(0), u, starts.slice(1)], [null, 0, null]);
    checkVmap(dus, [x.slice(0), u.slice(0), starts], [null, null, 0]);
    checkVmap(dus, [x, u, starts], [0, 0, 0]);
  });

  it("gather: batched operand, batched indices, both", () => {
    checkVmap(take, [x, ids.slice(0)], [0, null]);
    checkVmap(take, [x.slice(0), ids], [null, 0]);
    checkVmap(take, [x, ids], [0, 0]);
  });

  it("scatter add and set: batched operand, indices, updates", () => {
    const max = (a: NDArray, i: NDArray, u: NDArray) => a.at(i).max(u);
    for (const f of [add, set, max]) {
      checkVmap(f, [x, ids.slice(1), v.slice(0)], [0, null, null]);
      checkVmap(f, [x.slice(0), ids.slice(1), v], [null, null, 0]);
      checkVmap(f, [x.slice(0), ids, v.slice(0)], [null, 0, null]);
      checkVmap(f, [x, ids, v], [0, 0, 0]);
    }
  });

  it("per-example gradients through a gather (vmap of grad)", () => {
    const E = randn(r, [6, 2]);
    const loss = (e: NDArray, i: NDArray) => np.sum(np.square(np.take(e, i, { axis: 0 })));
    checkVmap((i) => grad(loss)(E, i) as NDArray, [ids], [0]);
  });

  it("integer shifts batch elementwise (uint32 and int32)", () => {
    const a = np.array([[1, 2, 3], [4, 5, 6]], { dtype: "uint32" }), k = np.array([1, 31, 33], { dtype: "uint32" });
    checkVmap((p, q) => np.leftShift(p, q), [a, k], [0, null]);
    checkVmap((p, q) => np.rightShift(p, q), [a, k], [0, null]);
    const s = np.array([[-8, 16], [3, -1]], { dtype: "int32" });
    checkVmap((p) => np.rightShift(p, np.array(2, { dtype: "int32" })), [s], [0]);
  });
});
