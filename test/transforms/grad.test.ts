// grad / valueAndGrad / vjp / jvp / jacobians: JAX's conventions, closed forms, a
// hand-written float64 backward pass, higher order, errors, and composition with jit.
import { describe, expect, it } from "vitest";
import {
  ArgumentError, DTypeError, ShapeError, UnexpectedTracerError, grad, hessian, jacfwd, jacrev, jit, jvp, makeJaxpr, np, valueAndGrad, vjp, type NDArray,
} from "tsjit";
import { caught } from "../helpers/errors.js";
import { closeTo, randn, rng, toF64 } from "./helpers.js";

const r = rng(7);

describe("closed forms", () => {
  it("grad of sum(tanh(x)^2) is 2 tanh(x) (1 - tanh(x)^2)", () => {
    const x = randn(r, [6], -2, 2);
    const g = grad((v: NDArray) => np.sum(np.square(np.tanh(v))))(x) as NDArray;
    closeTo(toF64(g), toF64(x).map((v) => 2 * Math.tanh(v) * (1 - Math.tanh(v) ** 2)), 1e-5, 1e-6, "grad");
  });

  it("grad(grad(sin(x) * x)) = 2cos x - x sin x; hessian of a quadratic form is A + A^T", () => {
    const gg = grad(grad((x: NDArray) => np.sin(x).mul(x)))(np.array(0.7)) as NDArray;
    expect(gg.item()).toBeCloseTo(2 * Math.cos(0.7) - 0.7 * Math.sin(0.7), 5);
    const A = randn(r, [3, 3]);
    const h = hessian((x: NDArray) => np.dot(x, np.matmul(A, x)))(randn(r, [3])) as NDArray;
    const a = toF64(A);
    const expected = Array.from({ length: 9 }, (_, k) => a[k]! + a[(k % 3) * 3 + Math.floor(k / 3)]!);
    expect(h.shape).toEqual([3, 3]);
    closeTo(toF64(h), expected, 1e-5, 1e-5, "hessian");
  });

  it("third derivative of x^4 by nesting grad", () => {
    const d3 = grad(grad(grad((x: NDArray) => np.power(x, 4))))(np.array(1.5)) as NDArray;
    expect(d3.item()).toBeCloseTo(24 * 1.5, 3);
  });
});

describe("MLP loss gradient vs a hand-written float64 backward pass", () => {
  it("matches to float32 accuracy", () => {
    const [n, din, dh] = [5, 3, 4];
    const X = randn(r, [n, din]), Y = randn(r, [n, 1]);
    const params = { w1: randn(r, [din, dh]), b1: randn(r, [dh]), w2: randn(r, [dh, 1]), b2: randn(r, [1]) };
    const loss = (p: typeof params, x: NDArray, y: NDArray) => {
      const h = np.tanh(np.add(np.matmul(x, p.w1), p.b1));
      const out = np.add(np.matmul(h, p.w2), p.b2);
      return np.mean(np.square(np.subtract(out, y)));
    };
    const [value, g] = valueAndGrad(loss)(params, X, Y) as [NDArray, typeof params];
    // float64 reference
    const x = toF64(X), y = toF64(Y), w1 = toF64(params.w1), b1 = toF64(params.b1), w2 = toF64(params.w2), b2 = toF64(params.b2);
    const gw1 = new Float64Array(din * dh), gb1 = new Float64Array(dh), gw2 = new Float64Array(dh), gb2 = new Float64Array(1);
    let L = 0;
    for (let i = 0; i < n; i++) {
      const h = new Float64Array(dh);
      for (let j = 0; j < dh; j++) {
        let s = b1[j]!;
        for (let k = 0; k < din; k++) s += x[i * din + k]! * w1[k * dh + j]!;
        h[j] = Math.tanh(s);
      }
      let o = b2[0]!;
      for (let j = 0; j < dh; j++) o += h[j]! * w2[j]!;
      const d = o - y[i]!;
      L += d * d / n;
      const dout = 2 * d / n;
      gb2[0] += dout;
      for (let j = 0; j < dh; j++) {
        gw2[j] += dout * h[j]!;
        const dpre = dout * w2[j]! * (1 - h[j]! ** 2);
        gb1[j] += dpre;
        for (let k = 0; k < din; k++) gw1[k * dh + j] += dpre * x[i * din + k]!;
      }
    }
    expect(value.item()).toBeCloseTo(L, 5);
    closeTo(toF64(g.w1), gw1, 1e-4, 1e-6, "w1");
    closeTo(toF64(g.b1), gb1, 1e-4, 1e-6, "b1");
    closeTo(toF64(g.w2), gw2, 1e-4, 1e-6, "w2");
    closeTo(toF64(g.b2), gb2, 1e-4, 1e-6, "b2");
  });
});

