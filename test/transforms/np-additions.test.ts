// The np additions under the transformations: vmap(f)(xs) equals stacking f over rows, and
// grad matches central finite differences in float64 terms, for each shape op, einsum,
// norm/average and the elementwise composites — all composites or primitives with rules.

import { describe, expect, it } from "vitest";
import { grad, jit, np, vmap, type NDArray } from "tsjit";
import { Rng } from "../helpers/prng.js";

const rng = new Rng(404);
const randn = (shape: number[], lo = -2, hi = 2) => np.array(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.uniform(lo, hi))).reshape(shape);

const W = randn([7, 4]);
const FNS: [string, (x: NDArray) => NDArray, number[]?, [number, number]?][] = [
  ["flip", (x) => np.flip(x, 1)],
  ["roll", (x) => np.roll(x, -3)],
  ["pad reflect", (x) => np.pad(x, [[1, 2], [3, 0]], "reflect")],
  ["pad symmetric", (x) => np.pad(x, 2, "symmetric")],
  ["pad wrap", (x) => np.pad(x, [[3, 3], [1, 5]], "wrap")],
  ["pad edge", (x) => np.pad(x, 1, "edge")],
  ["pad constant", (x) => np.pad(x, 1, { constantValues: 0.5 })],
  ["tile", (x) => np.tile(x, [2, 1, 2])],
  ["repeat", (x) => np.repeat(x, [2, 0, 1, 3], 1)],
  ["split", (x) => np.split(x, [1, 2], 1)[1]!],
  ["tril", (x) => np.tril(x, 1)],
  ["triu", (x) => np.triu(x, -1)],
  ["diagonal", (x) => np.diagonal(x, 1)],
  ["trace", (x) => np.trace(x)],
  ["diag", (x) => np.diag(np.diagonal(x))],
  ["moveaxis", (x) => np.moveaxis(x, 0, 1)],
  ["meshgrid", (x) => np.meshgrid(x.slice(0), x.slice(1))[1]!],
  ["einsum", (x) => np.einsum("ij,kj->ik", x, W)],
  ["einsum diagonal", (x) => np.einsum("ii->i", x.slice(":", [0, 3]))],
  ["tensordot", (x) => np.tensordot(x, W, [[1], [1]])],
  ["kron", (x) => np.kron(x, np.array([[1, -1]]))],
  ["norm 2", (x) => np.linalg.norm(x, 2, 1), undefined, [0.3, 2]],
  ["norm fro", (x) => np.linalg.norm(x), undefined, [0.3, 2]],
  ["norm inf", (x) => np.linalg.norm(x, Infinity, [0, 1])],
  ["average", (x) => np.average(x, 1, np.array([1, 2, 3, 4]))],
  ["erf", (x) => np.erf(x)],
  ["erfc", (x) => np.erfc(x)],
  ["arcsinh", (x) => np.arcsinh(x)],
  ["arctanh", (x) => np.arctanh(np.multiply(x, 0.4))],
  ["sinh cosh", (x) => np.add(np.sinh(x), np.cosh(x))],
  ["logaddexp hypot", (x) => np.add(np.logaddexp(x, 0.3), np.hypot(x, 1))],
  ["cbrt", (x) => np.cbrt(x), undefined, [0.5, 2]],
];

describe("np additions under vmap and grad", () => {
  for (const [name, f, , range] of FNS) {
    it(name, () => {
      const xs = randn([3, 3, 4], ...(range ?? [-2, 2]));
      const batched = jit(vmap(f))(xs);
      const rows = np.stack(np.unstack(xs).map(f));
      expect(batched.shape).toEqual(rows.shape);
      const b = batched.dataSync(), r = rows.dataSync();
      for (let i = 0; i < r.length; i++) expect(Math.abs(b[i]! - r[i]!), `${name} vmap [${i}]`).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(r[i]!)));

      // grad of a random projection of f against central differences (float32 steps: loose bound).
      const x = np.unstack(xs)[0]!;
      const out = f(x);
      const proj = randn([...out.shape]);
      const loss = (v: NDArray) => np.sum(np.multiply(f(v), proj));
      const g = grad(loss)(x).dataSync();
      const x0 = Array.from(x.dataSync());
      for (const i of [0, 5, 11]) {
        const h = 1e-2;
        const up = [...x0], dn = [...x0];
        up[i]! += h; dn[i]! -= h;
        const fd = (loss(np.array(up).reshape([3, 4])).item() - loss(np.array(dn).reshape([3, 4])).item()) / (2 * h);
        expect(Math.abs(g[i]! - fd), `${name} d/dx[${i}]: grad ${g[i]}, finite difference ${fd}`).toBeLessThanOrEqual(3e-2 * (1 + Math.abs(fd)));
      }
    });
  }
});
