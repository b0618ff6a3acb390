// A primitive is a named operation with a pure shape/dtype rule. Execution lives in the
// backends; the rules here are shared by the runtime tracer and the build-time specializer.

import type { ShapedArray } from "../ir/aval.js";
import type { Params } from "../ir/jaxpr.js";

/**
 * How a backend's fusion pass may treat the primitive:
 * - elementwise: one output element from the same-index input elements (rank-0 inputs broadcast);
 * - view: re-indexes its input without arithmetic (reshape, transpose, broadcast, slice);
 * - reduce: folds some axes;
 * - other: anything that needs its own kernel (matmul, concatenate, control flow).
 */
export type PrimitiveKind = "elementwise" | "view" | "reduce" | "other";

export interface Primitive<P extends Params = Params> {
  readonly name: string;
  readonly kind: PrimitiveKind;
  /** Output avals from input avals; throws ShapeError/DTypeError naming the primitive. */
  abstractEval(inputs: readonly ShapedArray[], params: P): ShapedArray[];
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

/** Every primitive defined so far (the backends' coverage tests enumerate them). */
export function registeredPrimitives(): Primitive[] {
  return [...registry.values()];
}
