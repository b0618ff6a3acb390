// Differentiating through lax control flow in both modes: cond, switch, select, scan,
// foriLoop with static bounds, map; whileLoop in forward mode, and JAX's error in reverse.
import { describe, expect, it } from "vitest";
import { ArgumentError, grad, jacfwd, jit, jvp, lax, makeJaxpr, np, valueAndGrad, vmap, type NDArray } from "tsjit";
import { caught } from "../helpers/errors.js";
import { checkDerivatives, closeTo, randn, rng, toF64 } from "./helpers.js";

const r = rng(11);

describe("cond / switch / select", () => {
  const f = (x: NDArray) => lax.cond(np.sum(x).gt(0), (v: NDArray) => np.sin(v).mul(v), (v: NDArray) => np.exp(v), x);
  it("takes the derivative of the branch taken (both branches, both modes)", () => {
    checkDerivatives(f, [randn(r, [4], 0.1, 1)]);
    checkDerivatives(f, [randn(r, [4], -1, -0.1)]);
    const x = np.array([0.3, 0.4]);
    closeTo(toF64(grad((v: NDArray) => f(v).sum())(x) as NDArray), [0.3, 0.4].map((v) => Math.sin(v) + v * Math.cos(v)), 1e-5, 1e-6, "true branch");
  });
  it("branches that close over differentiated values", () => {
    const g = (x: NDArray, y: NDArray) => lax.cond(x.sum().lt(0), () => np.multiply(y, y), () => np.multiply(x, y));
    const [gx, gy] = grad((x: NDArray, y: NDArray) => g(x, y).sum(), { argnums: [0, 1] })(np.array([1, 2]), np.array([3, 4])) as NDArray[];
    expect(gx!.tolist()).toEqual([3, 4]);
    expect(gy!.tolist()).toEqual([1, 2]);
  });
  it("switch with three branches, under jit", () => {
    const s = (i: NDArray, x: NDArray) => lax.switch(i, [(v: NDArray) => v.mul(2), (v: NDArray) => np.square(v), (v: NDArray) => np.cos(v)], x).sum();
    const g = jit(grad(s, { argnums: 1 }));
    const x = np.array([0.5, 1.5]);
    expect((g(np.array(0, { dtype: "int32" }), x) as NDArray).tolist()).toEqual([2, 2]);
    expect((g(np.array(1, { dtype: "int32" }), x) as NDArray).tolist()).toEqual([1, 3]);
    closeTo(toF64(g(np.array(2, { dtype: "int32" }), x) as NDArray), [-Math.sin(0.5), -Math.sin(1.5)], 1e-6, 1e-7, "cos");
    expect(g.stats.traces).toBe(1);
  });
  it("select", () => checkDerivatives((a: NDArray, b: NDArray) => lax.select(a.gt(b), np.sin(a), np.multiply(a, b)), [randn(r, [5]), randn(r, [5])]));
});

describe("scan / foriLoop / map", () => {
  const rnn = (w: NDArray, xs: NDArray) => {
    const [h, ys] = lax.scan((c: NDArray, x: NDArray) => {
      const n = np.tanh(np.add(np.matmul(w, c), x));
      return [n, np.sum(n)] as const;
    }, np.zeros([3]), xs);
    return np.add(np.sum(h), np.sum(ys));
  };
  it("reverse mode through scan matches finite differences and forward mode", () => {
    const w = randn(r, [3, 3]), xs = randn(r, [6, 3]);
    checkDerivatives(rnn, [w, xs]);
    const g = grad(rnn)(w, xs) as NDArray;
    const jf = jacfwd(rnn)(w, xs) as NDArray;
    closeTo(toF64(g), toF64(jf), 1e-5, 1e-6, "grad vs jacfwd");
  });
  it("keeps per-step residuals: the backward pass is one reverse scan, not a re-trace per step", () => {
    const w = randn(r, [3, 3]), xs = randn(r, [50, 3]);
    const text = makeJaxpr(grad(rnn))(w, xs).toString();
    const scans = text.match(/scan\[/g) ?? [];
    expect(scans.length).toBe(2); // forward (saving residuals) and transposed
    expect(text).toMatch(/reverse=True|reverse=true/i);
    expect(text).toContain("f32[50,3]");
  });
  it("scan with reverse=true, and ys only", () => {
    const f = (xs: NDArray) => {
      const [, ys] = lax.scan((c: NDArray, x: NDArray) => [np.add(c, x), np.multiply(c, np.sin(x))] as const, np.zeros([2]), xs, { reverse: true });
      return ys;
    };
    checkDerivatives(f, [randn(r, [4, 2])]);
  });
  it("foriLoop with static bounds, both modes", () => {
    const f = (x: NDArray) => lax.foriLoop(0, 5, (i: NDArray, c: NDArray) => np.sin(np.add(c, i.astype("float32").mul(0.1))).mul(x), x);
    checkDerivatives(f, [randn(r, [3])]);
  });
  it("map", () => checkDerivatives((xs: NDArray) => lax.map((x: NDArray) => np.sum(np.exp(x)), xs), [randn(r, [4, 3])]));
  it("nested scan inside cond inside grad inside jit", () => {
    const f = (x: NDArray) => lax.cond(x.sum().gt(0), (v: NDArray) => lax.foriLoop(0, 3, (_i: NDArray, c: NDArray) => np.multiply(c, v), np.ones([2])), (v: NDArray) => v, x).sum();
    const g = jit(grad(f));
    closeTo(toF64(g(np.array([0.5, 2])) as NDArray), [3 * 0.25, 3 * 4], 1e-6, 1e-6, "x^3");
  });
});

describe("whileLoop", () => {
  const f = (x: NDArray) => lax.whileLoop((c: [NDArray, NDArray]) => c[0].lt(4), (c: [NDArray, NDArray]) => [c[0].add(1), np.sin(c[1]).mul(1.5)] as [NDArray, NDArray], [np.array(0, { dtype: "int32" }), x])[1];
  it("differentiates in forward mode", () => {
    const x = randn(r, [3]);
    const [, t] = jvp(f, [x], [np.ones([3])]) as [NDArray, NDArray];
    const fd = toF64(np.subtract(f(np.add(x, 1e-2)), f(np.subtract(x, 1e-2)))).map((v) => v / 2e-2);
    closeTo(toF64(t), fd, 2e-2, 2e-3, "jvp(while)");
    expect((jacfwd(f)(x) as NDArray).shape).toEqual([3, 3]);
  });
  it("reverse mode raises JAX's error naming foriLoop/scan", () => {
    const e = caught(() => grad((x: NDArray) => f(x).sum())(np.array([1, 2])));
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e.message).toContain("Reverse-mode differentiation does not work for lax.while_loop");
    expect(e.message).toMatch(/foriLoop.*scan/);
  });
  it("a whileLoop that does not touch the differentiated value is fine in reverse mode", () => {
    const g = (x: NDArray) => {
      const n = lax.whileLoop((i: NDArray) => i.lt(3), (i: NDArray) => i.add(1), np.array(0, { dtype: "int32" }));
      return np.sum(np.multiply(x, n.astype("float32")));
    };
    const [v, gr] = valueAndGrad(g)(np.array([1, 2])) as [NDArray, NDArray];
    expect(v.item()).toBe(9);
    expect(gr.tolist()).toEqual([3, 3]);
  });
});