describe("conventions", () => {
  const f = (x: NDArray, y: NDArray) => np.sum(np.multiply(np.square(x), y));
  const x = np.array([1, 2]), y = np.array([3, 4]);

  it("argnums: a number gives the gradient, an array a list (even of one)", () => {
    expect((grad(f)(x, y) as NDArray).tolist()).toEqual([6, 16]);
    expect((grad(f, { argnums: 1 })(x, y) as NDArray).tolist()).toEqual([1, 4]);
    const gs = grad(f, { argnums: [1, 0] })(x, y) as NDArray[];
    expect(gs.map((g) => g.tolist())).toEqual([[1, 4], [6, 16]]);
    expect((grad(f, { argnums: [0] })(x, y) as NDArray[]).length).toBe(1);
  });

  it("hasAux: grad → [grad, aux], valueAndGrad → [[value, aux], grad]", () => {
    const g = (v: NDArray) => [np.sum(np.square(v)), { double: v.mul(2), n: 3 }] as const;
    const [gr, aux] = grad(g, { hasAux: true })(x) as [NDArray, { double: NDArray; n: NDArray }];
    expect(gr.tolist()).toEqual([2, 4]);
    expect(aux.double.tolist()).toEqual([2, 4]);
    const [[value, aux2], gr2] = valueAndGrad(g, { hasAux: true })(x) as [[NDArray, { double: NDArray }], NDArray];
    expect(value.item()).toBe(5);
    expect(aux2.double.tolist()).toEqual([2, 4]);
    expect(gr2.tolist()).toEqual([2, 4]);
  });

  it("pytree inputs: the gradient has the input's structure", () => {
    const g = grad((p: { a: NDArray; b: [NDArray, number] }) => np.sum(np.multiply(p.a, p.b[0])).add(p.b[1]))({ a: x, b: [y, 2] }) as { a: NDArray; b: [NDArray, NDArray] };
    expect(g.a.tolist()).toEqual([3, 4]);
    expect(g.b[0].tolist()).toEqual([1, 2]);
    expect(g.b[1].item()).toBe(1);
  });

  it("vjp → [out, vjpFn], vjpFn returns one cotangent per primal; jvp → [out, tangentOut]", () => {
    const [out, back] = vjp((a: NDArray, b: NDArray) => np.multiply(a, b), x, y);
    expect((out as NDArray).tolist()).toEqual([3, 8]);
    const cts = back(np.array([1, 10])) as NDArray[];
    expect(cts.map((c) => c.tolist())).toEqual([[3, 40], [1, 20]]);
    const [o, t] = jvp((a: NDArray) => np.sin(a), [np.array(0)], [np.array(2)]) as [NDArray, NDArray];
    expect(o.item()).toBe(0);
    expect(t.item()).toBe(2);
  });

  it("Jacobians have shape out.shape ++ in.shape and jacfwd equals jacrev", () => {
    const h = (v: NDArray) => np.matmul(np.tanh(np.outer(v, v)), v).reshape(3, 1);
    const v = randn(r, [3]);
    const jf = jacfwd(h)(v) as NDArray, jr = jacrev(h)(v) as NDArray;
    expect(jf.shape).toEqual([3, 1, 3]);
    expect(jr.shape).toEqual([3, 1, 3]);
    closeTo(toF64(jf), toF64(jr), 1e-5, 1e-6, "jacfwd vs jacrev");
    const js = jacrev((a: NDArray, b: NDArray) => np.multiply(a, b).sum(), { argnums: [0, 1] })(x, y) as NDArray[];
    expect(js.map((j) => j.tolist())).toEqual([[3, 4], [1, 2]]);
  });

  it("Jacobians are one batched program (vmap over the basis), not a loop per element", () => {
    const h = (v: NDArray) => np.tanh(v).mul(v);
    const small = makeJaxpr(jacrev(h))(randn(r, [2])).toString().split("\n").length;
    const big = makeJaxpr(jacrev(h))(randn(r, [64])).toString().split("\n").length;
    expect(big).toBe(small);
    const bigF = makeJaxpr(jacfwd(h))(randn(r, [64])).toString().split("\n").length;
    expect(bigF).toBe(makeJaxpr(jacfwd(h))(randn(r, [2])).toString().split("\n").length);
    const x = randn(r, [4]);
    const hj = jit(hessian((v: NDArray) => np.sum(np.sin(v))))(x) as NDArray;
    const xs = toF64(x);
    closeTo(toF64(hj), Array.from({ length: 16 }, (_, k) => (k % 5 === 0 ? -Math.sin(xs[k / 5]!) : 0)), 1e-5, 1e-6, "jit(hessian)");
  });

  it("JS numbers are differentiated as float32 scalars", () => {
    const g = grad((x: NDArray, k: number) => np.multiply(x, x).mul(k), { argnums: [0, 1] })(3 as unknown as NDArray, 2) as NDArray[];
    expect(g.map((v) => v.item())).toEqual([12, 9]);
    expect(g[0]!.dtype).toBe("float32");
  });

  it("a function with no dependence on the input has a zero gradient", () => {
    expect((grad((_v: NDArray) => np.array(3.0))(x) as NDArray).tolist()).toEqual([0, 0]);
  });
});

