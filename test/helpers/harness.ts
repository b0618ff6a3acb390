// Differential-test plumbing: random inputs (as tsjit arrays and float64 references of the
// very same values), running a program eagerly / under jit / through the CPU interpreter / on wasm,
// and comparing a result with the reference under an explicit error bound.

import { expect } from "vitest";
import { jit, np, type NDArray } from "tsjit";
import { forceInterpreter } from "../../runtime/backend/cpu/index.js";
import { Ref, size, type RDType } from "./reference.js";
import type { Rng } from "./prng.js";

export type Mode = "eager" | "jit" | "interpreter" | "wasm";
/** Every mode runs every differential test: a primitive must work eagerly, in generated JS, in the interpreter and on wasm. */
export const MODES: readonly Mode[] = ["eager", "jit", "interpreter", "wasm"];

/**
 * Runs `fn` on `args` in one mode. "jit" and "interpreter" make a fresh jitted function
 * each time, so the program is traced and compiled (by code generation, or by the
 * interpreter with `forceInterpreter(true)`) for this call.
 */
export function runMode<T>(mode: Mode, fn: (...args: NDArray[]) => T, args: readonly NDArray[]): T {
  switch (mode) {
    case "eager":
      return fn(...args);
    case "jit":
      return jit(fn)(...args);
    case "wasm":
      return jit(fn, { backend: "wasm" })(...args);
    case "interpreter":
      forceInterpreter(true);
      try {
        return jit(fn)(...args);
      } finally {
        forceInterpreter(undefined);
      }
  }
}

/** The reference of an existing array: its exact (float32/int32/bool) values as float64. */
export function toRef(x: NDArray): Ref {
  const d = x.dataSync();
  expect(d.length, `buffer length of a ${x.dtype}[${x.shape}] array`).toBe(x.size);
  return new Ref(x.shape, Float64Array.from(d, Number), x.dtype as RDType);
}

export interface Domain {
  /** Range of values (floats uniform, ints inclusive). */
  lo: number;
  hi: number;
  /** Keep |value| at least this far from zero (denominators; bool arrays become all true). */
  awayFromZero?: number;
}

export const DEFAULT_FLOAT: Domain = { lo: -3, hi: 3 };
export const DEFAULT_INT: Domain = { lo: -6, hi: 6 };

/** A random array and its reference (same values, float32-rounded where the dtype says so). */
export function randomArray(rng: Rng, shape: readonly number[], dtype: RDType, domain?: Domain): { x: NDArray; ref: Ref } {
  const n = size(shape);
  const values = new Float64Array(n);
  const dom = domain ?? (dtype === "int32" ? DEFAULT_INT : DEFAULT_FLOAT);
  for (let i = 0; i < n; i++) {
    let v: number;
    do {
      if (dtype === "bool") v = dom.awayFromZero !== undefined || rng.bool() ? 1 : 0;
      else if (dtype === "int32") v = rng.int(Math.ceil(dom.lo), Math.floor(dom.hi));
      else v = Math.fround(rng.uniform(dom.lo, dom.hi));
    } while (dom.awayFromZero !== undefined && Math.abs(v) < dom.awayFromZero);
    values[i] = v;
  }
  // Nested JS data (no reshape), so inputs do not depend on the ops under test.
  const x = n === 0
    ? np.zeros(shape as number[], { dtype })
    : np.array(nest(Array.from(values, (v) => (dtype === "bool" ? v !== 0 : v)), shape) as number[], { dtype });
  expect([...x.shape], "input construction").toEqual([...shape]);
  expect(Array.from(x.dataSync(), Number), "input construction").toEqual(Array.from(values));
  const ref = new Ref(shape, values, dtype);
  return { x, ref };
}

/** Row-major flat values as nested JS arrays of `shape` (a bare value for rank 0). */
export function nest<T>(flat: readonly T[], shape: readonly number[]): unknown {
  if (shape.length === 0) return flat[0];
  const inner = size(shape.slice(1));
  return Array.from({ length: shape[0]! }, (_, i) => nest(flat.slice(i * inner, (i + 1) * inner), shape.slice(1)));
}

