// The benchmark harness itself: its correctness checks, timing and table, and the exact
// jitted functions it benchmarks, on small inputs (so a wrong kernel fails here too).

import { describe, expect, it } from "vitest";
import { jit, np } from "tsjit";
import { assertClose, F32, MismatchError, sumTolerance } from "../../bench/check.js";
import { CPU_BASELINE, tsjitContenders } from "../../bench/backends.js";
import { chain, chainByHand } from "../../bench/chain.js";
import { tsArray, uniform } from "../../bench/data.js";
import { fused, fusedByHand, fusedByHandInto } from "../../bench/fused.js";
import type { Context } from "../../bench/group.js";
import { runComparison } from "../../bench/harness.js";
import { cumsum, cumsumByHand } from "../../bench/indexing.js";
import { layernormByHand, layernormFn } from "../../bench/layernorm.js";
import { matmul, matmulIkj, matmulNaive } from "../../bench/matmul.js";
import { mlpByHand, mlpData, mlpForward, BATCH, HIDDEN, IN, OUT } from "../../bench/mlp-model.js";
import { formatTime, printTable } from "../../bench/report.js";
import { softmax, softmaxByHand } from "../../bench/softmax.js";
import { argsortByHand, argsortJit, sortJit } from "../../bench/sort.js";
import { compare, median } from "../../bench/timing.js";

const quick = { warmup: 1, warmupMs: 0, sampleMs: 1, minSamples: 3, maxSamples: 3, budgetMs: 0 };

describe("check", () => {
  it("accepts float32 rounding and rejects real differences", () => {
    expect(() => assertClose("same", [1, 2, NaN], [1 + 1e-7, 2, NaN], F32)).not.toThrow();
    expect(() => assertClose("off", [1, 2.001], [1, 2], F32)).toThrow(MismatchError);
    expect(() => assertClose("nan", [1, NaN], [1, 2], F32)).toThrow(/\[1\]/);
    expect(() => assertClose("length", [1], [1, 2], F32)).toThrow(/elements/);
  });
});

describe("timing", () => {
  it("times every candidate, interleaved, the same number of rounds", () => {
    let a = 0;
    let b = 0;
    const t = compare([{ name: "a", run: () => a++ }, { name: "b", run: () => b++ }], quick);
    expect(t.map((x) => x.name)).toEqual(["a", "b"]);
    for (const x of t) {
      expect(x.samples).toHaveLength(3);
      expect(x.median).toBeGreaterThanOrEqual(0);
      expect(x.min).toBeLessThanOrEqual(x.median);
    }
    expect(a).toBeGreaterThan(3);
    expect(b).toBeGreaterThan(3);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });
});

describe("runComparison", () => {
  const ref = Float32Array.of(1, 2, 3);
  it("fails a wrong tsjit result instead of timing it", () => {
    const { rows } = runComparison({
      name: "wrong", reference: ref, timing: quick,
      contenders: [{ name: "tsjit", run: () => Float32Array.of(1, 2, 4) }, { name: "js", run: () => ref }],
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.status).toBe("FAIL");
    expect(rows[0]!.note).toMatch(/\[2\]/);
  });
  it("gives a ratio row per baseline, a status on the targeted one, and drops wrong baselines", () => {
    const { rows, timings } = runComparison({
      name: "ok", reference: "js", timing: quick, target: { baseline: "js", minRatio: 0 },
      contenders: [
        { name: "tsjit", run: () => ref },
        { name: "js", run: () => ref },
        { name: "peer", run: () => Float32Array.of(0, 0, 0) },
      ],
    });
    expect(rows[0]).toMatchObject({ name: "ok", baseline: "js", status: "PASS" });
    expect(rows[0]!.ratio).toBeGreaterThan(0);
    expect(rows[1]).toMatchObject({ baseline: "peer", baselineTime: "wrong" });
    expect([...timings.keys()]).toEqual(["tsjit", "js"]);
  });
});

describe("report", () => {
  it("formats times and prints aligned rows", () => {
    expect(formatTime(1500)).toBe("1.50 s");
    expect(formatTime(12.34)).toBe("12.3 ms");
    expect(formatTime(0.5)).toBe("500 µs");
    expect(formatTime(0.00005)).toBe("50 ns");
    const lines: string[] = [];
    printTable([{ name: "x", tsjit: "1 ms", baseline: "js", baselineTime: "2 ms", ratio: 2, ratioSpread: 0.03, target: "≥ 1.0×", status: "PASS" }], (l) => lines.push(l));
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/^x .*1 ms.*js.*2 ms.*2\.00× ±3%.*≥ 1\.0×.*PASS$/);
  });
});

