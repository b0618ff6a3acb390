// One comparison: check every contender against the reference, time them interleaved,
// turn the timings into table rows.

import { assertClose, F32, type Tolerance } from "./check.js";
import { formatTime, type Row } from "./report.js";
import { compare, type Timing, type TimingOptions } from "./timing.js";

export interface Contender {
  readonly name: string;
  /** One call, returning the result as host data (this readback is part of the timed work). */
  readonly run: () => ArrayLike<number>;
}

export interface Comparison {
  readonly name: string;
  /** contenders[0] is tsjit; the others are baselines. */
  readonly contenders: readonly Contender[];
  /** The expected result, or the name of the (hand-written) contender whose result it is. */
  readonly reference: ArrayLike<number> | string;
  readonly tolerance?: Tolerance;
  readonly timing?: TimingOptions;
  /** A ratio target against one baseline (by name). */
  readonly target?: { readonly baseline: string; readonly minRatio: number };
  /** How a per-call time is shown (default: formatTime). */
  readonly format?: (ms: number) => string;
  /** Baselines that could not run (e.g. a peer library that is missing), shown as rows. */
  readonly unavailable?: readonly { readonly baseline: string; readonly reason: string }[];
}

export interface ComparisonResult {
  readonly rows: Row[];
  /** Timings by contender name (empty when tsjit's result was wrong). */
  readonly timings: ReadonlyMap<string, Timing>;
}

function timed<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const v = f();
  return [v, performance.now() - t0];
}

export function runComparison(c: Comparison): ComparisonResult {
  const tol = c.tolerance ?? F32;
  const fmt = c.format ?? formatTime;
  const tsjit = c.contenders[0];
  if (!tsjit) throw new Error("runComparison: no contenders");
  // The first call of each contender is its correctness check (and its first warm-up call).
  const prior = new Map<Contender, number>();
  let reference: ArrayLike<number>;
  if (typeof c.reference === "string") {
    const name = c.reference;
    const ref = c.contenders.find((k) => k.name === name);
    if (!ref) throw new Error(`runComparison: no contender named ${name}`);
    const [out, ms] = timed(ref.run);
    reference = out;
    prior.set(ref, ms);
  } else reference = c.reference;

  const wrong: Row[] = [];
  const ok: Contender[] = [];
  for (const k of c.contenders) {
    if (prior.has(k)) {
      ok.push(k);
      continue;
    }
    try {
      const [out, ms] = timed(k.run);
      assertClose(`${k.name}, ${c.name}`, out, reference, tol);
      prior.set(k, ms);
      ok.push(k);
    } catch (e) {
      if (k === tsjit) {
        return { rows: [{ name: c.name, tsjit: "wrong", baseline: "", status: "FAIL", note: (e as Error).message }], timings: new Map() };
      }
      wrong.push({ name: "", tsjit: "", baseline: k.name, baselineTime: "wrong", note: `not timed: ${(e as Error).message}` });
    }
  }

  const timings = compare(ok, { ...c.timing, prior: ok.map((k) => prior.get(k)) });
  const t0 = timings[0]!;
  const rows: Row[] = [];
  timings.slice(1).forEach((t, i) => {
    const ratio = t.median / t0.median;
    // Spread: the interquartile range of the per-round ratios (each round ran both back to back).
    const paired = t.samples.map((s, r) => s / t0.samples[r]!).sort((a, b) => a - b);
    const q = (f: number) => paired[Math.min(paired.length - 1, Math.round(f * (paired.length - 1)))]!;
    const targeted = c.target?.baseline === t.name;
    rows.push({
      name: i === 0 ? c.name : "",
      tsjit: i === 0 ? fmt(t0.median) : "",
      baseline: t.name,
      baselineTime: fmt(t.median),
      ratio,
      ratioSpread: (q(0.75) - q(0.25)) / 2 / ratio,
      ...(targeted ? { target: `≥ ${c.target!.minRatio.toFixed(1)}×`, status: ratio >= c.target!.minRatio ? "PASS" as const : "MISS" as const } : {}),
      ...(targeted && ratio < c.target!.minRatio && q(0.75) >= c.target!.minRatio
        ? { note: `within noise of the target: the upper quartile of the per-round ratios is ${q(0.75).toFixed(3)}×` }
        : {}),
    });
  });
  if (timings.length === 1) rows.push({ name: c.name, tsjit: fmt(t0.median), baseline: "" });
  rows.push(...wrong);
  for (const u of c.unavailable ?? []) rows.push({ name: "", tsjit: "", baseline: u.baseline, baselineTime: "n/a", note: u.reason });
  return { rows, timings: new Map(timings.map((t) => [t.name, t])) };
}
