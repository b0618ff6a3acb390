// Result rows and the printed table.

export interface Row {
  /** Benchmark name; rows that continue the previous benchmark (other baselines) leave it empty. */
  readonly name: string;
  /** tsjit's measurement, formatted. */
  readonly tsjit: string;
  /** What tsjit is compared with ("" when the target is absolute). */
  readonly baseline: string;
  /** The baseline's measurement, formatted. */
  readonly baselineTime?: string;
  /** baseline time / tsjit time: above 1, tsjit is faster. */
  readonly ratio?: number;
  /** Half the interquartile range of the per-round ratios, relative to the ratio. */
  readonly ratioSpread?: number;
  readonly target?: string;
  /** PASS/MISS against the target; FAIL when the result was wrong; absent: information only. */
  readonly status?: "PASS" | "MISS" | "FAIL" | "N/A";
  readonly note?: string;
}

export function formatTime(ms: number): string {
  if (!Number.isFinite(ms)) return "-";
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  if (ms >= 1e-3) return `${(ms * 1e3).toFixed(ms >= 0.1 ? 0 : ms >= 0.01 ? 1 : 2)} µs`;
  return `${(ms * 1e6).toFixed(0)} ns`;
}

export function formatRatio(r: number): string {
  if (!Number.isFinite(r)) return "-";
  return r >= 10 ? `${r.toFixed(1)}×` : `${r.toFixed(2)}×`;
}

export function gflops(flops: number, ms: number): number {
  return flops / (ms * 1e6);
}

const HEADERS = ["benchmark", "tsjit", "baseline", "baseline time", "ratio", "target", "status"] as const;

export function printTable(rows: readonly Row[], out: (line: string) => void = console.log): void {
  const cells = rows.map((r) => [
    r.name,
    r.tsjit,
    r.baseline,
    r.baselineTime ?? "",
    r.ratio === undefined ? "" : formatRatio(r.ratio) + (r.ratioSpread === undefined ? "" : ` ±${Math.max(1, Math.round(100 * r.ratioSpread))}%`),
    r.target ?? "",
    r.status ?? "",
  ]);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) =>
    c.map((x, i) => (i === 1 || i === 3 || i === 4 ? x.padStart(widths[i]!) : x.padEnd(widths[i]!))).join("  ").trimEnd();
  out(line(HEADERS));
  out(widths.map((w) => "-".repeat(w)).join("  "));
  rows.forEach((r, k) => {
    out(line(cells[k]!));
    if (r.note) out(`${" ".repeat(2)}↳ ${r.note}`);
  });
}
