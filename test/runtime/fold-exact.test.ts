// Constant folding uses exact semantics (primitives/scalar-ops.ts), not the cpu backend's
// fast exp/tanh: a folded constant is the correctly rounded float32 value, eager math on JS
// numbers gives the same bits, and the cpu backend (generated code and interpreter alike)
// computes it on arrays within one ulp.

import { afterEach, describe, expect, it } from "vitest";
import { jit, np, type NDArray } from "tsjit";
import { forceInterpreter } from "../../runtime/backend/cpu/index.js";
import { FOLD_OPS, FOLD_POINTS, folded, ulps } from "../helpers/fold-points.js";

describe("constant folding is exact", () => {
  afterEach(() => forceInterpreter(undefined));

  it("folds each op to the float64 value rounded once, at every point", () => {
    for (const { name, op, exact } of FOLD_OPS) {
      for (const x of FOLD_POINTS) {
        const want = Math.fround(exact(x));
        expect(ulps(folded(op, x), want), `${name}(${x}): folded ${folded(op, x)}, exact ${want}`).toBe(0);
      }
    }
  });

  it("the cpu backend computes the folded value within one ulp (generated code and interpreter agree)", () => {
    const xs = np.array(FOLD_POINTS);
    for (const { name, op } of FOLD_OPS) {
      const f = (v: NDArray) => op(v);
      const computed = (jit(f)(xs) as NDArray).dataSync();
      forceInterpreter(true);
      const interpreted = (jit(f)(xs) as NDArray).dataSync();
      forceInterpreter(undefined);
      FOLD_POINTS.forEach((x, i) => {
        const c = folded(op, x);
        expect(ulps(computed[i]!, c), `${name}(${x}): computed ${computed[i]}, folded ${c}`).toBeLessThanOrEqual(1);
        expect(ulps(interpreted[i]!, computed[i]!), `${name}(${x}) interpreter vs generated code`).toBe(0);
      });
    }
  });

  it("eager math on JS numbers is exact too: bit-equal to jit's folded constant", () => {
    for (const { name, op } of FOLD_OPS) {
      for (const x of FOLD_POINTS) {
        const eager = op(x).dataSync()[0]!;
        expect(ulps(eager, folded(op, x)), `${name}(${x}): eager ${eager}`).toBe(0);
      }
    }
    // Mixed literal/array operands still compute on the backend.
    expect(np.add(2, 3).dtype).toBe("int32");
    expect(np.add(2, 3).item()).toBe(5);
  });

  it("the test points tell exact from fast: the cpu's exp and tanh differ from the folded value there", () => {
    const exp = (jit((v: NDArray) => np.exp(v))(np.array([FOLD_POINTS[0]!])) as NDArray).dataSync()[0]!;
    const tanh = (jit((v: NDArray) => np.tanh(v))(np.array([FOLD_POINTS[1]!])) as NDArray).dataSync()[0]!;
    expect(ulps(exp, folded((x) => np.exp(x), FOLD_POINTS[0]!))).toBe(1);
    expect(ulps(tanh, folded((x) => np.tanh(x), FOLD_POINTS[1]!))).toBe(1);
  });
});
