// vmap's trace (JAX's BatchTrace): a batch tracer carries a value with one extra axis (its
// batch dimension); each primitive applied to one is replaced by its batching rule, run on
// the trace below. Rules move the batch axis to 0 (JAX's convention) and add it to the
// primitive's own axes, so a vmapped program is the same primitives on bigger arrays.

import type { NDArray } from "../array/ndarray.js";
import { aval, type ShapedArray } from "../ir/aval.js";
import { ClosedJaxpr, Jaxpr, Var, type Params } from "../ir/jaxpr.js";
import type { Primitive } from "../primitives/primitive.js";
import { Trace, belowTrace, bind, nextLevel, withTrace, type Operand } from "../trace/core.js";
import { traceToJaxpr } from "../trace/staging.js";
import { Tracer, type Dependence, type TracerOwner } from "../trace/tracer.js";
import { evalClosed } from "./eval-jaxpr.js";
import { avalOf, broadcastInDim, moveAxis } from "./ops.js";
import { batchRules } from "./rules/batch.js";

/** A batch dimension, or null for a value that is the same in every row. */
export type BDim = number | null;

/** The per-row type of a value batched along `d`. */
export function unbatchedAval(a: ShapedArray, d: BDim): ShapedArray {
  if (d === null) return a;
  return aval(a.shape.filter((_, i) => i !== d), a.dtype, a.weakType);
}

export function batchedAval(a: ShapedArray, d: BDim, size: number): ShapedArray {
  if (d === null) return a;
  const shape = a.shape.slice();
  shape.splice(d, 0, size);
  return aval(shape, a.dtype, a.weakType);
}

export class BatchTracer extends Tracer {
  constructor(trace: BatchTrace, readonly val: Operand, readonly bdim: number) {
    super(trace, new Var(unbatchedAval(avalOf(val), bdim)));
  }
}

export class BatchTrace extends Trace implements TracerOwner {
  constructor(readonly fnName: string, readonly axisSize: number) {
    super(nextLevel());
  }

  dependence(): Dependence[] {
    return [];
  }

  unpack(x: Operand): [Operand, BDim] {
    if (x instanceof BatchTracer && x._trace === this) return [x.val, x.bdim];
    return [x, null];
  }

  pack(x: Operand, d: BDim): Operand {
    return d === null ? x : new BatchTracer(this, x, d);
  }

  processPrimitive(primitive: Primitive, inputs: readonly Operand[], params: Params): NDArray[] {
    const vals: Operand[] = [];
    const dims: BDim[] = [];
    for (const x of inputs) {
      const [v, d] = this.unpack(x);
      vals.push(v);
      dims.push(d);
    }
    if (dims.every((d) => d === null)) return belowTrace(this, () => bind(primitive, vals, params));
    const rule = batchRules.get(primitive.name);
    if (!rule) throw new Error(`internal: no batching rule for primitive '${primitive.name}'`);
    const [outs, outDims] = belowTrace(this, () => rule(vals, dims, params, this.axisSize));
    return outs.map((o, i) => this.pack(o, outDims[i]!) as NDArray);
  }
}

/** Runs `fn` on batch tracers; returns the outputs with their batch dimensions. */
export function vmapFlat(name: string, fn: (xs: Operand[]) => Operand[], args: readonly Operand[], dims: readonly BDim[], size: number): [Operand[], BDim[]] {
  const trace = new BatchTrace(name, size);
  return withTrace(trace, () => {
    const outs = fn(args.map((a, i) => trace.pack(a, dims[i]!)));
    const vals: Operand[] = [];
    const outDims: BDim[] = [];
    for (const o of outs) {
      const [v, d] = trace.unpack(o);
      vals.push(v);
      outDims.push(d);
    }
    return [vals, outDims];
  });
}

/** x with its batch axis at 0; an unbatched x is broadcast along a new axis 0. */
export function batchAt0(x: Operand, d: BDim, size: number): Operand {
  if (d === null) {
    const a = avalOf(x);
    return broadcastInDim(x, [size, ...a.shape], a.shape.map((_, i) => i + 1));
  }
  return moveAxis(x, d, 0);
}

/**
 * The batched version of a closed jaxpr (no consts): inputs batched along `dims`, outputs
 * batched at 0 where batched (or forced), else unbatched.
 */
export function vmapJaxpr(closed: ClosedJaxpr, dims: readonly BDim[], size: number, force: readonly boolean[] | boolean): { jaxpr: ClosedJaxpr; outBatched: boolean[] } {
  let outBatched: boolean[] = [];
  const inAvals = closed.inAvals.map((a, i) => batchedAval(a, dims[i]!, size));
  const { jaxpr } = traceToJaxpr("vmap", inAvals.map((a) => ({ aval: a, name: "x" })), (...xs) => {
    const [outs, outDims] = vmapFlat("vmap", (ins) => evalClosed(closed, ins), xs, dims, size);
    outBatched = outDims.map((d, i) => d !== null || force === true || (Array.isArray(force) && force[i] === true));
    return outs.map((o, i) => (outBatched[i] ? batchAt0(o, outDims[i]!, size) : o));
  }, (r) => r);
  if (jaxpr.jaxpr.constvars.length) throw new Error("internal: vmap of a sub-jaxpr captured constants");
  const j = jaxpr.jaxpr;
  return { jaxpr: new ClosedJaxpr(new Jaxpr([], j.invars, j.eqns, j.outvars), []), outBatched };
}
