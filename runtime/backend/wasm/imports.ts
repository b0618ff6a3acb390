// Host functions every wasm module imports: the float64 functions wasm has no instruction
// for, computed by the same JavaScript the CPU backend runs (so results agree exactly),
// and the scalar fallbacks of the polynomial sin/cos for huge arguments.

import { ipow, powf, upow } from "../../primitives/scalar-ops.js";
import type { ValType } from "./encoder.js";

interface HostImport {
  readonly name: string;
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
  readonly fn: (...xs: number[]) => number;
}

const f64x1 = (name: string, fn: (a: number) => number): HostImport => ({ name, params: ["f64"], results: ["f64"], fn });
const f64x2 = (name: string, fn: (a: number, b: number) => number): HostImport => ({ name, params: ["f64", "f64"], results: ["f64"], fn });
const i32x2 = (name: string, fn: (a: number, b: number) => number): HostImport => ({ name, params: ["i32", "i32"], results: ["i32"], fn });

export const IMPORTS = [
  f64x2("fmod", (a, b) => a % b),
  f64x2("pow", powf),
  f64x2("atan2", Math.atan2),
  f64x1("tan", Math.tan),
  f64x1("log1p", Math.log1p),
  f64x1("expm1", Math.expm1),
  f64x1("sin", Math.sin),
  f64x1("cos", Math.cos),
  i32x2("ipow", ipow),
  // uint32 operands arrive as int32 bit patterns.
  i32x2("upow", (a, b) => upow(a >>> 0, b >>> 0) | 0),
] as const;

export type ImportName = (typeof IMPORTS)[number]["name"] | "fmod" | "pow" | "atan2" | "tan" | "log1p" | "expm1" | "sin" | "cos" | "ipow" | "upow";

const INDEX = new Map<string, number>(IMPORTS.map((imp, i) => [imp.name, i]));

export function importIndex(name: ImportName): number {
  return INDEX.get(name)!;
}

/** The `env` functions of the import object. */
export function importObject(): Record<string, unknown> {
  return Object.fromEntries(IMPORTS.map((imp) => [imp.name, imp.fn]));
}
