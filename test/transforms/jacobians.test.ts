// jacfwd / jacrev / hessian over pytrees of inputs and outputs with JAX's conventions (the
// output's structure outside, the differentiated arguments' structure inside, leaves of shape
// out.shape ++ in.shape; argnums a number or a list), hasAux, and vjp(f, ...primals,
// { hasAux }) → [out, vjpFn, aux]. References: the same function written in float64
// JavaScript and differentiated by central finite differences (independent of tsjit).

import { describe, expect, it } from "vitest";
import { DTypeError, hessian, jacfwd, jacrev, jit, np, vjp, type NDArray } from "tsjit";
import { closeTo, randn, rng, toF64 } from "./helpers.js";

type P = { a: NDArray; b: [NDArray, number] };
type Out = { s: NDArray; t: [NDArray, NDArray] };

// f(p, y) = { s: sum(a·y)·b1, t: [tanh(b0)·a0, outer(a, y)] } with a, y of shape [2], b0 of [3].
const f = (p: P, y: NDArray): Out => ({
  s: np.sum(np.multiply(p.a, y)).mul(p.b[1]),
  t: [np.tanh(p.b[0]).mul(p.a.slice(0)), np.outer(p.a, y)],
});
// The same in float64 over the flat inputs x = [a0, a1, b00, b01, b02, b1, y0, y1]; outputs flat
// in the order s, t0 (3), t1 (2×2).
function f64(x: number[]): number[] {
  const [a0, a1, b00, b01, b02, b1, y0, y1] = x as [number, number, number, number, number, number, number, number];
  return [(a0 * y0 + a1 * y1) * b1, Math.tanh(b00) * a0, Math.tanh(b01) * a0, Math.tanh(b02) * a0, a0 * y0, a0 * y1, a1 * y0, a1 * y1];
}
/** Central differences in float64: J[o][i]. */
function fdJacobian(g: (x: number[]) => number[], x: number[], h = 1e-6): number[][] {
  const cols = x.map((_, i) => {
    const xp = [...x], xm = [...x];
    xp[i]! += h; xm[i]! -= h;
    const gp = g(xp), gm = g(xm);
    return gp.map((v, o) => (v - gm[o]!) / (2 * h));
  });
  return cols[0]!.map((_, o) => cols.map((c) => c[o]!));
}

const r = rng(7);
const p: P = { a: randn(r, [2]), b: [randn(r, [3]), 0.75] };
const y = randn(r, [2]);
const flatX = [...toF64(p.a), ...toF64(p.b[0]), p.b[1], ...toF64(y)];
const J = fdJacobian(f64, flatX);
// Rows of J per output leaf, columns per input leaf.
const OUT_ROWS = { s: [0, 1], t0: [1, 4], t1: [4, 8] } as const;
const IN_COLS = { a: [0, 2], b0: [2, 5], b1: [5, 6], y: [6, 8] } as const;
const block = (o: readonly [number, number], i: readonly [number, number]) =>
  J.slice(o[0], o[1]).flatMap((row) => row.slice(i[0], i[1]));

type JacP = { a: NDArray; b: [NDArray, NDArray] };
type JacOut<T> = { s: T; t: [T, T] };

function checkAgainstFd(jac: JacOut<[JacP, NDArray]>, what: string): void {
  const outs = [["s", jac.s, OUT_ROWS.s], ["t0", jac.t[0], OUT_ROWS.t0], ["t1", jac.t[1], OUT_ROWS.t1]] as const;
  for (const [name, [jp, jy], rows] of outs) {
    closeTo(toF64(jp.a), block(rows, IN_COLS.a), 1e-4, 1e-5, `${what} ${name}/a`);
    closeTo(toF64(jp.b[0]), block(rows, IN_COLS.b0), 1e-4, 1e-5, `${what} ${name}/b0`);
    closeTo(toF64(jp.b[1]), block(rows, IN_COLS.b1), 1e-4, 1e-5, `${what} ${name}/b1`);
    closeTo(toF64(jy), block(rows, IN_COLS.y), 1e-4, 1e-5, `${what} ${name}/y`);
  }
}

