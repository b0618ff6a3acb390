// An independent reference for cumulative folds: floats accumulate in float64 (the code
// under test rounds to float32 per step, so comparisons allow float32 error, scaled by the
// running sum of magnitudes for sums); int32/uint32 accumulate exactly in BigInt and wrap
// mod 2^32 at the end; max/min propagate NaN.

export type CumOp = "sum" | "prod" | "max" | "min";
export type CumDType = "float32" | "int32" | "uint32";

/** Row-major `values` of `shape`, folded along `axis` (forward or reverse). Returns [result, error bound per element]. */
export function refCumulative(values: readonly number[], shape: readonly number[], axis: number, op: CumOp, reverse: boolean, dtype: CumDType): [number[], number[]] {
  const n = shape[axis] ?? 1;
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const outer = values.length / Math.max(1, n * inner);
  const out = new Array<number>(values.length).fill(0), mag = new Array<number>(values.length).fill(0);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let acc: number | null = null, big: bigint | null = null, m = 0;
      for (let s = 0; s < n; s++) {
        const t = reverse ? n - 1 - s : s;
        const k = (o * n + t) * inner + i;
        const x = values[k]!;
        if (dtype !== "float32" && (op === "sum" || op === "prod")) {
          big = big === null ? BigInt(x) : op === "sum" ? big + BigInt(x) : big * BigInt(x);
          const w = BigInt.asUintN(32, big);
          out[k] = dtype === "uint32" ? Number(w) : Number(BigInt.asIntN(32, w));
          continue;
        }
        if (acc === null) acc = x;
        else if (op === "sum") acc += x;
        else if (op === "prod") acc *= x;
        else if (Number.isNaN(acc) || Number.isNaN(x)) acc = NaN;
        else acc = op === "max" ? Math.max(acc, x) : Math.min(acc, x);
        m = op === "prod" ? Math.abs(acc) : m + Math.abs(x);
        out[k] = acc;
        // float32 rounding: at most one half-ulp per step, of at most the running magnitude.
        mag[k] = op === "max" || op === "min" ? 0 : 2 ** -23 * (s + 1) * m;
      }
    }
  }
  return [out, mag];
}

/** Expects `got` to match the reference: exact for integers and max/min, float32 error otherwise. */
export function expectCumulative(got: ArrayLike<number>, want: readonly number[], bound: readonly number[], what: string): void {
  if (got.length !== want.length) throw new Error(`${what}: length ${got.length}, expected ${want.length}`);
  for (let k = 0; k < want.length; k++) {
    const g = got[k]!, w = want[k]!;
    if (Number.isNaN(w)) {
      if (!Number.isNaN(g)) throw new Error(`${what}: element ${k} is ${g}, expected NaN`);
      continue;
    }
    const tol = bound[k]!;
    if (!(Math.abs(g - w) <= tol) && g !== w) throw new Error(`${what}: element ${k} is ${g}, expected ${w} (tolerance ${tol})`);
  }
}
