// vmap: equals stacking f over rows, for every primitive family and control flow; inAxes /
// outAxes conventions and errors; jit(vmap(f)) is one batched program; per-example gradients.
import { describe, expect, it } from "vitest";
import { ArgumentError, ShapeError, grad, jit, lax, makeJaxpr, np, vmap, type NDArray } from "tsjit";
import { caught } from "../helpers/errors.js";
import { closeTo, randn, rng, toF64 } from "./helpers.js";

const r = rng(5);

/** vmap(f)(xs...) vs stacking f(x_i...) for i along axis 0 of every argument. */
function checkVmap(f: (...xs: NDArray[]) => NDArray, xs: NDArray[], tol = 1e-6): void {
  const batched = vmap(f)(...xs) as NDArray;
  const n = xs[0]!.shape[0]!;
  const rows = Array.from({ length: n }, (_, i) => f(...xs.map((x) => x.slice(i))));
  const stacked = np.stack(rows, 0);
  expect(batched.shape).toEqual(stacked.shape);
  expect(batched.dtype).toBe(stacked.dtype);
  closeTo(toF64(batched), toF64(stacked), tol, tol, "vmap vs stacked loop");
}

describe("batching rules equal a stacked loop", () => {
  const B = 3;
  const cases: [string, (...xs: NDArray[]) => NDArray, () => NDArray[]][] = [
    ["unary + binary with scalar", (x) => np.add(np.tanh(x), np.multiply(np.exp(x), 2)), () => [randn(r, [B, 4])]],
    ["binary with rank-0 rows", (x, y) => np.multiply(x, y), () => [randn(r, [B, 4]), randn(r, [B])]],
    ["where / comparisons", (x, y) => np.where(np.greater(x, y), x, np.negative(y)), () => [randn(r, [B, 4]), randn(r, [B, 4])]],
    ["reductions", (x) => np.add(np.sum(x, 1), np.max(x, 1)), () => [randn(r, [B, 2, 5])]],
    ["argmax", (x) => np.argmax(x, 1), () => [randn(r, [B, 2, 5])]],
    ["matmul both batched", (a, b) => np.matmul(a, b), () => [randn(r, [B, 2, 3]), randn(r, [B, 3, 4])]],
    ["dot vector", (a, b) => np.dot(a, b), () => [randn(r, [B, 5]), randn(r, [B, 5])]],
    ["structural", (x) => np.concatenate([np.transpose(x.reshape(3, 2)), x.reshape(2, 3).slice(":", [0, 3, 2])], 1), () => [randn(r, [B, 6])]],
    ["broadcast + expand + squeeze", (x) => np.squeeze(np.expandDims(np.broadcastTo(x, [2, 4]), 0), 0), () => [randn(r, [B, 4])]],
    ["astype", (x) => np.greater(x, 0).astype("float32"), () => [randn(r, [B, 4])]],
  ];
  for (const [name, f, make] of cases) it(name, () => checkVmap(f, make()));

  it("matmul with one operand unbatched (either side), via inAxes null", () => {
    const w = randn(r, [3, 4]), xs = randn(r, [B, 2, 3]), ys = randn(r, [B, 4, 2]);
    const left = vmap((x: NDArray) => np.matmul(x, w))(xs) as NDArray;
    closeTo(toF64(left), toF64(np.stack([0, 1, 2].map((i) => np.matmul(xs.slice(i), w)))), 1e-6, 1e-6, "lhs batched");
    const right = vmap((m: NDArray, y: NDArray) => np.matmul(m, y), { inAxes: [null, 0] })(w, ys) as NDArray;
    closeTo(toF64(right), toF64(np.stack([0, 1, 2].map((i) => np.matmul(w, ys.slice(i))))), 1e-6, 1e-6, "rhs batched");
  });
});

describe("control flow under vmap", () => {
  it("cond with a batched predicate becomes a select of both branches", () => {
    const f = (x: NDArray) => lax.cond(x.sum().gt(0), (v: NDArray) => np.sin(v), (v: NDArray) => np.square(v), x);
    const xs = np.array([[1, 2], [-1, -2], [0.5, -0.1]]);
    checkVmap(f, [xs]);
    const text = makeJaxpr(vmap(f))(xs).toString();
    expect(text).not.toContain("cond[");
    expect(text).toContain("select_n");
  });
  it("cond with an unbatched predicate stays a cond; switch", () => {
    const f = (i: NDArray, x: NDArray) => lax.switch(i, [(v: NDArray) => v.mul(2), (v: NDArray) => np.cos(v), (v: NDArray) => v.sub(1)], x);
    const xs = randn(r, [3, 2]);
    const out = vmap(f, { inAxes: [null, 0] })(np.array(1, { dtype: "int32" }), xs) as NDArray;
    closeTo(toF64(out), toF64(np.cos(xs)), 1e-6, 1e-6, "unbatched index");
    const is = np.array([0, 1, 2], { dtype: "int32" });
    checkVmap(f, [is, xs]);
  });
  it("scan, foriLoop and map", () => {
    const f = (w: NDArray, xs: NDArray) => lax.scan((c: NDArray, x: NDArray) => [np.tanh(np.add(np.matmul(w, c), x)), c.sum()] as const, np.zeros([2]), xs)[1];
    checkVmap(f, [randn(r, [3, 2, 2]), randn(r, [3, 4, 2])]);
    checkVmap((x: NDArray) => lax.foriLoop(0, 3, (_i: NDArray, c: NDArray) => np.sin(c).add(x), x), [randn(r, [3, 2])]);
    checkVmap((x: NDArray) => lax.map((v: NDArray) => v.sum(), x), [randn(r, [3, 4, 2])]);
  });
  it("whileLoop with a batched predicate runs until every row is done", () => {
    const f = (x: NDArray) => lax.whileLoop((c: NDArray) => c.lt(10), (c: NDArray) => c.mul(2), x);
    const xs = np.array([1, 3, 11, 0.5]);
    expect((vmap(f)(xs) as NDArray).tolist()).toEqual([16, 12, 11, 16]);
  });
});

