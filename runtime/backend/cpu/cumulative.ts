// The CPU cumulative kernel (cumsum/cumprod/cummax/cummin; generated code calls it as
// `rt.cumulativeRows`, the interpreter and the wasm backend's host import directly).
//
// One sequential pass per row, in fold order, with no allocation. Every step is stored
// into the output typed array and the running value read back from it, so the store does
// the dtype's rounding: float32 rounds after each step like NumPy's float32 cumsum (a
// float32 sum or product computed in float64 and rounded once is the correctly rounded
// float32 result), int32/uint32 sums wrap. Integer products use Math.imul (wrapping, exact
// where a float64 product would not be). max/min propagate NaN. Rows with inner > 1 (the
// axis not last) run row-of-rows: position t combines the whole previous slice, so both
// reads stay sequential in memory.

import type { TypedArray } from "../../dtype.js";
import type { CumulativeOp } from "../../primitives/cumulative.js";

export function cumulativeRows(op: CumulativeOp, reverse: boolean, src: TypedArray, base: number, dst: TypedArray,
  outer: number, n: number, inner: number): void {
  if (n === 0) return;
  const isInt = !(dst instanceof Float32Array);
  const row = n * inner, step = reverse ? -inner : inner;
  for (let o = 0; o < outer; o++) {
    const first = o * row + (reverse ? (n - 1) * inner : 0);
    if (inner === 1) {
      foldRow(op, isInt, src, base + first, dst, first, n, step);
      continue;
    }
    for (let i = 0; i < inner; i++) dst[first + i] = src[base + first + i]!;
    let k = first;
    for (let t = 1; t < n; t++) {
      const p = k;
      k += step;
      const s = base + k;
      switch (op) {
        case "sum": for (let i = 0; i < inner; i++) dst[k + i] = dst[p + i]! + src[s + i]!; break;
        case "prod":
          if (isInt) for (let i = 0; i < inner; i++) dst[k + i] = Math.imul(dst[p + i]!, src[s + i]!);
          else for (let i = 0; i < inner; i++) dst[k + i] = dst[p + i]! * src[s + i]!;
          break;
        case "max":
          for (let i = 0; i < inner; i++) {
            const a = dst[p + i]!, x = src[s + i]!;
            dst[k + i] = x > a || x !== x ? x : a;
          }
          break;
        case "min":
          for (let i = 0; i < inner; i++) {
            const a = dst[p + i]!, x = src[s + i]!;
            dst[k + i] = x < a || x !== x ? x : a;
          }
          break;
      }
    }
  }
}

/** One contiguous row (inner = 1): `n` elements from src[s] / dst[d], `step` apart (±1). */
function foldRow(op: CumulativeOp, isInt: boolean, src: TypedArray, s: number, dst: TypedArray, d: number, n: number, step: number): void {
  dst[d] = src[s]!;
  let acc = dst[d]!;
  switch (op) {
    case "sum":
      for (let t = 1; t < n; t++) {
        s += step; d += step;
        dst[d] = acc + src[s]!;
        acc = dst[d]!;
      }
      break;
    case "prod":
      for (let t = 1; t < n; t++) {
        s += step; d += step;
        dst[d] = isInt ? Math.imul(acc, src[s]!) : acc * src[s]!;
        acc = dst[d]!;
      }
      break;
    case "max":
      for (let t = 1; t < n; t++) {
        s += step; d += step;
        const x = src[s]!;
        if (x > acc || x !== x) acc = x;
        dst[d] = acc;
      }
      break;
    case "min":
      for (let t = 1; t < n; t++) {
        s += step; d += step;
        const x = src[s]!;
        if (x < acc || x !== x) acc = x;
        dst[d] = acc;
      }
      break;
  }
}