describe("foriLoop bounds", () => {
  it("a concrete int32 scalar bound counts as static, so reverse mode works", () => {
    const f = (x: NDArray) => lax.foriLoop(0, np.array(3, { dtype: "int32" }), (_i: NDArray, c: NDArray) => np.multiply(c, x), np.ones([2])).sum();
    expect((grad(f)(np.array([1, 2])) as NDArray).tolist()).toEqual([3, 12]);
  });
  it("a traced bound is a whileLoop: forward mode only", () => {
    const f = (x: NDArray, n: NDArray) => lax.foriLoop(0, n, (_i: NDArray, c: NDArray) => np.multiply(c, x), np.ones([2])).sum();
    const g = jit((x: NDArray, n: NDArray) => jvp((v: NDArray) => f(v, n), [x], [np.ones([2])])[1]);
    expect((g(np.array([1, 2]), np.array(3, { dtype: "int32" })) as NDArray).item()).toBe(3 + 12);
    expect(caught(() => jit(grad(f))(np.array([1, 2]), np.array(3, { dtype: "int32" }))).message).toContain("Reverse-mode differentiation does not work");
  });
});

describe("transformations inside control flow", () => {
  it("gradient descent as a foriLoop inside jit (grad traced inside the loop body)", () => {
    const xs = np.array([[0], [1], [2], [3]]), ys = np.array([1, 3, 5, 7]); // y = 2x + 1
    const mse = (p: { w: NDArray; b: NDArray }) => np.mean(np.square(np.add(np.matmul(xs, p.w), p.b).sub(ys)));
    const fit = jit((steps: number) => lax.foriLoop(0, steps, (_i: NDArray, p: { w: NDArray; b: NDArray }) => {
      const g = grad(mse)(p) as { w: NDArray; b: NDArray };
      return { w: p.w.sub(g.w.mul(0.1)), b: p.b.sub(g.b.mul(0.1)) };
    }, { w: np.zeros([1]), b: np.zeros([]) }), { staticArgnums: [0] });
    const p = fit(300) as { w: NDArray; b: NDArray };
    expect(p.w.item()).toBeCloseTo(2, 3);
    expect(p.b.item()).toBeCloseTo(1, 3);
    expect(fit.stats.traces).toBe(1);
  });
  it("vmap inside a cond branch and grad inside a scan body", () => {
    const f = (x: NDArray) => lax.cond(x.sum().gt(0), (v: NDArray) => vmap((r: NDArray) => r.sum())(v.reshape(2, 2)), (v: NDArray) => v.slice([0, 2]), x);
    expect((f(np.array([1, 2, 3, 4])) as NDArray).tolist()).toEqual([3, 7]);
    const [, ys] = lax.scan((c: NDArray, x: NDArray) => [c, grad((v: NDArray) => np.sin(v).mul(c))(x)] as const, np.array(2), np.array([0, 1]));
    closeTo(toF64(ys as NDArray), [2, 2 * Math.cos(1)], 1e-6, 1e-6, "grad in scan");
  });
});
