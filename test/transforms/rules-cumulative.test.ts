// Autodiff and vmap of the cumulative folds: jvp vs finite differences and vjp by the
// dot-product identity (checkDerivatives), grads vs hand-computed float64 references
// (cumsum's cotangent is the reverse cumsum; cumprod's with zeros in the row; cummax's goes
// to the position of the running maximum), and vmap vs stacking rows.

import { describe, expect, it } from "vitest";
import { grad, jit, lax, np, vmap, type NDArray } from "tsjit";
import { checkDerivatives, closeTo, toF64 } from "./helpers.js";

describe("jvp and vjp of the cumulative folds", () => {
  const x = np.array([0.7, -1.3, 2.1, 0.4, -0.9, 1.6]).reshape(2, 3);

  it("cumsum/cumprod/cummax/cummin along each axis, forward and reverse, inside other ops", () => {
    for (const axis of [0, 1, -1]) {
      for (const reverse of [false, true]) {
        checkDerivatives((x) => np.sin(lax.cumsum(x, axis, reverse)), [x]);
        checkDerivatives((x) => lax.cumprod(np.cos(x), axis, reverse), [x]);
        checkDerivatives((x) => np.multiply(lax.cummax(x, axis, reverse), 2), [x]);
        checkDerivatives((x) => lax.cummin(np.exp(x), axis, reverse), [x]);
      }
    }
    checkDerivatives((x) => np.cumsum(x), [x]);
  });

  it("grad of sum(cumsum(x) * w) is the reverse cumsum of w (eager and jit)", () => {
    const v = np.array([1, 2, 3, 4, 5]), w = np.array([0.5, -1, 2, 3, -2]);
    const f = (x: NDArray) => np.sum(np.multiply(np.cumsum(x), w));
    const ws = toF64(w), expected = new Float64Array(5);
    for (let i = 4, acc = 0; i >= 0; i--) expected[i] = acc += ws[i]!;
    closeTo(toF64(grad(f)(v) as NDArray), expected, 1e-6, 1e-6, "grad");
    closeTo(toF64(jit(grad(f))(v) as NDArray), expected, 1e-6, 1e-6, "jit(grad)");
  });

  it("grad of cumprod is exact with one and with two zeros in the row", () => {
    for (const vals of [[2, 0, 3, 0.5], [2, 0, 3, 0], [0, 0, 1, 2], [1.5, 2, -1, 3]]) {
      const v = np.array(vals);
      const f = (x: NDArray) => np.sum(np.cumprod(x));
      // d/dx_j Σ_k Π_{i≤k} x_i = Σ_{k≥j} Π_{i≤k, i≠j} x_i, in float64.
      const expected = vals.map((_, j) => {
        let s = 0;
        for (let k = j; k < vals.length; k++) s += vals.slice(0, k + 1).reduce((p, q, i) => (i === j ? p : p * q), 1);
        return s;
      });
      closeTo(toF64(grad(f)(v) as NDArray), Float64Array.from(expected), 1e-5, 1e-5, `grad cumprod ${vals}`);
      closeTo(toF64(jit(grad(f))(v) as NDArray), Float64Array.from(expected), 1e-5, 1e-5, `jit grad cumprod ${vals}`);
    }
  });

  it("grad of cummax routes each output's cotangent to the running maximum's position", () => {
    const v = np.array([1, 3, 2, 5, 4]);
    const g = toF64(grad((x: NDArray) => np.sum(lax.cummax(x)))(v) as NDArray);
    closeTo(g, Float64Array.from([1, 2, 0, 2, 0]), 0, 0, "cummax");
    const gr = toF64(grad((x: NDArray) => np.sum(lax.cummin(x, 0, true)))(v) as NDArray);
    // reverse running minima from the end: [1, 2, 2, 4, 4] from positions [0, 2, 2, 4, 4].
    closeTo(gr, Float64Array.from([1, 0, 2, 0, 2]), 0, 0, "cummin reverse");
  });
});

describe("vmap of the cumulative folds", () => {
  it("matches stacking rows, with the batch axis at either side of the fold axis", () => {
    const xs = np.sin(np.arange(24).astype("float32")).reshape(4, 2, 3);
    for (const fn of [(r: NDArray) => lax.cumsum(r, 1), (r: NDArray) => lax.cumprod(r, 0, true), (r: NDArray) => lax.cummax(r, -1), (r: NDArray) => lax.cummin(r, 0)]) {
      for (const inAxis of [0, 1, 2]) {
        const moved = np.moveaxis(xs, 0, inAxis);
        const got = vmap(fn, { inAxes: inAxis })(moved) as NDArray;
        const want = np.stack(Array.from({ length: 4 }, (_, b) => fn(xs.slice(b))));
        expect(Array.from(got.dataSync() as Float32Array)).toEqual(Array.from(want.dataSync() as Float32Array));
      }
    }
  });
});
