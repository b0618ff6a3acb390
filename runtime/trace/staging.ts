// The staging trace: records every primitive applied to its tracers as a jaxpr equation
// (JAX's DynamicJaxprTrace). Concrete arrays it meets become constvars; tracers of an
// enclosing, still-active trace are captured as constvars too (closure conversion, used by
// control flow), and become operands of the enclosing equation.

import { NDArray } from "../array/ndarray.js";
import { ClosedJaxpr, Jaxpr, Literal, Var, type Atom, type Eqn, type Params } from "../ir/jaxpr.js";
import { aval, type ShapedArray } from "../ir/aval.js";
import { dtypeOfNumber } from "../dtype.js";
import type { Primitive } from "../primitives/primitive.js";
import { Trace, currentTrace, nextLevel, withTrace, type Operand } from "./core.js";
import { Tracer, assertLive, type Dependence, type TracerOwner } from "./tracer.js";
import { ArgumentError } from "../errors.js";

export class JaxprTrace extends Trace implements TracerOwner {
  readonly eqns: Eqn[] = [];
  readonly invars: Var[] = [];
  private readonly invarNames = new Map<Var, Dependence>();
  readonly constvars: Var[] = [];
  /** Value of each constvar: a concrete array or a tracer of an enclosing trace. */
  readonly constValues: NDArray[] = [];
  private readonly constIndex = new Map<NDArray, Var>();

  /** The trace this one runs inside (a lax body inside a jitted function), for messages. */
  readonly enclosing: TracerOwner | undefined;

  /** `role` says what the function is when it is not the user's jitted function ("the body of lax.scan"). */
  constructor(readonly fnName: string, readonly role?: string) {
    super(nextLevel());
    const outer = currentTrace();
    this.enclosing = outer instanceof JaxprTrace ? outer : undefined;
  }

  /**
   * A new input of the jaxpr, named by its parameter path for messages; `canBeStatic` when
   * the caller passed a JS value (number, boolean) that `staticArgnames` could take instead.
   */
  newArg(a: ShapedArray, name: string, canBeStatic = false): Tracer {
    const v = new Var(a);
    this.invars.push(v);
    this.invarNames.set(v, { path: name, canBeStatic });
    return new Tracer(this, v);
  }

  processPrimitive(primitive: Primitive, inputs: readonly Operand[], params: Params): NDArray[] {
    const atoms = inputs.map((x) => this.toAtom(x));
    const outAvals = primitive.abstractEval(atoms.map((a) => a.aval), params);
    const outputs = outAvals.map((a) => new Var(a));
    this.eqns.push({ primitive, inputs: atoms, params, outputs });
    return outputs.map((v) => new Tracer(this, v));
  }

  toAtom(x: Operand | number | boolean): Atom {
    if (x instanceof Literal) return x;
    if (typeof x === "number") return new Literal(x, aval([], dtypeOfNumber(x), true));
    if (typeof x === "boolean") return new Literal(+x, aval([], "bool"));
    if (x instanceof Tracer && x._trace === this) return x._var;
    if (x instanceof Tracer) assertLive(x);
    if (!(x instanceof NDArray)) {
      throw new ArgumentError(`Expected an array operand while tracing '${this.fnName}', got ${typeof x}.`);
    }
    // A concrete array, or a live tracer of an enclosing trace: capture it as a constvar.
    let v = this.constIndex.get(x);
    if (v === undefined) {
      v = new Var(x.aval);
      this.constIndex.set(x, v);
      this.constvars.push(v);
      this.constValues.push(x);
    }
    return v;
  }

  /** Closes the trace over `outputs` (arrays, or JS scalars that become literals). */
  finish(outputs: readonly (Operand | number | boolean)[]): ClosedJaxpr {
    const outvars = outputs.map((o) => this.toAtom(o));
    return new ClosedJaxpr(new Jaxpr(this.constvars.slice(), this.invars.slice(), this.eqns.slice(), outvars), this.constValues.slice());
  }

  dependence(v: Var): Dependence[] {
    const need = new Set<Var>([v]);
    for (let i = this.eqns.length - 1; i >= 0; i--) {
      const e = this.eqns[i]!;
      if (e.outputs.some((o) => need.has(o))) for (const a of e.inputs) if (a instanceof Var) need.add(a);
    }
    const deps: Dependence[] = [];
    for (const iv of this.invars) if (need.has(iv)) deps.push(this.invarNames.get(iv)!);
    // A captured tracer of an enclosing trace (a loop body using the jitted function's x).
    this.constvars.forEach((cv, i) => {
      const value = this.constValues[i];
      if (need.has(cv) && value instanceof Tracer) deps.push(...value._trace.dependence(value._var));
    });
    return deps.filter((d, i) => deps.findIndex((e) => e.path === d.path) === i);
  }
}

/**
 * Traces `fn` on fresh tracers with the given avals; returns the closed jaxpr and the
 * raw outputs (for the caller to flatten). Used by makeJaxpr, jit and control flow.
 */
export function traceToJaxpr<R>(
  fnName: string,
  inputs: readonly { aval: ShapedArray; name: string; canBeStatic?: boolean }[],
  fn: (...tracers: Tracer[]) => R,
  flattenOutputs: (result: R) => readonly (Operand | number | boolean)[],
  role?: string,
): { jaxpr: ClosedJaxpr; result: R } {
  const trace = new JaxprTrace(fnName, role);
  return withTrace(trace, () => {
    const tracers = inputs.map((i) => trace.newArg(i.aval, i.name, i.canBeStatic));
    const result = fn(...tracers);
    return { jaxpr: trace.finish(flattenOutputs(result)), result };
  });
}
