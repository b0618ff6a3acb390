// The trace stack (JAX's omnistaging): every primitive bound while a staging trace is
// active is recorded by the innermost one; with none active, primitives run eagerly.

import type { Literal, Params } from "../ir/jaxpr.js";
import type { NDArray } from "../array/ndarray.js";
import type { Primitive } from "../primitives/primitive.js";

/** An operand of a primitive: an array (concrete or traced) or a scalar literal. */
export type Operand = NDArray | Literal;

export abstract class Trace {
  /** False once the trace has finished; its tracers are then leaked values. */
  active = true;
  constructor(readonly level: number) {}
  abstract processPrimitive(primitive: Primitive, inputs: readonly Operand[], params: Params): NDArray[];
}

const stack: Trace[] = [];
let evalTrace: Trace;

export function setEvalTrace(t: Trace): void {
  evalTrace = t;
}

export function currentTrace(): Trace {
  return stack.length ? stack[stack.length - 1]! : evalTrace;
}

/** The innermost staging trace, if any (used by nested `jit` to inline). */
export function isTracing(): boolean {
  return stack.length > 0;
}

export function nextLevel(): number {
  return stack.length + 1;
}

/** Runs `fn` with `trace` innermost; the trace is deactivated afterwards. */
export function withTrace<T>(trace: Trace, fn: () => T): T {
  stack.push(trace);
  try {
    return fn();
  } finally {
    stack.pop();
    trace.active = false;
  }
}

/**
 * Runs `fn` with `trace` (the innermost) taken off the stack, so that what `fn` binds goes
 * to the trace below it: a transformation's rules (JVP, batching) compute on the values
 * of the level underneath (JAX's "lower" the primitive to the parent trace).
 */
export function belowTrace<T>(trace: Trace, fn: () => T): T {
  const at = stack.lastIndexOf(trace);
  if (at < 0) return fn();
  const above = stack.splice(at);
  try {
    return fn();
  } finally {
    stack.push(...above);
  }
}

export function bind(primitive: Primitive, inputs: readonly Operand[], params: Params = {}): NDArray[] {
  return currentTrace().processPrimitive(primitive, inputs, params);
}

export function bind1(primitive: Primitive, inputs: readonly Operand[], params: Params = {}): NDArray {
  return currentTrace().processPrimitive(primitive, inputs, params)[0]!;
}
