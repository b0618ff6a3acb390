// Statistical tests for `random`, deterministic through fixed keys: moments against their
// standard errors, Kolmogorov–Smirnov tests against the exact CDFs (uniform, normal, Gumbel),
// and chi-square tests of frequencies (categorical, choice, randint, bernoulli, permutation
// of small n). All references are float64 JavaScript, independent of the code under test;
// each test also shows that it can fail (the same statistic rejects a wrong distribution).

import { describe, expect, it } from "vitest";
import { np, random, type NDArray } from "tsjit";

const list = (x: NDArray) => Array.from(x.dataSync() as ArrayLike<number>);
const ALPHA = 1e-3; // rejection threshold: a fixed key passes or fails deterministically

// ---- float64 references ------------------------------------------------------------------

/** erf by its Maclaurin series (|x| < 3) or the continued fraction of erfc (|x| ≥ 3): ~1e-15. */
function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 3) {
    let term = x, sum = x;
    for (let n = 1; n < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
      term *= (-x * x) / n;
      sum += term / (2 * n + 1);
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc(x) = exp(-x²)/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...)))) (Lentz-free, evaluated bottom-up).
  let f = ax;
  for (let k = 60; k >= 1; k--) f = ax + k / 2 / f;
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
  return Math.sign(x) * (1 - erfc);
}
const normalCdf = (x: number) => 0.5 * (1 + erf(x / Math.SQRT2));
const uniformCdf = (x: number) => Math.min(1, Math.max(0, x));
const gumbelCdf = (x: number) => Math.exp(-Math.exp(-x));

/** The KS statistic D = sup |F_n - F| of a sample against a CDF. */
function ksStatistic(xs: number[], cdf: (x: number) => number): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  let d = 0;
  s.forEach((x, i) => {
    const f = cdf(x);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  });
  return d;
}

/** Asymptotic p-value of the KS statistic (Kolmogorov's series, Stephens' small-n correction). */
function ksPValue(d: number, n: number): number {
  const lam = (Math.sqrt(n) + 0.12 + 0.11 / Math.sqrt(n)) * d;
  let p = 0;
  for (let k = 1; k <= 100; k++) p += 2 * (-1) ** (k - 1) * Math.exp(-2 * k * k * lam * lam);
  return Math.min(1, Math.max(0, p));
}

/** ln Γ(x) (Lanczos, g = 7). */
function lnGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  x -= 1;
  let a = c[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Upper regularized incomplete gamma Q(a, x): series below a + 1, continued fraction above. */
function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const front = Math.exp(-x + a * Math.log(x) - lnGamma(a));
  if (x < a + 1) {
    let sum = 1 / a, term = sum;
    for (let n = 1; n < 1000; n++) {
      term *= x / (a + n);
      sum += term;
      if (term < sum * 1e-16) break;
    }
    return 1 - front * sum;
  }
  // Modified Lentz on the continued fraction of Γ(a, x).
  let b = x + 1 - a, c = 1e300, d = 1 / b, h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b; if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c; if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return front * h;
}

/** Pearson's chi-square test of observed counts against expected probabilities: the p-value. */
function chiSquareP(counts: number[], probs: number[]): { stat: number; p: number } {
  const n = counts.reduce((a, b) => a + b, 0);
  let stat = 0, cells = 0;
  counts.forEach((c, i) => {
    const e = n * probs[i]!;
    if (e === 0) {
      if (c !== 0) stat = Infinity; // a zero-probability cell was drawn
      return;
    }
    stat += (c - e) ** 2 / e;
    cells++;
  });
  return { stat, p: stat === Infinity ? 0 : gammaQ((cells - 1) / 2, stat / 2) };
}

const countsOf = (xs: number[], k: number) => {
  const c = new Array<number>(k).fill(0);
  for (const x of xs) c[x]!++;
  return c;
};

// ---- the references themselves -------------------------------------------------------------

describe("statistics references", () => {
  it("erf, the chi-square p-value and the KS p-value agree with known values", () => {
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 14);
    expect(erf(-1.5)).toBeCloseTo(-0.9661051464753108, 14);
    expect(erf(3.5)).toBeCloseTo(0.9999992569016276, 14);
    // chi-square critical values (df, x, upper tail): tables.
    expect(gammaQ(1 / 2, 3.841458820694124 / 2)).toBeCloseTo(0.05, 10);
    expect(gammaQ(5 / 2, 20.515005652432873 / 2)).toBeCloseTo(0.001, 10);
    expect(gammaQ(23 / 2, 35.17246162690806 / 2)).toBeCloseTo(0.05, 9);
    // Kolmogorov: P(√n·D > 1.3581) ≈ 0.05 for large n.
    expect(ksPValue(1.3581 / Math.sqrt(1e8), 1e8)).toBeCloseTo(0.05, 3);
  });
});

// ---- moments ---------------------------------------------------------------------------------