describe("Jacobians over pytrees", () => {
  it("argnums [0, 1]: output structure outside, [p-structure, y] inside, leaves out.shape ++ in.shape; jacfwd = jacrev = finite differences", () => {
    for (const [name, jf] of [["jacfwd", jacfwd], ["jacrev", jacrev]] as const) {
      const jac = jf(f, { argnums: [0, 1] })(p, y) as JacOut<[JacP, NDArray]>;
      expect(Object.keys(jac)).toEqual(["s", "t"]);
      expect(jac.s[0].a.shape).toEqual([2]);
      expect(jac.s[0].b[1].shape).toEqual([]);
      expect(jac.t[0][0].b[0].shape).toEqual([3, 3]);
      expect(jac.t[1][0].a.shape).toEqual([2, 2, 2]);
      expect(jac.t[1][1].shape).toEqual([2, 2, 2]);
      checkAgainstFd(jac, name);
    }
  });

  it("argnums a number: the argument's own structure inside; jacfwd equals jacrev leaf by leaf", () => {
    const jf = jacfwd(f)(p, y) as JacOut<JacP>, jr = jacrev(f)(p, y) as JacOut<JacP>;
    for (const [a, b] of [[jf.s, jr.s], [jf.t[0], jr.t[0]], [jf.t[1], jr.t[1]]] as const) {
      closeTo(toF64(a.a), toF64(b.a), 1e-5, 1e-6, "a");
      closeTo(toF64(a.b[0]), toF64(b.b[0]), 1e-5, 1e-6, "b0");
      closeTo(toF64(a.b[1]), toF64(b.b[1]), 1e-5, 1e-6, "b1");
    }
    closeTo(toF64(jf.t[0].b[0]), block(OUT_ROWS.t0, IN_COLS.b0), 1e-4, 1e-5, "t0/b0");
    const jy = jacrev(f, { argnums: 1 })(p, y) as JacOut<NDArray>;
    closeTo(toF64(jy.t[1]), block(OUT_ROWS.t1, IN_COLS.y), 1e-4, 1e-5, "t1/y");
  });

  it("under jit: the same Jacobian pytree as eagerly", () => {
    const eager = jacrev(f, { argnums: [0, 1] })(p, y) as JacOut<[JacP, NDArray]>;
    const jitted = jit(jacrev(f, { argnums: [0, 1] }))(p, y) as JacOut<[JacP, NDArray]>;
    checkAgainstFd(jitted, "jit(jacrev)");
    expect(toF64(jitted.t[1][0].a)).toEqual(toF64(eager.t[1][0].a));
    const fwd = jit(jacfwd(f, { argnums: [0, 1] }))(p, y) as JacOut<[JacP, NDArray]>;
    checkAgainstFd(fwd, "jit(jacfwd)");
  });

  it("hasAux: [jacobian, aux], the aux not differentiated", () => {
    const g = (x: NDArray) => [np.sin(x), { n: x.sum(), k: 3 }] as const;
    const x = randn(r, [3]);
    for (const jf of [jacfwd, jacrev]) {
      const [jac, aux] = jf(g, { hasAux: true })(x) as [NDArray, { n: NDArray; k: NDArray }];
      const xs = toF64(x);
      closeTo(toF64(jac), Array.from({ length: 9 }, (_, k) => (k % 4 === 0 ? Math.cos(xs[k / 4]!) : 0)), 1e-5, 1e-6, "jac");
      expect(aux.n.item()).toBeCloseTo(xs[0]! + xs[1]! + xs[2]!, 5);
      expect(Number(aux.k.item())).toBe(3);
    }
  });

  it("a non-float output leaf is an error naming the leaf", () => {
    expect(() => jacrev((x: NDArray) => [x, x.astype("int32")])(np.array([1, 2]))).toThrow(DTypeError);
    expect(() => jacfwd((x: NDArray) => [x, x.astype("int32")])(np.array([1, 2]))).toThrow(/output leaf 1/);
  });
});

