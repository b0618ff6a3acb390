// Sorting: np.sort, np.argsort, np.searchsorted, lax.sort, lax.topK.
//
// sort/argsort/topK bind the sort and top_k primitives (primitives/sort.ts; argsort is a
// sort of (x, iota), as in JAX), which every backend runs as a real per-row sort. NumPy's
// order: -0 equals 0, NaNs last (first when descending), ties in index order; bool sorts
// false first, uint32 unsigned. searchsorted is JAX's default method: a vectorized binary
// search, one lax.foriLoop of ⌈log2(n + 1)⌉ halving steps over every query at once, with
// the same NaN-aware comparisons.

import type { ArrayLike, NDArray } from "../array/ndarray.js";
import { ArgumentError, ShapeError } from "../errors.js";
import { isFloat } from "../dtype.js";
import { aval } from "../ir/aval.js";
import { Literal } from "../ir/jaxpr.js";
import * as p from "../primitives/index.js";
import { normalizeAxis } from "../shape.js";
import { bind, bind1 } from "../trace/core.js";
import { foriLoop } from "../control/loops.js";
import { full } from "./creation.js";
import { astype, ravel } from "./shape-ops.js";
import { arrayOf, asNDArray, promote, toOperand } from "./operands.js";

const int = (v: number) => new Literal(v, aval([], "int32", true));

export interface SortOptions {
  /** Largest first (NaNs first); ties still keep their index order. */
  descending?: boolean;
  /** Ties keep their index order (the default; an unstable sort may order ties any way, and tsjit's is always stable). */
  stable?: boolean;
}

export type ArgsortOptions = SortOptions;

function checkOptions(fn: string, opts: object, allowed: readonly string[]): void {
  if (typeof opts !== "object" || opts === null) throw new ArgumentError(`${fn}: options must be an object, got ${opts === null ? "null" : typeof opts}.`);
  for (const k of Object.keys(opts)) {
    if (!allowed.includes(k)) throw new ArgumentError(`${fn}: unknown option '${k}'.`, `Options are ${allowed.map((a) => `'${a}'`).join(", ")}.`);
  }
}

/** The array to sort and its sort axis (axis null: the flattened array). */
function sortInput(fn: string, x: ArrayLike, axis: number | null | undefined): [NDArray, number] {
  let a = arrayOf(fn.slice(3), x);
  if (axis === null) a = ravel(a);
  return [a, normalizeAxis(fn, axis ?? -1, a.ndim)];
}

/** A sorted copy of `x` along `axis` (default the last; null sorts the flattened array). */
export function sort(x: ArrayLike, axis: number | null = -1, opts: SortOptions = {}): NDArray {
  checkOptions("np.sort", opts, ["descending", "stable"]);
  const [a, dim] = sortInput("np.sort", x, axis);
  return bind1(p.sort, [a], { dimension: dim, is_stable: opts.stable ?? true, num_keys: 1, descending: !!opts.descending });
}

/** The int32 indices that sort `x` along `axis` (stable: equal elements keep their order). */
export function argsort(x: ArrayLike, axis: number | null = -1, opts: ArgsortOptions = {}): NDArray {
  checkOptions("np.argsort", opts, ["descending", "stable"]);
  const [a, dim] = sortInput("np.argsort", x, axis);
  const iota = bind1(p.iota, [], { dtype: "int32", shape: a.shape, dimension: dim });
  return bind(p.sort, [a, iota], { dimension: dim, is_stable: opts.stable ?? true, num_keys: 1, descending: !!opts.descending })[1]!;
}

export interface SearchsortedOptions {
  /** "left": the first index where `v` could be inserted keeping `a` sorted; "right": the last. */
  side?: "left" | "right";
}

/**
 * Insertion indices of `v` into the sorted 1-D `a` (int32, `v`'s shape): `left` counts the
 * elements of `a` below each value, `right` those at or below it (NaN sorts last).
 */
