// Row-interleaved kernels on the wasm backend (codegen.ts `rowGroupEnd` / `rowFused`):
// a softmax-shaped program (reduce over the last axis, then broadcast elementwise) runs
// its max / exp / sum / divide kernels row by row inside one loop over the rows, and still
// equals a float64 reference; programs whose kernels read across rows keep separate loops.

import { describe, expect, it } from "vitest";
import { jit, np, type BackendName, type NDArray } from "tsjit";
import { rng } from "../../bench/data.js";

const wasm = { backend: "wasm" as BackendName };

function softmax(x: NDArray): NDArray {
  const e = np.exp(x.sub(np.max(x, -1, { keepdims: true })));
  return e.div(np.sum(e, -1, { keepdims: true }));
}

/** Loop nesting of `run`'s body: the depth of each `loop` line, in order. */
function runLoopDepths(text: string): number[] {
  const run = text.split(/\n(?= {2}\(func \d+)/).find((f) => f.includes("$run"))!;
  return run.split("\n").filter((l) => /^\s*loop\b/.test(l)).map((l) => (l.length - l.trimStart().length - 4) / 2);
}

function softmaxRef(x: Float32Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    let m = -Infinity;
    for (let c = 0; c < cols; c++) m = Math.max(m, x[r * cols + c]!);
    let s = 0;
    for (let c = 0; c < cols; c++) s += out[r * cols + c] = Math.exp(x[r * cols + c]! - m);
    for (let c = 0; c < cols; c++) out[r * cols + c]! /= s;
  }
  return out;
}

describe("wasm: row-interleaved kernels", () => {
  it("softmax runs its four passes inside one loop over the rows", () => {
    const text = jit(softmax, wasm).lower(np.ones([16, 64])).asText("wasm");
    const depths = runLoopDepths(text);
    expect(depths[0]).toBe(0);
    // Every other loop is nested in the first (the row loop): no second top-level pass.
    expect(depths.slice(1).every((d) => d > 0)).toBe(true);
    expect(depths.length).toBeGreaterThanOrEqual(5);
  });

  it("softmax matches a float64 reference (tails, odd widths, one row)", () => {
    for (const [rows, cols] of [[2, 33], [9, 64], [5, 1027], [1, 300], [40, 100]] as const) {
      const r = rng(rows * 1000 + cols);
      const data = Float32Array.from({ length: rows * cols }, () => (r() - 0.5) * 40);
      const got = jit(softmax, wasm)(np.array(data).reshape([rows, cols])).dataSync();
      const want = softmaxRef(data, rows, cols);
      for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThanOrEqual(4e-7 * want[i]! + 1e-12);
    }
  });

  it("layer norm over the last axis (two reductions, then broadcast) matches float64", () => {
    const f = (x: NDArray) => {
      const c = x.sub(np.mean(x, -1, { keepdims: true }));
      return c.div(np.sqrt(np.mean(c.mul(c), -1, { keepdims: true }).add(1e-5)));
    };
    const rows = 12, cols = 80;
    const r = rng(7);
    const data = Float32Array.from({ length: rows * cols }, () => r() * 4 - 1);
    const got = jit(f, wasm)(np.array(data).reshape([rows, cols])).dataSync();
    for (let i = 0; i < rows; i++) {
      let m = 0, v = 0;
      for (let j = 0; j < cols; j++) m += data[i * cols + j]! / cols;
      for (let j = 0; j < cols; j++) v += (data[i * cols + j]! - m) ** 2 / cols;
      for (let j = 0; j < cols; j++) expect(Math.abs(got[i * cols + j]! - (data[i * cols + j]! - m) / Math.sqrt(v + 1e-5))).toBeLessThan(2e-5);
    }
  });

  it("kernels that read across rows are not interleaved (and stay correct)", () => {
    // Normalizing by a column sum (reduction over axis 0) and by a whole-array max.
    const f = (x: NDArray) => {
      const e = np.exp(x.sub(np.max(x)));
      return e.div(np.sum(e, 0, { keepdims: true }));
    };
    const rows = 6, cols = 40;
    const r = rng(3);
    const data = Float32Array.from({ length: rows * cols }, () => r() * 6 - 3);
    const fn = jit(f, wasm);
    const x = np.array(data).reshape([rows, cols]);
    const depths = runLoopDepths(fn.lower(x).asText("wasm"));
    expect(depths.filter((d) => d === 0).length).toBeGreaterThan(1);
    const got = fn(x).dataSync();
    let mx = -Infinity;
    for (const v of data) mx = Math.max(mx, v);
    for (let j = 0; j < cols; j++) {
      let s = 0;
      for (let i = 0; i < rows; i++) s += Math.exp(data[i * cols + j]! - mx);
      for (let i = 0; i < rows; i++) expect(Math.abs(got[i * cols + j]! - Math.exp(data[i * cols + j]! - mx) / s)).toBeLessThan(1e-6);
    }
  });
});
