import { describe, expect, it } from "vitest";
import { jit, np, tree, type NDArray } from "tsjit";

describe("tree", () => {
  const params = { w: np.array([1, 2]), b: 3, layers: [np.array([4]), null, true] };

  it("flattens in jit's order and rebuilds", () => {
    const [leaves, def] = tree.flatten(params);
    expect(leaves.map((l) => (typeof l === "object" ? (l as NDArray).tolist() : l))).toEqual([3, [4], true, [1, 2]]);
    expect(tree.leaves(params)).toHaveLength(4);
    const back = tree.unflatten(def, leaves) as typeof params;
    expect(back.w).toBe(params.w);
    expect(back.layers[1]).toBeNull();
    expect(() => tree.unflatten(def, [1])).toThrow(/has 4 leaves, got 1/);
  });

  it("maps over one or several trees, eagerly and under jit", () => {
    const a = { x: np.array([1, 2]), y: [np.array([3])] };
    const b = { x: np.array([10, 20]), y: [np.array([30])] };
    const sum = tree.map((u: NDArray, v: NDArray) => u.add(v), a, b) as typeof a;
    expect(sum.x.tolist()).toEqual([11, 22]);
    const f = jit((p: typeof a, q: typeof a) => tree.map((u: NDArray, v: NDArray) => u.mul(v), p, q) as typeof a);
    expect(f(a, b).y[0]!.tolist()).toEqual([90]);
    expect(() => tree.map((u: NDArray) => u, a, { x: a.x })).toThrow(/tree.map: tree 2 has structure/);
  });
});