export function searchsorted(a: ArrayLike, v: ArrayLike, opts: SearchsortedOptions = {}): NDArray {
  checkOptions("np.searchsorted", opts, ["side"]);
  const side = opts.side ?? "left";
  if (side !== "left" && side !== "right") {
    throw new ArgumentError(`np.searchsorted: side must be "left" or "right", got ${JSON.stringify(side)}.`,
      "\"left\" gives the first insertion point (elements below), \"right\" the last (elements at or below).");
  }
  const sortedOp = toOperand("searchsorted", a);
  if (sortedOp.aval.ndim !== 1) {
    throw new ShapeError(`np.searchsorted: a must be a 1-D sorted array, got ${sortedOp.aval.str}.`,
      "Flatten it (np.ravel) if it is sorted as a whole, or vmap searchsorted over its rows.");
  }
  let [sa, sv] = promote([sortedOp, toOperand("searchsorted", v)]).map(asNDArray) as [NDArray, NDArray];
  if (sa.dtype === "bool") [sa, sv] = [astype(sa, "int32"), astype(sv, "int32")];
  const n = sa.shape[0] as number;
  const float = isFloat(sa.dtype);
  const isNan = (x: NDArray) => bind1(p.ne, [x, x]);
  // NaN-aware orders (NaN after everything, equal to itself): before(x, y) is x < y.
  const before = (x: NDArray, y: NDArray): NDArray => {
    const lt = bind1(p.lt, [x, y]);
    return float ? bind1(p.or, [lt, bind1(p.and, [isNan(y), bind1(p.not, [isNan(x)])])]) : lt;
  };
  const atOrBefore = (x: NDArray, y: NDArray): NDArray => bind1(p.not, [before(y, x)]);
  const goesRight = side === "left" ? before : atOrBefore;
  let lo = full(sv.shape, 0, { dtype: "int32" }), hi = full(sv.shape, n, { dtype: "int32" });
  // The interval [lo, hi) holding the answer at least halves per step: n < 2^steps suffices.
  const steps = n === 0 ? 0 : Math.floor(Math.log2(n)) + 1;
  if (steps > 0) {
    [lo, hi] = foriLoop(0, steps, (_i, [l, h]: NDArray[]) => {
      const open = bind1(p.lt, [l!, h!]);
      const mid = bind1(p.shiftRightLogical, [bind1(p.add, [l!, h!]), int(1)]);
      const right = bind1(p.and, [open, goesRight(bind1(p.gather, [sa, mid], { axes: [0] }), sv)]);
      const left = bind1(p.and, [open, bind1(p.not, [right])]);
      return [bind1(p.selectN, [right, l!, bind1(p.add, [mid, int(1)])]), bind1(p.selectN, [left, h!, mid])];
    }, [lo, hi]) as NDArray[] as [NDArray, NDArray];
  }
  return lo;
}

// --- lax ------------------------------------------------------------------------------------

export interface LaxSortOptions {
  /** The axis to sort along (default -1). */
  dimension?: number;
  isStable?: boolean;
  /** How many leading operands are keys (lexicographic); the rest are permuted alongside. */
  numKeys?: number;
}

/**
 * JAX's lax.sort: sorts one array, or several same-shape arrays by the lexicographic order
 * of the first `numKeys` of them (the others follow the same permutation).
 */
export function laxSort(operand: ArrayLike, opts?: LaxSortOptions): NDArray;
export function laxSort(operands: readonly ArrayLike[], opts?: LaxSortOptions): NDArray[];
export function laxSort(operands: ArrayLike | readonly ArrayLike[], opts: LaxSortOptions = {}): NDArray | NDArray[] {
  checkOptions("lax.sort", opts, ["dimension", "isStable", "numKeys"]);
  const list = Array.isArray(operands) ? (operands as readonly ArrayLike[]).map((x) => arrayOf("sort", x)) : [arrayOf("sort", operands as ArrayLike)];
  if (list.length === 0) throw new ArgumentError("lax.sort needs at least one operand.", "Pass an array, or a list of same-shape arrays.");
  const dim = normalizeAxis("lax.sort", opts.dimension ?? -1, list[0]!.ndim);
  const numKeys = opts.numKeys ?? 1;
  if (!Number.isInteger(numKeys) || numKeys < 1 || numKeys > list.length) {
    throw new ArgumentError(`lax.sort: numKeys must be an integer between 1 and the number of operands (${list.length}), got ${numKeys}.`,
      "The first numKeys operands are the sort keys; pass at least that many arrays.");
  }
  const outs = bind(p.sort, list, { dimension: dim, is_stable: opts.isStable ?? true, num_keys: numKeys, descending: false });
  return Array.isArray(operands) ? outs : outs[0]!;
}

/** JAX's lax.sort_key_val: `values` permuted as the stable sort of `keys` along `dimension`. */
export function sortKeyVal(keys: ArrayLike, values: ArrayLike, dimension = -1): [NDArray, NDArray] {
  const [k, v] = laxSort([keys, values], { dimension, numKeys: 1 });
  return [k!, v!];
}

/** The `k` largest entries along the last axis, largest first (lower index first among equals), and their int32 indices. */
export function topK(x: ArrayLike, k: number): [NDArray, NDArray] {
  const a = arrayOf("topK", x);
  if (a.ndim === 0) throw new ShapeError(`lax.topK needs an array of rank 1 or more, got ${a.aval.str}.`, "Reshape a scalar to [1] first.");
  const n = a.shape[a.ndim - 1] as number;
  if (typeof k !== "number" || !Number.isInteger(k) || k < 0) {
    throw new ArgumentError(`lax.topK: k must be a non-negative integer, got ${String(k)}.`, `Pass a static integer k between 0 and ${n} (the last axis of ${a.aval.str}).`);
  }
  if (k > n) throw new ShapeError(`lax.topK: k = ${k} is larger than the last axis of ${a.aval.str} (size ${n}).`, `Use k <= ${n}.`);
  const [values, indices] = bind(p.topK, [a], { k });
  return [values!, indices!];
}