describe("conventions and errors", () => {
  it("inAxes / outAxes: numbers, null, negative axes, pytree prefixes", () => {
    const x = randn(r, [2, 3]);
    const out = vmap((v: NDArray) => v.mul(2), { inAxes: 1, outAxes: -1 })(x) as NDArray;
    closeTo(toF64(out), toF64(x.mul(2)), 0, 0, "axis 1 to -1");
    const tree = vmap((p: { a: NDArray; b: NDArray }, k: number) => np.add(p.a, p.b).mul(k), { inAxes: [{ a: 0, b: null }, null] })({ a: x, b: np.array([1, 2, 3]) }, 2) as NDArray;
    closeTo(toF64(tree), toF64(np.add(x, np.array([1, 2, 3])).mul(2)), 0, 0, "prefix");
    const unb = vmap((_v: NDArray) => np.array([7, 8]))(x) as NDArray;
    expect(unb.tolist()).toEqual([[7, 8], [7, 8]]);
  });
  it("mismatched sizes and missing batch axes are named errors", () => {
    const e = caught(() => vmap((a: NDArray, b: NDArray) => np.add(a, b))(np.ones([2, 3]), np.ones([4, 3])));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toContain("inconsistent sizes for the mapped axis");
    expect(caught(() => vmap((a: NDArray) => a, { inAxes: null })(np.ones([2])))).toBeInstanceOf(ArgumentError);
    expect(caught(() => vmap((a: NDArray) => a, { inAxes: [0, 0] })(np.ones([2]))).message).toContain("inAxes has 2 entries");
    expect(caught(() => vmap((a: NDArray) => a.mul(2), { outAxes: null })(np.ones([2]))).message).toContain("outAxes is null for output 0");
    expect(caught(() => vmap((a: NDArray) => a, { inAxes: 2 })(np.ones([2]))).message).toContain("axis 2 is out of range");
  });
});

describe("composition", () => {
  it("jit(vmap(f)) is one batched program (no loop over the batch)", () => {
    const f = (x: NDArray, w: NDArray) => np.tanh(np.matmul(w, x)).sum();
    const jf = jit(vmap(f, { inAxes: [0, null] }));
    const xs = randn(r, [8, 3]), w = randn(r, [2, 3]);
    const out = jf(xs, w) as NDArray;
    closeTo(toF64(out), toF64(np.stack(Array.from({ length: 8 }, (_, i) => f(xs.slice(i), w)))), 1e-6, 1e-6, "jit(vmap)");
    const text = jf.lower(xs, w).asText();
    expect(text).not.toMatch(/scan|while/);
    expect(text).toContain("dot_general");
  });
  it("per-example gradients: vmap(grad(loss)) equals a loop of grads", () => {
    const loss = (w: NDArray, x: NDArray, y: NDArray) => np.square(np.subtract(np.dot(x, w), y));
    const w = randn(r, [3]), xs = randn(r, [5, 3]), ys = randn(r, [5]);
    const per = vmap(grad(loss), { inAxes: [null, 0, 0] })(w, xs, ys) as NDArray;
    const loop = np.stack(Array.from({ length: 5 }, (_, i) => grad(loss)(w, xs.slice(i), ys.slice(i)) as NDArray));
    closeTo(toF64(per), toF64(loop), 1e-5, 1e-6, "per-example");
    const jitted = jit(vmap(grad(loss), { inAxes: [null, 0, 0] }));
    closeTo(toF64(jitted(w, xs, ys) as NDArray), toF64(loop), 1e-5, 1e-6, "jit(vmap(grad))");
  });
  it("grad of a vmapped function, and vmap of jvp through scan", () => {
    const f = (w: NDArray) => np.sum(vmap((x: NDArray) => np.sin(np.dot(x, w)))(np.array([[1, 2], [3, 4]])));
    const g = grad(f)(np.array([0.1, 0.2])) as NDArray;
    const c1 = Math.cos(0.5), c2 = Math.cos(1.1);
    closeTo(toF64(g), [c1 + 3 * c2, 2 * c1 + 4 * c2], 1e-5, 1e-6, "grad(vmap)");
  });
});
