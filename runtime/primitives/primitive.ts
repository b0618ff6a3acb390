// A primitive is a named operation with a pure shape/dtype rule plus the backend-neutral
// rules shared code looks up instead of switching on names. Execution lives in the
// backends; the rules here are shared by the runtime tracer and the build-time specializer.
//
// Rule tables (how a primitive is lowered, one table per consumer, all keyed by primitive):
// - here, on the primitive: its fusion class (`kind`), its exact scalar semantics
//   (`scalar`, used by constant folding), the literal operands that make it an identity
//   (`identity`), the view it applies (`view`, for kind "view") and the reduction it
//   performs (`reducer`, for kind "reduce");
// - ir/fusion.ts `FUSION_RULES`: how an "other" primitive (and iota/convert) becomes steps;
// - each backend's scalar-op table, keyed by primitive name per dtype class:
//   backend/cpu/scalar-ops.ts (JS template + the interpreter's function, one entry),
//   backend/webgpu/ops.ts (WGSL), plus their reduction tables keyed by `reducer`.
// test/runtime/lowering-tables.test.ts checks that every registered primitive has an entry
// in every table that applies to it. Adding a primitive: define it here (with `scalar` if
// elementwise), then add one entry per backend table; the test names what is missing.

import type { ShapedArray } from "../ir/aval.js";
import type { Params } from "../ir/jaxpr.js";
import type { View } from "../ir/view.js";
import type { DType } from "../dtype.js";
import type { Shape } from "../shape.js";

/**
 * How the fusion pass treats the primitive:
 * - elementwise: one output element from the same-index input elements (rank-0 inputs broadcast);
 * - view: re-indexes its input without arithmetic (reshape, transpose, broadcast, slice);
 * - reduce: folds some axes;
 * - other: anything that needs its own step (matmul, concatenate, indexing, control flow);
 *   its rule is in ir/fusion.ts's FUSION_RULES.
 */
export type PrimitiveKind = "elementwise" | "view" | "reduce" | "other";

/** A scalar function on JS numbers (bools are 0/1), fixed arity. */
export type ScalarFn = (...xs: number[]) => number;

/** What a reduce-kind primitive computes; backends key their reduction tables by it. */
export type Reducer = "sum" | "prod" | "max" | "min" | "and" | "or" | "argmax" | "argmin";

export interface Primitive<P extends Params = Params> {
  readonly name: string;
  readonly kind: PrimitiveKind;
  /** Output avals from input avals; throws ShapeError/DTypeError naming the primitive. */
  abstractEval(inputs: readonly ShapedArray[], params: P): ShapedArray[];
  // (Rules taking params are methods, so a Primitive<P> is usable as a Primitive.)
  /**
   * Exact scalar semantics (elementwise primitives): the function over operands of
   * `operandDType` (see operandDType below) giving the output as a value of `outDType`,
   * or undefined where the primitive is not defined for it. Constant folding uses it, so
   * a folded value is the correctly computed one, whatever a backend's approximation.
   */
  scalar?(operandDType: DType, outDType: DType, params: P): ScalarFn | undefined;
  /** `x op rhs` is `x` for this literal rhs (and `lhs op x` is `x` for lhs), exactly. */
  readonly identity?: { readonly lhs?: number; readonly rhs?: number };
  /**
   * View primitives: how the output's view is made from the input's (`reindex` returns null
   * where a view cannot express it), and whether it repeats input elements (a broadcast).
   */
  view?(params: P, inShape: Shape, outShape: Shape): { readonly reindex: (v: View) => View | null; readonly expands: boolean };
  /** Reduce primitives: the reduction. */
  readonly reducer?: Reducer;
}

/**
 * The dtype an elementwise equation computes in: its operands share one, except leading
 * predicates (select_n's), so it is the last operand's.
 */
export function operandDType(inputs: readonly { readonly aval: ShapedArray }[]): DType {
  return inputs[inputs.length - 1]!.aval.dtype;
}

const registry = new Map<string, Primitive>();

export function definePrimitive<P extends Params>(p: Primitive<P>): Primitive<P> {
  if (registry.has(p.name)) throw new Error(`primitive ${p.name} defined twice`);
  registry.set(p.name, p as unknown as Primitive);
  return p;
}

export function lookupPrimitive(name: string): Primitive | undefined {
  return registry.get(name);
}

/** Every registered primitive (those of imported modules), in definition order. */
export function allPrimitives(): Primitive[] {
  return [...registry.values()];
}
