// Linearization (autodidax Part 4): stage the JVP of a flat function into a jaxpr, then
// partially evaluate it with the primal inputs known and the tangents unknown. The known
// half runs now, on the trace below (eagerly, or into an enclosing jit/transformation);
// the unknown half is the linear map, run forward for jacfwd or transposed for vjp.

import { Jaxpr } from "../ir/jaxpr.js";
import { traceToJaxpr } from "../trace/staging.js";
import type { Operand } from "../trace/core.js";
import { evalJaxpr } from "./eval-jaxpr.js";
import { hasTangent, jvpFlat, type Tangent } from "./jvp.js";
import { avalOf, convert, fill, zeros } from "./ops.js";
import { partialEval } from "./partial-eval.js";
import { backwardPass, type Cotangent } from "./transpose.js";

export interface Linearized {
  /** Primal outputs. */
  readonly outs: Operand[];
  /** Which outputs have a tangent (float outputs). */
  readonly outFloat: boolean[];
  /** Output tangents (null for non-float outputs) from tangents of the differentiated inputs. */
  forward(tangents: readonly Operand[]): Tangent[];
  /** Cotangents of the differentiated inputs (null = zero) from output cotangents. */
  backward(cts: readonly Cotangent[]): Cotangent[];
}

export function linearizeFlat(name: string, fn: (xs: Operand[]) => Operand[], primals: readonly Operand[], diff: readonly boolean[]): Linearized {
  const n = primals.length;
  const inAvals = primals.map(avalOf);
  const tanIdx = inAvals.flatMap((_, i) => (diff[i] ? [i] : []));
  let nOut = 0;
  let outFloat: boolean[] = [];
  const { jaxpr } = traceToJaxpr(name, [...inAvals, ...tanIdx.map((i) => inAvals[i]!)].map((a) => ({ aval: a, name: "x" })), (...xs) => {
    const tangents: Tangent[] = primals.map(() => null);
    tanIdx.forEach((i, k) => (tangents[i] = xs[n + k]!));
    const [po, to] = jvpFlat(name, fn, xs.slice(0, n), tangents);
    nOut = po.length;
    outFloat = po.map((o) => hasTangent(avalOf(o)));
    const touts = to.flatMap((t, i) => (outFloat[i] ? [t === null ? zeros(avalOf(po[i]!)) : convert(fill(t, avalOf(po[i]!).shape), avalOf(po[i]!))] : []));
    return [...po, ...touts];
  }, (r) => r);
  const j = jaxpr.jaxpr;
  const nc = j.constvars.length;
  const nTanOut = outFloat.filter(Boolean).length;
  const full = new Jaxpr([], [...j.constvars, ...j.invars], j.eqns, j.outvars);
  const pe = partialEval(full, [...new Array<boolean>(nc + n).fill(false), ...tanIdx.map(() => true)], [...new Array<boolean>(nOut).fill(false), ...new Array<boolean>(nTanOut).fill(true)]);
  if (pe.outUnknown.slice(0, nOut).some(Boolean)) throw new Error("internal: a primal output depends on a tangent");
  const known = evalJaxpr(pe.known, [], [...(jaxpr.consts as Operand[]), ...primals]);
  const outs = known.slice(0, nOut);
  const residuals = known.slice(nOut);
  const floatIdx = outFloat.flatMap((f, i) => (f ? [i] : []));
  const linear = [...residuals.map(() => false), ...tanIdx.map(() => true)];
  return {
    outs,
    outFloat,
    forward(tangents) {
      const touts = evalJaxpr(pe.unknown, [], [...residuals, ...tangents.map((t, k) => convert(t, inAvals[tanIdx[k]!]!))]);
      let k = 0;
      return outFloat.map((f) => (f ? touts[k++]! : null));
    },
    backward(cts) {
      const args = [...residuals, ...tanIdx.map(() => null)];
      const c = backwardPass(pe.unknown, linear, args, floatIdx.map((i) => {
        const ct = cts[i] ?? null;
        return ct === null ? null : convert(ct, avalOf(outs[i]!));
      }));
      return c.slice(residuals.length);
    },
  };
}
