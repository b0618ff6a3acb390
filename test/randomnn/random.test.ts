// random: Threefry-2x32 against Random123's known-answer vectors, key/split/foldIn/bits
// against values JAX (partitionable Threefry, its default) prints, samplers' statistics,
// and eager = jit = interpreter bit for bit.

import { describe, expect, it } from "vitest";
import { jit, np, random, type NDArray } from "tsjit";
import { forceInterpreter } from "../../runtime/backend/cpu/index.js";
import { threefry2x32 } from "../../runtime/random/threefry.js";

const list = (x: NDArray) => Array.from(x.dataSync() as ArrayLike<number>);
const u = (...xs: number[]) => np.array(Uint32Array.from(xs));

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
    const eager = f(k).map(list);
    expect(jit(f)(k).map(list)).toEqual(eager);
    forceInterpreter(true);
    try {
      expect(jit((key: NDArray) => f(key))(k).map(list)).toEqual(eager);
    } finally {
      forceInterpreter(undefined);
    }
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