describe("random moments", () => {
  const n = 40000;
  const moments = (xs: number[]) => {
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    const c = (k: number) => xs.reduce((a, x) => a + (x - m) ** k, 0) / xs.length;
    const v = c(2);
    return { mean: m, var: v, skew: c(3) / v ** 1.5, kurt: c(4) / (v * v) - 3 };
  };

  it("uniform(-2, 3): mean, variance, skewness and excess kurtosis within 5 standard errors", () => {
    const m = moments(list(random.uniform(random.key(100), [n], { minval: -2, maxval: 3 })));
    // Var = 25/12; SE(mean) = √(Var/n); SE(var) = √((μ4 - σ⁴)/n) with μ4 = 625/80.
    expect(Math.abs(m.mean - 0.5)).toBeLessThan(5 * Math.sqrt(25 / 12 / n));
    expect(Math.abs(m.var - 25 / 12)).toBeLessThan(5 * Math.sqrt((625 / 80 - (25 / 12) ** 2) / n));
    expect(Math.abs(m.skew)).toBeLessThan(5 * Math.sqrt(6 / n));
    expect(Math.abs(m.kurt + 1.2)).toBeLessThan(5 * Math.sqrt(24 / n)); // uniform: excess kurtosis -6/5
  });

  it("normal: mean 0, variance 1, skewness 0, excess kurtosis 0 within 5 standard errors", () => {
    const m = moments(list(random.normal(random.key(101), [n])));
    expect(Math.abs(m.mean)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(m.var - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(m.skew)).toBeLessThan(5 * Math.sqrt(6 / n));
    expect(Math.abs(m.kurt)).toBeLessThan(5 * Math.sqrt(24 / n));
  });

  it("gumbel: mean γ, variance π²/6", () => {
    const m = moments(list(random.gumbel(random.key(102), [n])));
    const v = Math.PI ** 2 / 6;
    expect(Math.abs(m.mean - 0.5772156649015329)).toBeLessThan(5 * Math.sqrt(v / n));
    expect(Math.abs(m.var - v)).toBeLessThan(5 * Math.sqrt((5.4 * v * v - v * v) / n)); // Gumbel kurtosis 5.4
  });

  it("randint and bernoulli: means and variances", () => {
    const r = moments(list(random.randint(random.key(103), [n], -3, 7)));
    expect(Math.abs(r.mean - 1.5)).toBeLessThan(5 * Math.sqrt(8.25 / n)); // discrete uniform: (10² - 1)/12
    expect(Math.abs(r.var - 8.25)).toBeLessThan(0.15);
    const b = moments(list(random.bernoulli(random.key(104), 0.3, [n])));
    expect(Math.abs(b.mean - 0.3)).toBeLessThan(5 * Math.sqrt(0.21 / n));
  });
});

// ---- Kolmogorov–Smirnov ---------------------------------------------------------------------

describe("random Kolmogorov–Smirnov tests", () => {
  const n = 20000;
  it("uniform passes against the uniform CDF (and a distorted sample fails it)", () => {
    const xs = list(random.uniform(random.key(200), [n]));
    expect(ksPValue(ksStatistic(xs, uniformCdf), n)).toBeGreaterThan(ALPHA);
    // Also on [-2, 3) against its own CDF.
    const ys = list(random.uniform(random.key(201), [n], { minval: -2, maxval: 3 }));
    expect(ksPValue(ksStatistic(ys, (x) => uniformCdf((x + 2) / 5)), n)).toBeGreaterThan(ALPHA);
    // The test can fail: a slightly distorted sample (u^1.05) is rejected.
    expect(ksPValue(ksStatistic(xs.map((u) => u ** 1.05), uniformCdf), n)).toBeLessThan(ALPHA);
  });

  it("normal passes against Φ (and a variance off by 5% fails)", () => {
    const xs = list(random.normal(random.key(202), [n]));
    expect(ksPValue(ksStatistic(xs, normalCdf), n)).toBeGreaterThan(ALPHA);
    expect(ksPValue(ksStatistic(xs.map((x) => x * 1.05), normalCdf), n)).toBeLessThan(ALPHA);
    // The tails: 4σ events are about as rare as they should be (n·P(|X| > 4) ≈ 1.3).
    expect(xs.filter((x) => Math.abs(x) > 4).length).toBeLessThan(8);
  });

  it("gumbel passes against exp(-exp(-x))", () => {
    const xs = list(random.gumbel(random.key(203), [n]));
    expect(ksPValue(ksStatistic(xs, gumbelCdf), n)).toBeGreaterThan(ALPHA);
    expect(ksPValue(ksStatistic(xs.map((x) => x + 0.05), gumbelCdf), n)).toBeLessThan(ALPHA);
  });

  it("a batch of keys gives independent-looking streams: the first value of each key is uniform", () => {
    const xs = list(random.uniform(random.split(random.key(204), 5000)));
    expect(ksPValue(ksStatistic(xs, uniformCdf), 5000)).toBeGreaterThan(ALPHA);
  });
});

// ---- chi-square frequencies -----------------------------------------------------------------

describe("random chi-square frequency tests", () => {
  const n = 20000;
  it("categorical draws classes with probability softmax(logits)", () => {
    const probs = [0.1, 0.2, 0.3, 0.4];
    const logits = np.broadcastTo(np.log(np.array(probs)), [n, 4]);
    const counts = countsOf(list(random.categorical(random.key(300), logits)), 4);
    expect(chiSquareP(counts, probs).p).toBeGreaterThan(ALPHA);
    expect(chiSquareP(counts, [0.11, 0.2, 0.3, 0.39]).p).toBeLessThan(ALPHA); // can fail
  });

  it("randint is uniform over [minval, maxval)", () => {
    const counts = countsOf(list(random.randint(random.key(301), [n], 0, 13)), 13);
    expect(chiSquareP(counts, new Array(13).fill(1 / 13)).p).toBeGreaterThan(ALPHA);
  });

  it("bernoulli(p) has frequency p", () => {
    const xs = list(random.bernoulli(random.key(302), 0.37, [n]));
    const ones = xs.filter((x) => x).length;
    expect(chiSquareP([n - ones, ones], [0.63, 0.37]).p).toBeGreaterThan(ALPHA);
    expect(chiSquareP([n - ones, ones], [0.6, 0.4]).p).toBeLessThan(ALPHA);
  });

  it("choice with replacement follows p (zero-probability entries never drawn) and is uniform without p", () => {
    const probs = [0.05, 0.25, 0, 0.4, 0.3];
    const counts = countsOf(list(random.choice(random.key(303), 5, [n], { p: np.array(probs) })), 5);
    expect(counts[2]).toBe(0);
    expect(chiSquareP(counts, probs).p).toBeGreaterThan(ALPHA);
    const unnormalized = countsOf(list(random.choice(random.key(304), 5, [n], { p: np.array(probs.map((v) => v * 7)) })), 5);
    expect(chiSquareP(unnormalized, probs).p).toBeGreaterThan(ALPHA);
    const uni = countsOf(list(random.choice(random.key(305), 6, [n])), 6);
    expect(chiSquareP(uni, new Array(6).fill(1 / 6)).p).toBeGreaterThan(ALPHA);
  });

  it("choice without replacement draws ordered pairs with probability p_i·p_j/(1 - p_i)", () => {
    const probs = [0.2, 0.3, 0.5];
    const m = 6000;
    const draws = list(random.choice(random.split(random.key(306), m), 3, [2], { p: np.array(probs), replace: false }));
    const pairs: [number, number][] = [[0, 1], [0, 2], [1, 0], [1, 2], [2, 0], [2, 1]];
    const counts = pairs.map(([a, b]) => {
      let c = 0;
      for (let i = 0; i < m; i++) if (draws[2 * i] === a && draws[2 * i + 1] === b) c++;
      return c;
    });
    expect(counts.reduce((a, b) => a + b, 0)).toBe(m); // never the same entry twice
    const expected = pairs.map(([a, b]) => (probs[a]! * probs[b]!) / (1 - probs[a]!));
    expect(chiSquareP(counts, expected).p).toBeGreaterThan(ALPHA);
    // Drawing with the first-draw probabilities for both (i.e. ignoring removal) is rejected.
    const naive = pairs.map(([a, b]) => probs[a]! * probs[b]!);
    const z = naive.reduce((s, v) => s + v, 0);
    expect(chiSquareP(counts, naive.map((v) => v / z)).p).toBeLessThan(ALPHA);
  });

  it("permutation of 3 and 4 elements: every ordering equally likely", () => {
    for (const [k, m] of [[3, 6000], [4, 12000]] as const) {
      const perms = list(random.permutation(random.split(random.key(307 + k), m), k));
      const fact = k === 3 ? 6 : 24;
      const code = (row: number[]) => row.reduce((a, v) => a * k + v, 0); // base-k code of the ordering
      const all = new Map<number, number>();
      for (let i = 0; i < m; i++) {
        const row = perms.slice(i * k, (i + 1) * k);
        expect([...row].sort()).toEqual(Array.from({ length: k }, (_, j) => j));
        const c = code(row);
        all.set(c, (all.get(c) ?? 0) + 1);
      }
      expect(all.size).toBe(fact);
      expect(chiSquareP([...all.values()], new Array(fact).fill(1 / fact)).p).toBeGreaterThan(ALPHA);
    }
  });

  it("permutation of 10 elements: each element lands at each position with probability 1/10", () => {
    const m = 4000, k = 10;
    const perms = list(random.permutation(random.split(random.key(320), m), k));
    for (let pos = 0; pos < k; pos++) {
      const counts = countsOf(Array.from({ length: m }, (_, i) => perms[i * k + pos]!), k);
      expect(chiSquareP(counts, new Array(k).fill(1 / k)).p).toBeGreaterThan(ALPHA / k); // Bonferroni over positions
    }
  });
});
