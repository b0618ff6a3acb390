// The static types of grad/valueAndGrad follow JAX's conventions (checked by tsc; the
// runtime assertions are the same conventions again).
import { describe, expectTypeOf, it, expect } from "vitest";
import { grad, np, valueAndGrad, type NDArray } from "tsjit";

describe("types", () => {
  it("grad's result type mirrors the differentiated arguments", () => {
    const f = (p: { w: NDArray; b: number }, x: NDArray) => np.sum(np.multiply(p.w, x)).add(p.b);
    const p = { w: np.array([1, 2]), b: 3 }, x = np.array([3, 4]);
    const g0 = grad(f)(p, x);
    expectTypeOf(g0).toEqualTypeOf<{ w: NDArray; b: NDArray }>();
    const g1 = grad(f, { argnums: 1 })(p, x);
    expectTypeOf(g1).toEqualTypeOf<NDArray>();
    const gs = grad(f, { argnums: [1, 0] })(p, x);
    expectTypeOf(gs).toEqualTypeOf<[NDArray, { w: NDArray; b: NDArray }]>();
    const [v, g] = valueAndGrad(f)(p, x);
    expectTypeOf(v).toEqualTypeOf<NDArray>();
    expect(g.w.tolist()).toEqual([3, 4]);
    expect(g.b.item()).toBe(1);
    expect(gs[0].tolist()).toEqual([1, 2]);
    const [[, aux], ga] = valueAndGrad((a: NDArray) => [a.sum(), { n: a.mul(2) }] as const, { hasAux: true })(x);
    expectTypeOf(aux.n).toEqualTypeOf<NDArray>();
    expect(ga.tolist()).toEqual([1, 1]);
  });
});
