// Composed programs against the float64 reference, in every mode: the usual small models
// (softmax, logsumexp, layer norm, an MLP, attention, losses) and randomly generated
// programs that mix elementwise ops, broadcasting, reductions, views, concatenation and
// matmuls (test/helpers/programs.ts).

import { describe, expect, it } from "vitest";
import { np, type NDArray } from "tsjit";
import { Rng } from "../helpers/prng.js";
import { EXACT, MODES, checkAllModes, expectClose, randomArray, runMode, type Tolerance } from "../helpers/harness.js";
import { combine, map, matmul, reduce, transpose, type Ref } from "../helpers/reference.js";
import { describeProgram, programFn, randomProgram, type Program } from "../helpers/programs.js";

/**
 * Composed float32 programs: eager mode rounds after every op, so a handful of
 * roundings (6e-8 relative each) pass through exp, divisions and sums; 1e-5 relative to
 * the larger of the value and the sums' magnitude (passed per test) holds them with a
 * wide margin, while a wrong index or a dropped term is off by O(1).
 */
const COMPOSED: Tolerance = { rtol: 1e-5, atol: 1e-6 };

const sumLast = (r: Ref, keepdims = true) => reduce(r, -1, keepdims, combine.sum, "float32");

describe("small models", () => {
  const rng = new Rng(11);
  const x = randomArray(rng, [5, 7], "float32", { lo: -4, hi: 4 });

  it("softmax and logsumexp", () => {
    const m = reduce(x.ref, -1, true, combine.max, "float32").result;
    const e = map([x.ref, m], (p, q) => Math.exp(p - q), "float32");
    const s = sumLast(e).result;
    checkAllModes((v) => {
      const ev = np.exp(np.subtract(v, np.max(v, -1, { keepdims: true })));
      return np.divide(ev, np.sum(ev, -1, { keepdims: true }));
    }, [x.x], map([e, s], (p, q) => p / q, "float32"), COMPOSED);
    const lse = map([s, m], (p, q) => Math.log(p) + q, "float32");
    checkAllModes((v) => {
      const mv = np.max(v, -1, { keepdims: true });
      return np.add(np.log(np.sum(np.exp(np.subtract(v, mv)), -1, { keepdims: true })), mv);
    }, [x.x], lse, COMPOSED);
  });

  it("layer norm with scale and shift", () => {
    const gamma = randomArray(rng, [7], "float32", { lo: 0.5, hi: 1.5 });
    const beta = randomArray(rng, [7], "float32");
    const mean = reduce(x.ref, -1, true, combine.mean, "float32").result;
    const d = map([x.ref, mean], (p, q) => p - q, "float32");
    const varr = reduce(map([d], (p) => p * p, "float32"), -1, true, combine.mean, "float32").result;
    const expected = map([d, varr, gamma.ref, beta.ref], (p, v, g, b) => (p / Math.sqrt(v + 1e-5)) * g + b, "float32");
    checkAllModes((v, g, b) => {
      const mv = np.mean(v, -1, { keepdims: true });
      const dv = np.subtract(v, mv);
      const vv = np.mean(np.square(dv), -1, { keepdims: true });
      return np.add(np.multiply(np.divide(dv, np.sqrt(np.add(vv, 1e-5))), g), b);
    }, [x.x, gamma.x, beta.x], expected, { rtol: 1e-5, atol: 1e-5 });
  });

  it("a two-layer MLP (matmul, bias, tanh, matmul, softmax)", () => {
    const w1 = randomArray(rng, [7, 16], "float32", { lo: -0.5, hi: 0.5 });
    const b1 = randomArray(rng, [16], "float32", { lo: -0.1, hi: 0.1 });
    const w2 = randomArray(rng, [16, 3], "float32", { lo: -0.5, hi: 0.5 });
    const h = map([matmul(x.ref, w1.ref, "float32").result, b1.ref], (p, q) => Math.tanh(p + q), "float32");
    const logits = matmul(h, w2.ref, "float32");
    const e = map([logits.result], Math.exp, "float32");
    const expected = map([e, sumLast(e).result], (p, q) => p / q, "float32");
    checkAllModes((v, a, b, c) => {
      const hv = np.tanh(np.add(np.matmul(v, a), b));
      const ev = np.exp(np.matmul(hv, c));
      return np.divide(ev, np.sum(ev, -1, { keepdims: true }));
    }, [x.x, w1.x, b1.x, w2.x], expected, { rtol: 1e-5, atol: 1e-6 });
  });

  it("single-head attention over a batch (batched matmul, transpose, softmax)", () => {
    const q = randomArray(rng, [2, 4, 8], "float32");
    const k = randomArray(rng, [2, 5, 8], "float32");
    const v = randomArray(rng, [2, 5, 3], "float32");
    const scores = matmul(q.ref, transpose(k.ref, [0, 2, 1]), "float32");
    const scaled = map([scores.result], (s) => s / Math.sqrt(8), "float32");
    const mx = reduce(scaled, -1, true, combine.max, "float32").result;
    const e = map([scaled, mx], (p, m) => Math.exp(p - m), "float32");
    const w = map([e, sumLast(e).result], (p, s) => p / s, "float32");
    const out = matmul(w, v.ref, "float32");
    // The scores' error (1e-5 of Σ|q·k| ≤ 72) moves the exponentials by ~1e-4 relative.
    checkAllModes((qq, kk, vv) => {
      const s = np.divide(np.matmul(qq, np.transpose(kk, [0, 2, 1])), Math.sqrt(8));
      const ev = np.exp(np.subtract(s, np.max(s, -1, { keepdims: true })));
      return np.matmul(np.divide(ev, np.sum(ev, -1, { keepdims: true })), vv);
    }, [q.x, k.x, v.x], out.result, { rtol: 1e-4, atol: 1e-4 });
  });

  it("losses: mean squared error, cross-entropy with one-hot labels, cosine similarity", () => {
    const y = randomArray(rng, [5, 7], "float32");
    const diff = map([x.ref, y.ref], (p, q) => (p - q) ** 2, "float32");
    const mse = reduce(diff, null, false, combine.mean, "float32");
    checkAllModes((a, b) => np.mean(np.square(np.subtract(a, b))), [x.x, y.x], mse.result, { ...COMPOSED, magnitude: mse.magnitude.map((m) => m / mse.count) });

    const labels = randomArray(rng, [5], "int32", { lo: 0, hi: 6 });
    const m = reduce(x.ref, -1, true, combine.max, "float32").result;
    const lse = map([sumLast(map([x.ref, m], (p, q) => Math.exp(p - q), "float32")).result, m], (s, q) => Math.log(s) + q, "float32");
    const nll = Array.from({ length: 5 }, (_, i) => lse.data[i]! - x.ref.data[i * 7 + labels.ref.data[i]!]!);
    const ce = nll.reduce((a, b) => a + b, 0) / 5;
    checkAllModes((logits, lab) => {
      const onehot = np.equal(np.expandDims(lab, 1), np.arange(7));
      const mx = np.max(logits, -1, { keepdims: true });
      const ls = np.add(np.log(np.sum(np.exp(np.subtract(logits, mx)), -1, { keepdims: true })), mx);
      return np.mean(np.subtract(np.squeeze(ls, 1), np.sum(np.where(onehot, logits, 0), -1)));
    }, [x.x, labels.x], map([], () => ce, "float32"), { rtol: 1e-5, atol: 1e-5 });

    const dotp = sumLast(map([x.ref, y.ref], (p, q) => p * q, "float32"), false);
    const nx = sumLast(map([x.ref], (p) => p * p, "float32"), false).result;
    const ny = sumLast(map([y.ref], (p) => p * p, "float32"), false).result;
    const cos = map([dotp.result, nx, ny], (d, a, b) => d / Math.sqrt(a * b), "float32");
    checkAllModes((a, b) => np.divide(np.sum(np.multiply(a, b), -1), np.sqrt(np.multiply(np.sum(np.square(a), -1), np.sum(np.square(b), -1)))),
      [x.x, y.x], cos, { rtol: 1e-5, atol: 1e-5 });
  });

  it("the seed's conditional double, with the threshold closed over and as an array", () => {
    const t = randomArray(rng, [7], "float32");
    const expected = map([x.ref, t.ref], (p, q) => (p > q ? p * 2 : p), "float32");
    checkAllModes((v, th) => np.where(np.greater(v, th), v.mul(2), v), [x.x, t.x], expected, EXACT);
    checkAllModes((v) => np.where(np.greater(v, 0.5), v.mul(2), v), [x.x], map([x.ref], (p) => (p > Math.fround(0.5) ? p * 2 : p), "float32"), EXACT);
  });
});

