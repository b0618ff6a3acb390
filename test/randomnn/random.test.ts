// random: Threefry-2x32 against Random123's known-answer vectors, key/split/foldIn/bits
// against values JAX (partitionable Threefry, its default) prints, samplers' statistics,
// and eager = jit = interpreter bit for bit.

import { describe, expect, it } from "vitest";
import { jit, np, random, vmap, type NDArray } from "tsjit";
import { forceInterpreter } from "../../runtime/backend/cpu/index.js";
import { threefry2x32 } from "../../runtime/random/threefry.js";

const list = (x: NDArray) => Array.from(x.dataSync() as ArrayLike<number>);
const u = (...xs: number[]) => np.array(Uint32Array.from(xs));

/** f(key) gives the same numbers eagerly, under jit and under jit in the interpreter. */
function expectSameEverywhere(f: (key: NDArray) => NDArray[], k: NDArray): void {
  const eager = f(k).map(list);
  expect(jit(f)(k).map(list)).toEqual(eager);
  forceInterpreter(true);
  try {
    expect(jit((key: NDArray) => f(key))(k).map(list)).toEqual(eager);
  } finally {
    forceInterpreter(undefined);
  }
}

describe("threefry2x32", () => {
  it("passes Random123's known-answer vectors (threefry2x32_20)", () => {
    const kat: [number[], number[], number[]][] = [
      [[0, 0], [0, 0], [0x6b200159, 0x99ba4efe]],
      [[0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x1cb996fc, 0xbb002be7]],
      [[0x13198a2e, 0x03707344], [0x243f6a88, 0x85a308d3], [0xc4923a9c, 0x483df7a0]],
    ];
    for (const [k, x, want] of kat) {
      const [a, b] = threefry2x32(u(k[0]!), u(k[1]!), u(x[0]!), u(x[1]!));
      expect([...list(a), ...list(b)]).toEqual(want);
    }
  });

  it("reproduces JAX's original (non-partitionable) split(key(0)) through its counter layout", () => {
    // jax_threefry_partitionable=False: counters iota(4) halved into lanes (0, 2), (1, 3).
    const z = u(0).reshape([]);
    const [a, b] = threefry2x32(z, z, u(0, 1), u(2, 3));
    expect([...list(a), ...list(b)]).toEqual([4146024105, 967050713, 2718843009, 1272950319]);
  });
});

describe("random", () => {
  it("key(seed) is JAX's PRNGKey data", () => {
    expect(list(random.key(0))).toEqual([0, 0]);
    expect(list(random.key(42))).toEqual([0, 42]);
    expect(list(random.key(-1))).toEqual([0, 4294967295]);
    expect(random.key(0).dtype).toBe("uint32");
  });

  it("split(key(0), 8) is what JAX prints", () => {
    expect(list(random.split(random.key(0), 8))).toEqual([
      1797259609, 2579123966, 928981903, 3453687069, 4146024105, 2718843009, 2467461003, 3840466878,
      2285895361, 433833334, 1524306142, 1887795613, 3792494674, 2909014575, 2716826189, 292468403,
    ]);
    expect(random.split(random.key(0)).shape).toEqual([2, 2]);
  });

  it("eager, jit and the interpreter give the same bits and floats", () => {
    const k = random.key(7);
    const f = (key: NDArray) => [random.bits(key, [3, 5]), random.uniform(key, [17]), random.normal(random.foldIn(key, 3), [9]),
      random.randint(key, [11], -5, 20), random.split(key, 3)];
    expectSameEverywhere(f, k);
  });

  it("a traced key under jit: one compile serves every key", () => {
    const f = jit((key: NDArray) => random.uniform(key, [4]));
    const a = list(f(random.key(1))), b = list(f(random.key(2)));
    expect(a).not.toEqual(b);
    expect(f.stats.traces).toBe(1);
    expect(list(f(random.key(1)))).toEqual(a);
  });

  it("samplers have the right statistics", () => {
    const n = 20000;
    const un = list(random.uniform(random.key(0), [n], { minval: -2, maxval: 3 }));
    const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
    const variance = (xs: number[]) => { const m = mean(xs); return mean(xs.map((v) => (v - m) ** 2)); };
    expect(Math.min(...un)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...un)).toBeLessThan(3);
    expect(mean(un)).toBeCloseTo(0.5, 1);
    expect(variance(un)).toBeCloseTo(25 / 12, 1);
    const nn = list(random.normal(random.key(1), [n]));
    expect(Math.abs(mean(nn))).toBeLessThan(0.03);
    expect(Math.abs(variance(nn) - 1)).toBeLessThan(0.05);
    const ri = list(random.randint(random.key(2), [n], 3, 7));
    expect(new Set(ri)).toEqual(new Set([3, 4, 5, 6]));
    expect(Math.abs(mean(ri) - 4.5)).toBeLessThan(0.03);
    const be = list(random.bernoulli(random.key(3), 0.3, [n]));
    expect(Math.abs(mean(be) - 0.3)).toBeLessThan(0.02);
    const cat = list(random.categorical(random.key(4), np.broadcastTo(np.log(np.array([0.1, 0.2, 0.7])), [n, 3])));
    expect(Math.abs(cat.filter((c) => c === 2).length / n - 0.7)).toBeLessThan(0.02);
  });

  it("bad keys get a named error", () => {
    expect(() => random.uniform(np.array([0, 0]) as NDArray)).toThrow(/random.uniform: key must be a uint32 array of shape \[2\]/);
  });
});

