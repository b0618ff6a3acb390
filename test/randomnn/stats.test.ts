// var/std/ptp/diff/log2/log10/exp2/cumsum/cumprod against float64 references (NumPy's
// definitions), eagerly and under jit; cumsum is one cumulative primitive, not an unrolled chain.

import { describe, expect, it } from "vitest";
import { jit, np, type NDArray } from "tsjit";

const list = (x: NDArray) => Array.from(x.dataSync() as ArrayLike<number>);
const close = (got: number[], want: number[], tol = 1e-5) =>
  want.forEach((w, i) => expect(Math.abs(got[i]! - w), `[${i}] ${got[i]} vs ${w}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(w))));

describe("np stats and scans", () => {
  const rows = [[1, 2, 4, 7], [3, -1, 0, 10]];
  const x = np.array(rows);

  it("var and std with ddof, over an axis or all", () => {
    const all = rows.flat(), m = all.reduce((s, v) => s + v, 0) / 8;
    const ss = all.reduce((s, v) => s + (v - m) ** 2, 0);
    close(list(np.var(x)), [ss / 8]);
    close(list(np.std(x, null, { ddof: 1 })), [Math.sqrt(ss / 7)]);
    const rowVar = rows.map((r) => { const mm = r.reduce((s, v) => s + v, 0) / 4; return r.reduce((s, v) => s + (v - mm) ** 2, 0) / 3; });
    close(list(jit((a: NDArray) => np.var(a, 1, { ddof: 1 }))(x)), rowVar);
    expect(np.var(x, 1, { keepdims: true }).shape).toEqual([2, 1]);
    expect(np.var(np.array([1, 2], { dtype: "int32" })).dtype).toBe("float32");
  });

  it("ptp, diff, log2, log10, exp2", () => {
    expect(list(np.ptp(x, 1))).toEqual([6, 11]);
    expect(np.diff(x).tolist()).toEqual([[1, 2, 3], [-4, 1, 10]]);
    expect(np.diff(x, 2, 0).shape).toEqual([0, 4]);
    expect(np.diff(np.array([1, 4, 9, 16]), 2).tolist()).toEqual([2, 2]);
    expect(np.diff(np.array([true, true, false])).tolist()).toEqual([false, true]);
    close(list(np.log2(np.array([1, 8, 0.5]))), [0, 3, -1]);
    close(list(np.log10(np.array([1, 1000]))), [0, 3]);
    close(list(np.exp2(np.array([0, 10, -2]))), [1, 1024, 0.25]);
  });

  it("cumsum and cumprod, flattened or along an axis, eager = jit", () => {
    expect(np.cumsum(x).tolist()).toEqual([1, 3, 7, 14, 17, 16, 16, 26]);
    expect(np.cumsum(x, 0).tolist()).toEqual([[1, 2, 4, 7], [4, 1, 4, 17]]);
    expect(jit((a: NDArray) => np.cumsum(a, -1))(x).tolist()).toEqual([[1, 3, 7, 14], [3, 2, 2, 12]]);
    expect(np.cumprod(np.array([1, 2, 3, 4, 5]), 0).tolist()).toEqual([1, 2, 6, 24, 120]);
    expect(np.cumsum(np.array([true, false, true])).tolist()).toEqual([1, 1, 2]);
    const n = 1000;
    const big = np.arange(n).astype("float32");
    const got = list(jit((a: NDArray) => np.cumsum(a))(big));
    expect(got[n - 1]).toBe((n * (n - 1)) / 2);
    // One cumsum equation (a loop per row in the backends), no chain of adds.
    const text = jit((a: NDArray) => np.cumsum(a)).lower(big).asText();
    expect((text.match(/= add /g) ?? []).length).toBe(0);
    expect((text.match(/cumsum/g) ?? []).length).toBe(1);
  });
});