/** Indices where two results differ in any bit (Object.is: -0 and NaN count), at most 5. */
function bitDifferences(a: NDArray, b: NDArray): string[] {
  const x = a.dataSync(), y = b.dataSync();
  if (x.length !== y.length || a.dtype !== b.dtype) return [`${a.dtype}[${a.shape}] vs ${b.dtype}[${b.shape}]`];
  const bad: string[] = [];
  for (let i = 0; i < x.length && bad.length < 5; i++) if (!Object.is(x[i], y[i])) bad.push(`[${i}] ${x[i]} vs ${y[i]}`);
  return bad;
}

describe("random programs", () => {
  function runAll(p: Program, seed: number): Record<string, NDArray[]> {
    const fn = programFn(p);
    const outs: Record<string, NDArray[]> = {};
    for (const mode of MODES) {
      try {
        outs[mode] = runMode(mode, fn, p.inputs.map((i) => i.x)) as unknown as NDArray[];
      } catch (e) {
        throw new Error(`${mode} failed on program (seed ${seed}):\n${describeProgram(p)}\n${(e as Error).stack}`);
      }
      expect(outs[mode]!.length).toBe(p.outputs.length);
    }
    return outs;
  }

  /** jit and the interpreter compute what eager mode computes, to the bit (all are float32 op by op). */
  function expectModesBitEqual(p: Program, outs: Record<string, NDArray[]>, seed: number): void {
    for (const mode of ["jit", "interpreter"]) {
      p.outputs.forEach((_, i) => {
        expect(bitDifferences(outs[mode]![i]!, outs.eager![i]!), `${mode} vs eager, output ${i}, seed ${seed}:\n${describeProgram(p)}\n`).toEqual([]);
      });
    }
  }

  function runProgram(seed: number, kind: "float" | "int"): void {
    const rng = new Rng(seed);
    const p = randomProgram(rng, kind);
    // Error scale of a float program: its largest intermediate (values are kept ≤ 4, sums ≤ ~1000).
    let scale = 1;
    for (const r of p.refs) for (const v of r.data) scale = Math.max(scale, Math.abs(v));
    const tol: Tolerance = kind === "int" ? EXACT : { rtol: 1e-4, atol: 1e-5 * scale };
    const outs = runAll(p, seed);
    for (const mode of MODES) {
      p.outputs.forEach((o, i) => expectClose(outs[mode]![i], p.refs[o]!, tol, `${mode}, output ${i}, seed ${seed}:\n${describeProgram(p)}\n`));
    }
    expectModesBitEqual(p, outs, seed);
  }

  // TSJIT_FUZZ=n runs n more programs of each kind (a soak run; TSJIT_FUZZ_LARGE=1 for larger shapes).
  const extra = Number(process.env.TSJIT_FUZZ ?? 0);

  it("200 float32 programs match the reference, and jit/interpreter equal eager bit for bit", () => {
    for (let seed = 1; seed <= 200 + extra; seed++) runProgram(seed, "float");
  });

  it("200 float32 programs with floor, round, casts and comparisons: jit/interpreter equal eager bit for bit", () => {
    for (let seed = 3001; seed <= 3200 + extra; seed++) {
      const p = randomProgram(new Rng(seed), "float", { discontinuous: true });
      expectModesBitEqual(p, runAll(p, seed), seed);
    }
  });

  it("150 int32 programs match the reference exactly", () => {
    for (let seed = 1001; seed <= 1150 + extra; seed++) runProgram(seed, "int");
  });
});
