// Forward mode (JAX's JVPTrace): a JVP tracer carries a primal and a tangent; each
// primitive applied to one is replaced by its JVP rule, run on the trace below (so the
// primal and tangent computations are themselves bound — staged under jit, differentiated
// again under an outer transformation). A `null` tangent is a symbolic zero: integer and
// bool values, and anything that does not depend on the differentiated inputs.

import { NDArray } from "../array/ndarray.js";
import { isFloat } from "../dtype.js";
import type { ShapedArray } from "../ir/aval.js";
import { ClosedJaxpr, Jaxpr, Var } from "../ir/jaxpr.js";
import type { Params } from "../ir/jaxpr.js";
import type { Primitive } from "../primitives/primitive.js";
import { Trace, belowTrace, bind, nextLevel, withTrace, type Operand } from "../trace/core.js";
import { traceToJaxpr } from "../trace/staging.js";
import { Tracer, type Dependence, type TracerOwner } from "../trace/tracer.js";
import { evalClosed } from "./eval-jaxpr.js";
import { broadcastInDim, convert, fill, zeros } from "./ops.js";
import { jvpRules } from "./rules/jvp.js";

export type Tangent = Operand | null;

export class JVPTracer extends Tracer {
  constructor(trace: JVPTrace, readonly primal: NDArray, readonly tangent: Operand) {
    super(trace, new Var(primal.aval));
  }
}

export class JVPTrace extends Trace implements TracerOwner {
  constructor(readonly fnName: string) {
    super(nextLevel());
  }

  dependence(): Dependence[] {
    return [];
  }

  unpack(x: Operand): [Operand, Tangent] {
    if (x instanceof JVPTracer && x._trace === this) return [x.primal, x.tangent];
    return [x, null];
  }

  pack(primal: Operand, tangent: Tangent): Operand {
    if (tangent === null || !isFloat(primal.aval.dtype)) return primal;
    // A JS-number input becomes a rank-0 array, so it can carry a tangent.
    const p = primal instanceof NDArray ? primal : belowTrace(this, () => broadcastInDim(primal, [], []));
    return new JVPTracer(this, p, tangent);
  }

  processPrimitive(primitive: Primitive, inputs: readonly Operand[], params: Params): NDArray[] {
    const primals: Operand[] = [];
    const tangents: Tangent[] = [];
    for (const x of inputs) {
      const [pr, t] = this.unpack(x);
      primals.push(pr);
      tangents.push(t);
    }
    if (tangents.every((t) => t === null)) return belowTrace(this, () => bind(primitive, primals, params));
    const rule = jvpRules.get(primitive.name);
    if (!rule) throw new Error(`internal: no JVP rule for primitive '${primitive.name}'`);
    return belowTrace(this, () => {
      const [outs, touts] = rule(primals, tangents, params);
      return outs.map((o, i) => {
        let t = touts[i] ?? null;
        if (t === null || !isFloat(o.aval.dtype)) return o as NDArray;
        // Rules may leave a rank-0 tangent for a broadcast result, or a differently weak one.
        t = convert(fill(t, o.aval.shape), o.aval);
        return new JVPTracer(this, o as NDArray, t);
      });
    });
  }
}

/** Runs `fn` on JVP tracers; returns primal and tangent outputs (null = zero tangent). */
export function jvpFlat(
  name: string,
  fn: (xs: Operand[]) => Operand[],
  primals: readonly Operand[],
  tangents: readonly Tangent[],
): [Operand[], Tangent[]] {
  const trace = new JVPTrace(name);
  return withTrace(trace, () => {
    const ins = primals.map((p, i) => trace.pack(p, tangents[i] ?? null));
    const outs = fn(ins);
    const po: Operand[] = [];
    const to: Tangent[] = [];
    for (const o of outs) {
      const [pr, t] = trace.unpack(o);
      po.push(pr);
      to.push(t);
    }
    return [po, to];
  });
}

/** The tangent type of a value (its own type; only float values have one). */
export const hasTangent = (a: ShapedArray): boolean => isFloat(a.dtype);

/**
 * The JVP of a closed jaxpr (no consts): inputs (primals..., tangents of `nonzero` inputs...),
 * outputs (primals..., tangents of outputs that are nonzero or `instantiate`d...).
 */
export function jvpJaxpr(closed: ClosedJaxpr, nonzero: readonly boolean[], instantiate: readonly boolean[]): { jaxpr: ClosedJaxpr; outNonzero: boolean[] } {
  const inAvals = closed.inAvals;
  const tanAvals = inAvals.filter((_, i) => nonzero[i]);
  let outNonzero: boolean[] = [];
  const { jaxpr } = traceToJaxpr("jvp", [...inAvals, ...tanAvals].map((a) => ({ aval: a, name: "x" })), (...xs) => {
    const primals = xs.slice(0, inAvals.length);
    let k = inAvals.length;
    const tangents = inAvals.map((_, i) => (nonzero[i] ? xs[k++]! : null));
    const [po, to] = jvpFlat("jvp", (ins) => evalClosed(closed, ins), primals, tangents);
    outNonzero = to.map((t, i) => hasTangent(po[i]!.aval) && (t !== null || instantiate[i] === true));
    const touts = to.flatMap((t, i) => (outNonzero[i] ? [t === null ? zeros(po[i]!.aval) : convert(fill(t, po[i]!.aval.shape), po[i]!.aval)] : []));
    return [...po, ...touts];
  }, (r) => r);
  if (jaxpr.jaxpr.constvars.length) {
    // Consts would need hoisting into operands; rules only bind on their inputs, so this is a bug.
    throw new Error("internal: jvp of a sub-jaxpr captured constants");
  }
  return { jaxpr: new ClosedJaxpr(new Jaxpr([], jaxpr.jaxpr.invars, jaxpr.jaxpr.eqns, jaxpr.jaxpr.outvars), []), outNonzero };
}