describe("benchmarked functions agree with the hand-written loops", () => {
  it("fused tanh", () => {
    const d = uniform(1000, 1, -5, 5);
    const expected = fusedByHand(d, 0.7, 0.1);
    assertClose("fused", fused(tsArray(d, [1000]), 0.7, 0.1).dataSync(), expected);
    assertClose("into", fusedByHandInto(new Float32Array(1000), d, 0.7, 0.1), expected);
  });
  it("10-op chain", () => {
    const x = uniform(1000, 2, -2, 2);
    const y = uniform(1000, 3, -2, 2);
    assertClose("chain", chain(tsArray(x, [1000]), tsArray(y, [1000])).dataSync(), chainByHand(x, y));
  });
  it("softmax", () => {
    const d = uniform(12 * 33, 4, -5, 5);
    assertClose("softmax", softmax(tsArray(d, [12, 33])).dataSync(), softmaxByHand(d, 12, 33));
  });
  it("matmul, both hand-written orders", () => {
    const [m, k, n] = [13, 37, 9];
    const a = uniform(m * k, 5);
    const b = uniform(k * n, 6);
    const expected = matmulNaive(a, b, m, k, n);
    assertClose("ikj", matmulIkj(a, b, m, k, n), expected, sumTolerance(k));
    assertClose("tsjit", matmul(tsArray(a, [m, k]), tsArray(b, [k, n])).dataSync(), expected, sumTolerance(k));
  });
  it("layer norm, on both tsjit backends the peer groups compare", () => {
    const [r, c] = [9, 40];
    const x = uniform(r * c, 5, -3, 3), g = uniform(c, 6, 0.5, 1.5), b = uniform(c, 7, -0.5, 0.5);
    const expected = layernormByHand(x, g, b, r, c);
    const ctx: Context = { jax: { ok: false, reason: "" }, tf: { ok: false, reason: "" }, wasm: undefined, log: () => {} };
    const contenders = tsjitContenders(ctx, layernormFn, [tsArray(x, [r, c]), tsArray(g, [c]), tsArray(b, [c])]);
    expect(contenders.map((k) => k.name)).toEqual(["tsjit", CPU_BASELINE]);
    for (const k of contenders) assertClose(k.name, k.run(), expected, sumTolerance(c));
  });
  it("cumsum", () => {
    const d = uniform(1000, 14);
    assertClose("cumsum", cumsum(tsArray(d, [1000])).dataSync(), cumsumByHand(d), sumTolerance(1000));
  });
  it("sort and argsort, exactly", () => {
    const d = uniform(1000, 21);
    expect(Array.from(sortJit(tsArray(d, [1000])).dataSync())).toEqual(Array.from(d.slice().sort()));
    const idx = argsortByHand(d);
    expect(Array.from(argsortJit(tsArray(d, [1000])).dataSync())).toEqual(Array.from(idx));
    for (let i = 1; i < idx.length; i++) expect(d[idx[i - 1]!]!).toBeLessThanOrEqual(d[idx[i]!]!);
  });
  it("MLP forward", () => {
    const d = mlpData();
    const f = jit(mlpForward);
    const out = f(tsArray(d.x, [BATCH, IN]), tsArray(d.w1, [IN, HIDDEN]), tsArray(d.b1, [HIDDEN]), tsArray(d.w2, [HIDDEN, OUT]), tsArray(d.b2, [OUT]));
    expect(out.shape).toEqual([BATCH, OUT]);
    assertClose("mlp", out.dataSync(), mlpByHand(d), sumTolerance(IN));
    expect(np.max(out).item()).toBeGreaterThan(0);
  });
});