export interface ShapeOptions {
  maxRank?: number;
  /** Sizes to draw from (0 and 1 included on purpose). */
  dims?: readonly number[];
}

export function randomShape(rng: Rng, opts: ShapeOptions = {}): number[] {
  const rank = rng.int(0, opts.maxRank ?? 3);
  const dims = opts.dims ?? [0, 1, 1, 2, 3, 4, 5];
  return Array.from({ length: rank }, () => rng.pick(dims));
}

/** A shape that broadcasts with `shape`: some leading axes dropped, some sizes replaced by 1. */
export function broadcastPartner(rng: Rng, shape: readonly number[]): number[] {
  const drop = rng.int(0, shape.length);
  return shape.slice(drop).map((d) => (rng.bool(0.3) ? 1 : d));
}

/** Shapes without size-0 axes (for reductions that have no identity). */
export function nonEmptyShape(rng: Rng, opts: ShapeOptions = {}): number[] {
  return randomShape(rng, { ...opts, dims: (opts.dims ?? [1, 1, 2, 3, 4, 5]).filter((d) => d > 0) });
}

export interface Tolerance {
  rtol: number;
  atol: number;
  /** Per-element scale of the error (e.g. Σ|terms| of a sum); the bound is atol + rtol·max(|expected|, magnitude). */
  magnitude?: ArrayLike<number>;
}

/**
 * float32 results: a correctly rounded float32 operation is within half an ulp (6e-8
 * relative) of the float64 value; 1e-5 relative leaves room for a few roundings in a row
 * and for the polynomial tanh (4e-9); 1e-6 absolute covers results that cancel to ~0.
 */
export const F32: Tolerance = { rtol: 1e-5, atol: 1e-6 };
/** Exact: int32 and bool results, and float results that only move data. */
export const EXACT: Tolerance = { rtol: 0, atol: 0 };

export function tolFor(dtype: string): Tolerance {
  return dtype === "float32" ? F32 : EXACT;
}

/** Asserts dtype, shape and values of `actual` against the reference `expected`. */
export function expectClose(actual: unknown, expected: Ref, tol: Tolerance = tolFor(expected.dtype), context = ""): void {
  const where = context ? ` (${context})` : "";
  const a = actual as NDArray;
  expect(typeof a === "object" && a !== null && typeof a.dataSync === "function", `result is an NDArray${where}`).toBe(true);
  expect(a.dtype, `dtype${where}`).toBe(expected.dtype);
  expect([...a.shape], `shape${where}`).toEqual([...expected.shape]);
  const data = a.dataSync();
  expect(data.length, `buffer length${where}`).toBe(expected.size);
  const bad: string[] = [];
  for (let i = 0; i < expected.size; i++) {
    const got = Number(data[i]);
    const want = expected.data[i]!;
    if (Number.isNaN(want) ? Number.isNaN(got) : got === want) continue;
    const scale = Math.max(Math.abs(want), tol.magnitude ? tol.magnitude[i]! : 0);
    const bound = tol.atol + tol.rtol * scale;
    if (Number.isFinite(want) && Math.abs(got - want) <= bound) continue;
    if (bad.length < 5) bad.push(`[${i}] got ${got}, want ${want} (bound ${bound.toExponential(2)})`);
    else if (bad.length === 5) bad.push("...");
  }
  expect(bad, `values${where}`).toEqual([]);
}

/** Runs `fn` in every mode and checks each result against `expected`. */
export function checkAllModes(
  fn: (...args: NDArray[]) => NDArray,
  args: readonly NDArray[],
  expected: Ref,
  tol: Tolerance = tolFor(expected.dtype),
  context = "",
): void {
  for (const mode of MODES) expectClose(runMode(mode, fn, args), expected, tol, `${mode}${context ? "; " + context : ""}`);
}
