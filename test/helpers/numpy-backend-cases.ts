// The np additions on a non-cpu backend (test/webgpu, test/wasm), against the cpu backend:
// the shape ops (gathers with inline indices, strided views, padding), einsum/tensordot,
// linalg.norm, average, the elementwise composites, and erf/erfc against the float64
// reference (relative: near 0 for erf and in erfc's tail, where an absolute comparison
// with the cpu backend would not look).

import { expect } from "vitest";
import { jit, np, type NDArray } from "tsjit";
import type { BackendCompare } from "./backend-compare.js";
import type { BackendCase } from "./backend-cases.js";
import { refErf, refErfc } from "./erf-reference.js";

export const numpyCases: readonly BackendCase[] = [
  {
    name: "erf and erfc are float32-accurate, relative near 0 and in erfc's tail",
    async run({ backend }: BackendCompare) {
      const xs = [0, -0, 1e-30, -1e-12, 1e-6, 0.1, -0.5, 0.999, 1, -1, 1.5, 2.5, -3, 4, 6, 9, 9.9, 11, NaN, Infinity, -Infinity];
      const [e, c] = jit((v: NDArray) => [np.erf(v), np.erfc(v)] as never, { backend })(np.array(xs)) as unknown as NDArray[];
      const ge = await e!.data(), gc = await c!.data();
      xs.forEach((v, i) => {
        const f = Math.fround(v);
        for (const [got, want, name] of [[ge[i]!, refErf(f), "erf"], [gc[i]!, refErfc(f), "erfc"]] as const) {
          if (Number.isNaN(want)) { expect(Number.isNaN(got), `${name}(${v})`).toBe(true); continue; }
          // float32 subnormals (erfc beyond ~9.2) may flush to zero on GPUs.
          const bound = Math.abs(want) < 1.2e-38 ? 1.2e-38 : 2e-6 * Math.abs(want);
          expect(Math.abs(got - want), `${backend} ${name}(${v}): got ${got}, want ${want}`).toBeLessThanOrEqual(bound);
        }
      });
    },
  },
  {
    name: "shape ops: gathers, strided views, padding",
    async run({ table }) {
      const x = np.arange(24).reshape([4, 6]).astype("float32");
      await table({
        flip: (a) => np.flip(a), flip1: (a) => np.flip(a, 1), roll: (a) => np.roll(a, 2, 1), rollFlat: (a) => np.roll(a, -5),
        padReflect: (a) => np.pad(a, [[2, 3], [1, 7]], { mode: "reflect" }), padSym: (a) => np.pad(a, 2, { mode: "symmetric" }),
        padWrap: (a) => np.pad(a, [3, 1], { mode: "wrap" }), padEdge: (a) => np.pad(a, 1, { mode: "edge" }), padConst: (a) => np.pad(a, [1, 2], { constantValues: -1 }), padMean: (a) => np.pad(a, [2, 1], "mean"), padMax: (a) => np.pad(a, 1, "maximum"),
        tile: (a) => np.tile(a, [2, 1, 2]), repeat: (a) => np.repeat(a, [1, 0, 2, 1], 0), repeat2: (a) => np.repeat(a, 2, 1),
        tril: (a) => np.tril(a, -1), triu: (a) => np.triu(a, 2), diagonal: (a) => np.diagonal(a, 1), diag: (a) => np.diag(np.diagonal(a), -1),
        trace: (a) => np.trace(a, -1), split: (a) => np.split(a, [1, 4], 1)[1]!, vstack: (a) => np.vstack([a, a]), swap: (a) => np.moveaxis(a, 0, 1),
      }, x);
      await table({ tracedRoll: (a, k) => np.roll(a, k!, 0), tracedRepeat: (a, k) => np.repeat(a, np.stack([k!, k!, k!, k!, k!, k!]), 1, { totalRepeatLength: 10 }) },
        x, np.array(3, { dtype: "int32" }));
    },
  },
  {
    name: "elementwise composites",
    async run({ table }) {
      const x = np.array([-3, -0.9, -0.2, 0, 1e-7, 0.5, 0.99, 1.5, 25, 95, Infinity, NaN]);
      await table({
        arcsin: (a) => np.arcsin(a), arccos: (a) => np.arccos(a), arctan: (a) => np.arctan(a), sinh: (a) => np.sinh(a), cosh: (a) => np.cosh(a),
        arcsinh: (a) => np.arcsinh(a), arccosh: (a) => np.arccosh(a), arctanh: (a) => np.arctanh(a), cbrt: (a) => np.cbrt(a), trunc: (a) => np.trunc(a),
        isinf: (a) => np.isinf(a), nanToNum: (a) => np.nanToNum(a), logaddexp: (a) => np.logaddexp(a, 0.5), hypot: (a) => np.hypot(a, 3),
        copysign: (a) => np.copysign(2, a),
      }, x);
    },
  },
  {
    name: "einsum, tensordot, norm and average",
    async run({ table }) {
      const a = np.arange(24).reshape([2, 3, 4]).astype("float32").mul(0.1), b = np.arange(20).reshape([4, 5]).astype("float32").mul(0.05);
      await table({
        contract: (x, y) => np.einsum("bij,jk->bik", x, y), diag: (x) => np.einsum("ii->i", x.slice(0, ":", [0, 3])),
        batchTrace: (x) => np.einsum("bii->b", x.slice(":", ":", [0, 3])), three: (x, y) => np.einsum("bij,jk,kl->bil", x, y, y.T),
        tensordot: (x, y) => np.tensordot(x, y, 1), normFro: (x) => np.linalg.norm(x.slice(0)), norm1: (x) => np.linalg.norm(x, 1, -1),
        normInf: (x) => np.linalg.norm(x.slice(1), Infinity), average: (x) => np.average(x, 2, np.array([1, 2, 3, 4])),
      }, a, b);
    },
  },
];