describe("errors (JAX's wording)", () => {
  it("non-scalar output", () => {
    const e = caught(() => grad((v: NDArray) => v.mul(2))(np.array([1, 2])));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toContain("Gradient only defined for scalar-output functions. Output had shape: (2,)");
    expect(e.message).toContain("Fix:");
  });
  it("integer inputs", () => {
    const e = caught(() => grad((v: NDArray) => v.sum().astype("float32"))(np.array([1, 2], { dtype: "int32" })));
    expect(e).toBeInstanceOf(DTypeError);
    expect(e.message).toContain("grad requires real- or complex-valued inputs");
    expect(e.message).toContain("int32 for argument 0");
  });
  it("integer output", () => {
    const e = caught(() => grad((v: NDArray) => np.argmax(v))(np.array([1, 2])));
    expect(e.message).toContain("grad requires real-valued outputs");
  });
  it("argnums out of range", () => {
    expect(caught(() => grad((v: NDArray) => v.sum(), { argnums: 2 })(np.array([1])))).toBeInstanceOf(ArgumentError);
  });
  it("a tracer leaking out of grad", () => {
    let leaked: NDArray | undefined;
    grad((v: NDArray) => {
      leaked = v.mul(2);
      return v.sum();
    })(np.array([1, 2]));
    const e = caught(() => np.add(leaked!, 1));
    expect(e).toBeInstanceOf(UnexpectedTracerError);
    expect(e.message).toContain("escaped the trace");
  });
});

describe("composition with jit", () => {
  const loss = (w: NDArray, x: NDArray) => np.sum(np.square(np.tanh(np.matmul(x, w))));
  const w = randn(r, [3, 2]), x = randn(r, [4, 3]);
  const eager = toF64(grad(loss)(w, x) as NDArray);

  it("jit(grad(f)) traces once for repeated calls", () => {
    const g = jit(grad(loss));
    closeTo(toF64(g(w, x) as NDArray), eager, 1e-6, 1e-7, "first");
    closeTo(toF64(g(randn(r, [3, 2]).mul(0).add(w), x) as NDArray), eager, 1e-6, 1e-7, "second");
    g(w, x);
    expect(g.stats.traces).toBe(1);
    expect(g.stats.hits).toBe(2);
  });

  it("grad(jit(f)) works and respects static arguments", () => {
    closeTo(toF64(grad(jit(loss))(w, x) as NDArray), eager, 1e-6, 1e-7, "grad(jit)");
    const scaled = jit((v: NDArray, k: number) => np.sum(np.square(v)).mul(k), { staticArgnums: [1] });
    expect((grad(scaled)(np.array([1, 2]), 3) as NDArray).tolist()).toEqual([6, 12]);
  });

  it("jit(valueAndGrad) of a pytree, and grad of a closure over a jit tracer", () => {
    const vg = jit(valueAndGrad((p: { w: NDArray }, xx: NDArray) => loss(p.w, xx)));
    const [v, g] = vg({ w }, x) as [NDArray, { w: NDArray }];
    expect(v.item()).toBeCloseTo(loss(w, x).item() as number, 5);
    closeTo(toF64(g.w), eager, 1e-6, 1e-7, "jit(valueAndGrad)");
    const outer = jit((a: NDArray) => grad((b: NDArray) => np.sum(np.multiply(a, np.sin(b))))(a));
    closeTo(toF64(outer(np.array([0.5, 1])) as NDArray), [0.5 * Math.cos(0.5), Math.cos(1)], 1e-6, 1e-7, "closure");
  });
});
