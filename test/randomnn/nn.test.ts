// nn: every function against a float64 reference, eagerly and under jit, including the
// extreme inputs the stable forms exist for.

import { describe, expect, it } from "vitest";
import { jit, nn, np, type NDArray } from "tsjit";

const list = (x: NDArray) => Array.from(x.dataSync() as ArrayLike<number>);

/** erf in float64 by its Maclaurin series (|x| < 3) and the continued fraction beyond. */
function erf64(x: number): number {
  const z = Math.abs(x);
  if (z > 5) return Math.sign(x);
  let sum = 0, term = z;
  for (let n = 0; n < 200; n++) {
    sum += term / (2 * n + 1);
    term *= (-z * z) / (n + 1);
  }
  return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
}
const sig = (v: number) => 1 / (1 + Math.exp(-v));

const X = [-30, -5, -1.5, -0.3, -1e-4, 0, 2e-5, 0.7, 1, 2.5, 6, 40];

function check(name: string, f: (x: NDArray) => NDArray, ref: (v: number) => number, tol = 2e-6) {
  const x = np.array(X);
  for (const got of [list(f(x)), list(jit(f)(x))]) {
    got.forEach((g, i) => {
      const want = ref(Math.fround(X[i]!));
      expect(Math.abs(g - want), `${name}(${X[i]}) = ${g}, want ${want}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want)));
    });
  }
}

describe("nn activations vs float64", () => {
  it("relu relu6 sigmoid silu softplus leakyRelu elu", () => {
    check("relu", nn.relu, (v) => Math.max(v, 0));
    check("relu6", nn.relu6, (v) => Math.min(Math.max(v, 0), 6));
    check("sigmoid", nn.sigmoid, sig);
    check("silu", nn.silu, (v) => v * sig(v));
    check("softplus", nn.softplus, (v) => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))));
    check("leakyRelu", (x) => nn.leakyRelu(x, 0.2), (v) => (v >= 0 ? v : 0.2 * v));
    check("elu", nn.elu, (v) => (v > 0 ? v : Math.expm1(v)));
  });

  it("gelu (tanh approximation and exact) and erf", () => {
    check("gelu", nn.gelu, (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3))));
    check("gelu exact", (x) => nn.gelu(x, { approximate: false }), (v) => 0.5 * v * (1 + erf64(v / Math.SQRT2)));
    check("erf", nn.erf, erf64, 3e-7);
  });
});

describe("nn reductions", () => {
  const rows = [[1, 2, 3, 4], [1000, 1001, 999, -Infinity], [-50, -50, -50, -50]];
  const lse = (r: number[]) => { const m = Math.max(...r); return m + Math.log(r.reduce((s, v) => s + Math.exp(v - m), 0)); };

  it("softmax and logSoftmax are stable for large logits and -inf", () => {
    const x = np.array(rows);
    for (const f of [nn.softmax, jit((a: NDArray) => nn.softmax(a))]) {
      const got = list(f(x));
      rows.flat().forEach((v, i) => expect(got[i]).toBeCloseTo(Math.exp(v - lse(rows[Math.floor(i / 4)]!)), 6));
    }
    const ls = list(nn.logSoftmax(x));
    rows.flat().forEach((v, i) => (v === -Infinity ? expect(ls[i]).toBe(-Infinity) : expect(ls[i]).toBeCloseTo(v - lse(rows[Math.floor(i / 4)]!), 4)));
    expect(list(nn.softmax(x, 0)).length).toBe(12);
  });

  it("logsumexp over all axes by default, or one axis; -inf rows stay -inf", () => {
    const x = np.array(rows);
    expect(nn.logsumexp(x).shape).toEqual([]);
    expect(list(nn.logsumexp(x))[0]).toBeCloseTo(lse(rows.flat()), 3);
    list(nn.logsumexp(x, 1)).forEach((g, i) => expect(g).toBeCloseTo(lse(rows[i]!), 4));
    expect(nn.logsumexp(x, 1, { keepdims: true }).shape).toEqual([3, 1]);
    expect(list(nn.logsumexp(np.array([-Infinity, -Infinity])))).toEqual([-Infinity]);
  });

  it("oneHot and standardize", () => {
    expect(nn.oneHot(np.array([0, 2, 5, -1], { dtype: "int32" }), 3).tolist()).toEqual([[1, 0, 0], [0, 0, 1], [0, 0, 0], [0, 0, 0]]);
    expect(() => nn.oneHot(np.array([0.5]), 3)).toThrow(/nn.oneHot: x must hold integer class indices/);
    const s = list(nn.standardize(np.array([[1, 2, 3, 4]])));
    const m = 2.5, v = (1 + 4 + 9 + 16) / 4 - m * m;
    s.forEach((g, i) => expect(g).toBeCloseTo((i + 1 - m) / Math.sqrt(v + 1e-5), 5));
  });
});