describe("hessian over pytrees", () => {
  // g(q) = sum(sin(q.u) · q.v²) + q.u0 · q.v1 · q.c with q.u, q.v of shape [2], q.c a number.
  type Q = { u: NDArray; v: NDArray; c: number };
  const g = (q: Q) => np.sum(np.multiply(np.sin(q.u), np.square(q.v))).add(q.u.slice(0).mul(q.v.slice(1)).mul(q.c));
  const g64 = (x: number[]) => {
    const [u0, u1, v0, v1, c] = x as [number, number, number, number, number];
    return Math.sin(u0) * v0 * v0 + Math.sin(u1) * v1 * v1 + u0 * v1 * c;
  };
  const q: Q = { u: randn(r, [2]), v: randn(r, [2]), c: -0.4 };
  const qx = [...toF64(q.u), ...toF64(q.v), q.c];
  // Second differences in float64.
  const h = 1e-4;
  const H = qx.map((_, i) => qx.map((_, j) => {
    const at = (si: number, sj: number) => { const z = [...qx]; z[i]! += si * h; z[j]! += sj * h; return g64(z); };
    return (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * h * h);
  }));
  const COLS = { u: [0, 2], v: [2, 4], c: [4, 5] } as const;
  const hblock = (a: readonly [number, number], b: readonly [number, number]) => H.slice(a[0], a[1]).flatMap((row) => row.slice(b[0], b[1]));

  it("q-structure by q-structure, each block of shape in.shape ++ in.shape, against float64 second differences", () => {
    type HQ = { u: { u: NDArray; v: NDArray; c: NDArray }; v: { u: NDArray; v: NDArray; c: NDArray }; c: { u: NDArray; v: NDArray; c: NDArray } };
    const hq = hessian(g)(q) as HQ;
    expect(hq.u.v.shape).toEqual([2, 2]);
    expect(hq.c.u.shape).toEqual([2]);
    expect(hq.c.c.shape).toEqual([]);
    for (const a of ["u", "v", "c"] as const) {
      for (const b of ["u", "v", "c"] as const) closeTo(toF64(hq[a][b]), hblock(COLS[a], COLS[b]), 1e-3, 1e-4, `H ${a}/${b}`);
    }
    const hj = jit(hessian(g))(q) as HQ;
    closeTo(toF64(hj.u.v), toF64(hq.u.v), 1e-6, 1e-6, "jit(hessian)");
  });

  it("argnums [0, 1]: a list of lists of blocks", () => {
    const k = (u: NDArray, v: NDArray) => g({ u, v, c: q.c });
    const hh = hessian(k, { argnums: [0, 1] })(q.u, q.v) as NDArray[][];
    expect(hh.length).toBe(2);
    expect(hh[0]!.length).toBe(2);
    closeTo(toF64(hh[0]![1]!), hblock(COLS.u, COLS.v), 1e-3, 1e-4, "H01");
    closeTo(toF64(hh[1]![1]!), hblock(COLS.v, COLS.v), 1e-3, 1e-4, "H11");
  });
});

describe("vjp with hasAux", () => {
  const x = np.array([0.5, -1, 2]), w = np.array([1.5, 2, -0.5]);
  const loss = (a: NDArray, b: NDArray) => [np.multiply(np.sin(a), b), { norm: np.sum(np.square(a)), count: a.shape[0] }] as const;

  it("returns [out, vjpFn, aux]; the cotangents ignore the aux", () => {
    const [out, back, aux] = vjp(loss, x, w, { hasAux: true });
    const [out2, back2] = vjp((a: NDArray, b: NDArray) => np.multiply(np.sin(a), b), x, w);
    expect(toF64(out as NDArray)).toEqual(toF64(out2 as NDArray));
    expect((aux as { norm: NDArray }).norm.item()).toBeCloseTo(0.25 + 1 + 4, 5);
    expect(Number((aux as { count: NDArray }).count.item())).toBe(3);
    const ct = np.array([1, 2, 3]);
    const [ca, cb] = back(ct) as NDArray[];
    const [ca2, cb2] = back2(ct) as NDArray[];
    expect(toF64(ca!)).toEqual(toF64(ca2!));
    expect(toF64(cb!)).toEqual(toF64(cb2!));
    // d/da sum(ct · sin(a) · b) = ct · cos(a) · b in float64.
    const xs = toF64(x), ws = toF64(w);
    closeTo(toF64(ca!), [0, 1, 2].map((i) => (i + 1) * Math.cos(xs[i]!) * ws[i]!), 1e-5, 1e-6, "vjp");
  });

  it("{ hasAux: false } is an options object too; a dict primal is not mistaken for options", () => {
    const [o, back, ...rest] = vjp((a: NDArray) => np.square(a), x, { hasAux: false });
    expect(rest.length).toBe(0);
    expect(toF64(back(np.ones([3]))[0] as NDArray)).toEqual(toF64(x).map((v) => 2 * v));
    expect((o as NDArray).shape).toEqual([3]);
    const [, back2] = vjp((d: { hasAux: NDArray }) => np.square(d.hasAux), { hasAux: x });
    expect(toF64((back2(np.ones([3]))[0] as { hasAux: NDArray }).hasAux)).toEqual(toF64(x).map((v) => 2 * v));
  });

  it("under jit, and hasAux with a function that does not return a pair is an error", () => {
    const run = jit((a: NDArray, b: NDArray) => {
      const [out, back, aux] = vjp(loss, a, b, { hasAux: true });
      return [out, back(np.onesLike(out as NDArray))[0], (aux as { norm: NDArray }).norm];
    });
    const [o, c, n] = run(x, w) as NDArray[];
    expect(toF64(o!)).toEqual(toF64(np.multiply(np.sin(x), w)));
    closeTo(toF64(c!), toF64(np.multiply(np.cos(x), w)), 1e-6, 1e-6, "jit vjp");
    expect(n!.item()).toBeCloseTo(5.25, 5);
    expect(() => vjp((a: NDArray) => np.square(a), x, { hasAux: true })).toThrow(/with hasAux the function must return a pair \[output, aux\]/);
  });
});