describe("random.permutation", () => {
  it("is a permutation, deterministic per key, the same under jit, and permutes arrays alike", () => {
    const p = list(random.permutation(random.key(0), 50));
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(p).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(list(jit((k: NDArray) => random.permutation(k, 50))(random.key(0)))).toEqual(p);
    const x = np.arange(50).astype("float32").mul(10);
    expect(list(random.permutation(random.key(0), x))).toEqual(p.map((v) => v * 10));
    // Sorting by the key's bits: each output's key is not smaller than the one before.
    const keys = random.split(random.key(0));
    const b = list(random.bits(keys.slice(1), [50]));
    const sortedBits = p.map((i) => b[i]!);
    for (let i = 1; i < 50; i++) expect(sortedBits[i]!).toBeGreaterThanOrEqual(sortedBits[i - 1]!);
  });
});

describe("random.choice", () => {
  const k = random.key(3);
  it("with replacement and no p is randint(key, shape, 0, n); arrays are taken along axis", () => {
    expect(list(random.choice(k, 10, [3, 4]))).toEqual(list(random.randint(k, [3, 4], 0, 10)));
    expect(random.choice(k, 10, [3, 4]).shape).toEqual([3, 4]);
    const x = np.arange(12).reshape([3, 4]).mul(10);
    const c = random.choice(k, x, [2, 5], { axis: 1 });
    expect(c.shape).toEqual([3, 2, 5]);
    const ind = list(random.randint(k, [2, 5], 0, 4));
    const rows = [0, 1, 2].flatMap((r) => ind.map((i) => (r * 4 + i) * 10));
    expect(list(c)).toEqual(rows);
    expect(list(random.choice(k, np.array(6, { dtype: "int32" }), [5]))).toEqual(list(random.randint(k, [5], 0, 6)));
  });

  it("without replacement and no p is the first entries of permutation(key, n)", () => {
    const c = list(random.choice(k, 20, [2, 4], { replace: false }));
    expect(c).toEqual(list(random.permutation(k, 20)).slice(0, 8));
    expect(new Set(c).size).toBe(8);
    const x = np.arange(20).astype("float32").mul(0.5);
    expect(list(random.choice(k, x, [8], { replace: false }))).toEqual(c.map((i) => i * 0.5));
    expect(list(random.choice(k, 5, [5], { replace: false })).sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it("with p and replacement inverts the cumulative sum of p at total·(1 - uniform)", () => {
    const pr = [0.1, 0, 0.25, 0.3, 0.35, 0];
    const c = list(random.choice(k, 6, [200], { p: np.array(pr) }));
    const u = list(random.uniform(k, [200]));
    const cum: number[] = [];
    pr.reduce((s, v, i) => (cum[i] = s + Math.fround(v)), 0);
    const total = cum[5]!;
    const want = u.map((v) => { const r = total * (1 - v); return cum.filter((cs) => cs < r).length; });
    expect(c).toEqual(want);
    expect(c.includes(1) || c.includes(5)).toBe(false); // zero probability: never drawn
    // A larger population (a binary search of 9 steps) and many draws, against the float64 count.
    const big = Array.from({ length: 300 }, (_, i) => (i % 7 === 3 ? 0 : (i % 11) + 1));
    const draws = list(random.choice(k, 300, [5000], { p: np.array(big) }));
    const cumBig = list(np.cumsum(np.array(big)));
    const uBig = list(random.uniform(k, [5000]));
    const totalBig = cumBig[299]!;
    expect(draws).toEqual(uBig.map((v) => { const r = Math.fround(totalBig * Math.fround(1 - v)); return cumBig.filter((cs) => cs < r).length; }));
  });

  it("with p and without replacement is Gumbel top-k over log(p)", () => {
    const pr = [0.05, 0.2, 0, 0.15, 0.3, 0.3];
    const c = list(random.choice(k, 6, [4], { p: np.array(pr), replace: false }));
    const g = list(random.gumbel(k, [6])).map((v, i) => Math.fround(v + Math.fround(Math.log(pr[i]!))));
    const order = [0, 1, 2, 3, 4, 5].sort((a, b) => (g[b]! - g[a]!) || a - b);
    expect(c).toEqual(order.slice(0, 4));
    expect(c).not.toContain(2);
    // All of them: the zero-probability entry comes last.
    expect(list(random.choice(k, 6, [6], { p: np.array(pr), replace: false }))[5]).toBe(2);
  });

  it("is the same eagerly, under jit and in the interpreter", () => {
    const pr = np.array([1, 2, 3, 4, 5, 6, 7], { dtype: "float32" });
    const x = np.arange(14).reshape([7, 2]);
    const f = (key: NDArray) => [random.choice(key, 7, [4]), random.choice(key, 7, [4], { replace: false }),
      random.choice(key, 7, [3, 2], { p: pr }), random.choice(key, x, [3], { p: pr, replace: false }), random.choice(key, x, [2], { axis: 1 })];
    expectSameEverywhere(f, k);
  });

  it("rejects bad arguments with named errors", () => {
    expect(() => random.choice(k, 3, [4], { replace: false })).toThrow(/random.choice: Cannot take a larger sample \(size 4\) than population \(size 3\)/);
    expect(() => random.choice(k, 0, [2])).toThrow(/random.choice: a must be greater than 0/);
    expect(() => random.choice(k, 3, [2], { p: np.array([0.5, 0.5]) })).toThrow(/random.choice: p must be None or match the shape of a.*\[2\], expected \[3\]/);
    expect(() => random.choice(k, np.arange(6).reshape([2, 3]), [2], { axis: 2 })).toThrow(/random.choice: axis 2 is out of bounds for array of dimension 2/);
    expect(() => random.choice(k, 2.5, [2])).toThrow(/random.choice: a must be a non-negative integer/);
    expect(() => random.choice(np.array([1, 2]) as NDArray, 3)).toThrow(/random.choice: key must be a uint32 array/);
    expect(() => jit((key: NDArray, n: NDArray) => random.choice(key, n, [2]))(k, np.array(3, { dtype: "int32" }))).toThrow(/ConcretizationTypeError|concrete/i);
    expect(random.choice(k, 3, [0]).shape).toEqual([0]);
  });
});

describe("batched keys", () => {
  const keys = random.split(random.key(11), 4);
  const rows = (x: NDArray) => Array.from({ length: x.shape[0]! }, (_, i) => list(x.slice(i)));
  const samplers: [string, (k: NDArray) => NDArray][] = [
    ["bits", (k) => random.bits(k, [3])],
    ["uniform", (k) => random.uniform(k, [2, 3], { minval: -1, maxval: 2 })],
    ["normal", (k) => random.normal(k, [5])],
    ["randint", (k) => random.randint(k, [4], 0, 9)],
    ["bernoulli", (k) => random.bernoulli(k, 0.4, [6])],
    ["categorical", (k) => random.categorical(k, np.array([[0, 1, 2], [2, 1, 0]], { dtype: "float32" }))],
    ["permutation", (k) => random.permutation(k, 6)],
    ["choice", (k) => random.choice(k, 8, [3], { replace: false })],
    ["split", (k) => random.split(k, 3)],
    ["foldIn", (k) => random.foldIn(k, 5)],
  ];
  for (const [name, f] of samplers) {
    it(`${name} maps over a batch of keys as vmap does: row i is the sample for key i`, () => {
      const batched = f(keys);
      const one = f(keys.slice(0));
      expect(batched.shape).toEqual([4, ...one.shape]);
      expect(rows(batched)).toEqual([0, 1, 2, 3].map((i) => list(f(keys.slice(i)))));
      expect(list(vmap(f)(keys))).toEqual(list(batched));
      expect(list(jit(f)(keys))).toEqual(list(batched));
      expect(list(jit(vmap(f))(keys))).toEqual(list(batched));
    });
  }

  it("several batch axes: keys of shape [2, 3, 2] give samples of shape [2, 3, ...]", () => {
    const kk = random.split(random.key(5), 6).reshape([2, 3, 2]);
    const u = random.uniform(kk, [4]);
    expect(u.shape).toEqual([2, 3, 4]);
    expect(list(u.slice(1, 2))).toEqual(list(random.uniform(kk.slice(1, 2), [4])));
    expect(random.split(kk).shape).toEqual([2, 3, 2, 2]);
  });

  it("a key array whose last axis is not 2 is rejected", () => {
    expect(() => random.uniform(np.zeros([3, 3], { dtype: "uint32" }))).toThrow(/random.uniform: key must be a uint32 array of shape \[2\] or a batch of keys \[\.\.\., 2\].*shape \[3, 3\]/);
  });
});

describe("the same numbers as JAX (0.10.2, printed by jax.random for the same keys)", () => {
  const ints = (x: NDArray) => x.tolist();
  it("choice, permutation, and the samplers they are built on", () => {
    const k3 = random.key(3);
    const p = np.array([0.1, 0.2, 0.0, 0.3, 0.4]);
    expect(ints(random.choice(k3, 10, [3, 4]))).toEqual([[5, 9, 5, 4], [6, 2, 3, 4], [2, 4, 2, 4]]);
    expect(ints(random.choice(k3, 20, [2, 4], { replace: false }))).toEqual([[0, 14, 5, 17], [18, 6, 7, 10]]);
    expect(ints(random.permutation(k3, 20))).toEqual([0, 14, 5, 17, 18, 6, 7, 10, 4, 2, 15, 1, 19, 3, 9, 11, 13, 12, 16, 8]);
    expect(ints(random.permutation(k3, 300).slice([0, 10]))).toEqual([290, 38, 101, 129, 185, 286, 291, 254, 244, 0]); // two sorting rounds
    expect(ints(random.choice(k3, 5, [8], { p }))).toEqual([4, 0, 3, 0, 4, 3, 4, 4]);
    expect(ints(random.choice(k3, 5, [3], { p, replace: false }))).toEqual([3, 1, 4]);
    expect(ints(random.choice(k3, np.arange(12).reshape([3, 4]), [2], { axis: 1, replace: false }))).toEqual([[0, 2], [4, 6], [8, 10]]);
    expect(ints(random.permutation(k3, np.arange(12).reshape([3, 4]), 1))).toEqual([[0, 2, 1, 3], [4, 6, 5, 7], [8, 10, 9, 11]]);
    expect(list(random.uniform(k3, [3]))).toEqual([0.07405257225036621, 0.938144326210022, 0.6489570140838623]);
    expect(list(random.normal(k3, [3]))).toEqual([-1.4462569952011108, 1.5393810272216797, 0.38250625133514404]);
    expect(random.categorical(k3, np.log(p.add(0.01))).item()).toBe(3);
    expect(ints(random.bernoulli(k3, 0.3, [6]))).toEqual([true, false, false, false, true, false]);
    expect(ints(random.randint(k3, [5], -3, 9))).toEqual([0, 4, -2, -1, 1]);
    // gumbel: -log(-log(u)); JAX's log differs from Math.log by an ulp here and there.
    const g = list(random.gumbel(k3, [3]));
    [-0.9566569328308105, 2.7511956691741943, 0.8384301662445068].forEach((v, i) => expect(Math.abs(g[i]! - v)).toBeLessThanOrEqual(2e-7));
    const k11 = random.key(11);
    const p8 = np.arange(1, 9).astype("float32");
    expect(ints(random.choice(k11, 8, [20], { p: p8 }))).toEqual([7, 7, 3, 6, 4, 6, 7, 3, 5, 0, 4, 5, 2, 2, 6, 3, 3, 7, 4, 1]);
    expect(ints(random.choice(k11, 8, [5], { p: p8, replace: false }))).toEqual([7, 4, 2, 5, 3]);
  });

  it("split(key, shape) is JAX's split(key, (2, 3)): the flat split reshaped", () => {
    const want = [[[2724472204, 3573582090], [202567368, 3886822060], [3594430910, 1784718894]],
      [[2939540675, 3076691462], [898128576, 3750995185], [972824557, 2491659272]]];
    expect(ints(random.split(random.key(5), [2, 3]))).toEqual(want);
    expect(ints(jit((k: NDArray) => random.split(k, [2, 3]))(random.key(5)))).toEqual(want);
    expect(ints(random.split(random.key(5), 6))).toEqual(want.flat());
    expect(() => random.split(random.key(5), [2, -1])).toThrow(/random.split: num must be a non-negative integer or a shape/);
  });

  it("a batch of keys gives what jax.vmap gives over random.split(key, 3)", () => {
    const ks = random.split(random.key(11), 3);
    expect(list(random.uniform(ks, [2]))).toEqual([0.37832772731781006, 0.2833268642425537, 0.6103235483169556, 4.482269287109375e-05, 0.6409925222396851, 0.3672332763671875]);
    expect(ints(random.permutation(ks, 5))).toEqual([[1, 0, 3, 4, 2], [3, 0, 4, 1, 2], [0, 2, 3, 4, 1]]);
    expect(ints(vmap((k: NDArray) => random.choice(k, 6, [3], { replace: false }))(ks))).toEqual([[1, 0, 3], [3, 0, 4], [0, 2, 3]]);
    expect(ints(random.foldIn(ks, 5))).toEqual([[299401097, 3095950147], [152758983, 822166227], [3084214972, 39857550]]);
  });
});
