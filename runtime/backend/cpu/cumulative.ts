// The CPU cumulative kernel (cumsum/cumprod/cummax/cummin; generated code calls it as
// `rt.cumulativeRows`, the interpreter and the wasm backend's host import directly).
//
// One sequential pass per row, in fold order, with no allocation per element.
// - float32 cumsum: a float64 accumulator, each output its value rounded to float32 (the
//   running sum a hand-written loop keeps; NumPy's float32 cumsum instead rounds every step,
//   which over millions of elements drifts by far more than float32 error). Rows with
//   inner > 1 keep one float64 accumulator per lane (a Float64Array per call).
// - everything else stores every step into the output typed array and reads the running
//   value back, so the store does the dtype's rounding: float32 products round per step (a
//   float32 product computed in float64 and rounded once is the correctly rounded one),
//   int32/uint32 sums wrap, integer products use Math.imul (wrapping, exact where a float64
//   product would not be). max/min propagate NaN.
// Rows with inner > 1 (the axis not last) run row-of-rows: position t combines the whole
// previous slice, so reads stay sequential in memory.

import type { TypedArray } from "../../dtype.js";
import type { CumulativeOp } from "../../primitives/cumulative.js";

export function cumulativeRows(op: CumulativeOp, reverse: boolean, src: TypedArray, base: number, dst: TypedArray,
  outer: number, n: number, inner: number): void {
  if (n === 0) return;
  const isInt = !(dst instanceof Float32Array);
  const row = n * inner, step = reverse ? -inner : inner;
  // float32 cumsum along a non-last axis: the lanes' float64 accumulators, one array per call.
  const acc = op === "sum" && !isInt && inner > 1 ? new Float64Array(inner) : undefined;
  for (let o = 0; o < outer; o++) {
    const first = o * row + (reverse ? (n - 1) * inner : 0);
    if (inner === 1) {
      foldRow(op, isInt, src, base + first, dst, first, n, step);
      continue;
    }
    for (let i = 0; i < inner; i++) dst[first + i] = src[base + first + i]!;
    if (acc) {
      sumLanes(src, base, dst, first, n, inner, step, acc);
      continue;
    }
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

/** A float32 cumsum of `inner` interleaved lanes with float64 accumulators (`acc`, length `inner`, overwritten). */
function sumLanes(src: TypedArray, base: number, dst: TypedArray, first: number, n: number, inner: number, step: number, acc: Float64Array): void {
  for (let i = 0; i < inner; i++) acc[i] = src[base + first + i]!;
  let k = first;
  for (let t = 1; t < n; t++) {
    k += step;
    for (let i = 0; i < inner; i++) dst[k + i] = acc[i] += src[base + k + i]!;
  }
}

/** One contiguous row (inner = 1): `n` elements from src[s] / dst[d], `step` apart (±1). */
function foldRow(op: CumulativeOp, isInt: boolean, src: TypedArray, s: number, dst: TypedArray, d: number, n: number, step: number): void {
  dst[d] = src[s]!;
  let acc = dst[d]!;
  switch (op) {
    case "sum":
      if (isInt) {
        for (let t = 1; t < n; t++) {
          s += step; d += step;
          dst[d] = acc + src[s]!;
          acc = dst[d]!;
        }
      } else {
        acc = src[s]!; // float64, not read back rounded
        for (let t = 1; t < n; t++) {
          s += step; d += step;
          dst[d] = acc += src[s]!;
        }
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
