// Host functions every wasm module imports: the float64 functions wasm has no instruction
// for, computed by the same JavaScript the CPU backend runs (so results agree exactly),
// and the scalar fallbacks of the polynomial sin/cos for huge arguments.

import { erf, erfc, ipow, powf, upow } from "../../primitives/scalar-ops.js";
import type { ValType } from "./encoder.js";
import { parallelMatmul } from "./parallel.js";

interface HostImport<N extends string = string> {
  readonly name: N;
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
  readonly fn: (...xs: number[]) => number;
}

const f64x1 = <N extends string>(name: N, fn: (a: number) => number): HostImport<N> => ({ name, params: ["f64"], results: ["f64"], fn });
const f64x2 = <N extends string>(name: N, fn: (a: number, b: number) => number): HostImport<N> => ({ name, params: ["f64", "f64"], results: ["f64"], fn });
const i32x2 = <N extends string>(name: N, fn: (a: number, b: number) => number): HostImport<N> => ({ name, params: ["i32", "i32"], results: ["i32"], fn });

export const IMPORTS = [
  f64x2("fmod", (a, b) => a % b),
  f64x2("pow", powf),
  f64x2("atan2", Math.atan2),
  f64x1("tan", Math.tan),
  f64x1("log1p", Math.log1p),
  f64x1("expm1", Math.expm1),
  f64x1("erf", erf),
  f64x1("erfc", erfc),
  f64x1("sin", Math.sin),
  f64x1("cos", Math.cos),
  i32x2("ipow", ipow),
  // uint32 operands arrive as int32 bit patterns.
  i32x2("upow", (a, b) => upow(a >>> 0, b >>> 0) | 0),
  // A matmul split across worker threads (parallel.ts): (handle, a, b, c) → ().
  { name: "parallel_matmul", params: ["i32", "i32", "i32", "i32"], results: [], fn: parallelMatmul },
] as const;

export type ImportName = (typeof IMPORTS)[number]["name"];

const INDEX = new Map<string, number>(IMPORTS.map((imp, i) => [imp.name, i]));

export function importIndex(name: ImportName): number {
  return INDEX.get(name)!;
}

/** The `env` functions of the import object. */
export function importObject(): Record<string, unknown> {
  return Object.fromEntries(IMPORTS.map((imp) => [imp.name, imp.fn]));
}
