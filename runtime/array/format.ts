// Human-readable array text, in the style of JAX's repr:
//   Array([[1., 2.],
//          [3., 4.]], dtype=float32)

import type { DType, TypedArray } from "../dtype.js";
import { formatFloat32 } from "../ir/printer.js";


function element(v: number, dtype: DType): string {
  if (dtype === "bool") return v ? "True" : "False";
  if (dtype === "int32" || dtype === "uint32") return String(v);
  const s = formatFloat32(v);
  return s.endsWith(".0") ? s.slice(0, -1) : s;
}

export function toNested(data: TypedArray, shape: readonly number[], dtype: DType): unknown {
  const conv = dtype === "bool" ? (v: number) => v !== 0 : (v: number) => v;
  const build = (axis: number, offset: number): unknown => {
    if (axis === shape.length) return conv(data[offset]!);
    const stride = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
    return Array.from({ length: shape[axis]! }, (_, i) => build(axis + 1, offset + i * stride));
  };
  return build(0, 0);
}

/** NumPy pads plain decimals so their points line up: `[1. , 2.5]`; others are right-aligned later. */
function alignDecimalPoints(strings: readonly string[]): string[] {
  const parts = strings.map((s) => (/^-?\d+\.\d*$/.test(s) ? s.split(".") : null));
  let left = 0, right = 0;
  for (const p of parts) {
    if (p) { left = Math.max(left, p[0]!.length); right = Math.max(right, p[1]!.length); }
  }
  return strings.map((s, i) => {
    const p = parts[i];
    return p ? `${p[0]!.padStart(left)}.${p[1]!.padEnd(right)}` : s;
  });
}

const MAX_ELEMENTS = 1000;
const EDGE = 3;

export function formatArray(data: TypedArray, shape: readonly number[], dtype: DType): string {
  const size = shape.reduce((a, b) => a * b, 1);
  const summarize = size > MAX_ELEMENTS;
  let strings: string[] = [];
  for (let i = 0; i < data.length && i < size; i++) strings.push(element(data[i]!, dtype));
  if (dtype === "float32" || dtype === "float16") strings = alignDecimalPoints(strings);
  const width = strings.reduce((w, s) => Math.max(w, s.length), 0);
  const prefix = "Array(";
  const render = (axis: number, offset: number, indent: string): string => {
    if (axis === shape.length) return strings[offset]!.padStart(width);
    const n = shape[axis]!;
    const stride = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
    const pick = summarize && n > 2 * EDGE ? [...Array(EDGE).keys(), -1, ...Array.from({ length: EDGE }, (_, i) => n - EDGE + i)] : [...Array(n).keys()];
    const parts = pick.map((i) => (i < 0 ? "..." : render(axis + 1, offset + i * stride, indent + " ")));
    const sep = axis === shape.length - 1 ? ", " : "," + "\n".repeat(shape.length - axis - 1) + indent + " ";
    return `[${parts.join(sep)}]`;
  };
  const body = shape.length === 0 ? strings[0]!.trim() : render(0, 0, " ".repeat(prefix.length));
  return `${prefix}${body}, dtype=${dtype})`;
}
