// Structured control flow primitives with sub-jaxprs, as in JAX. Sub-jaxprs are closed
// with no consts of their own: captured values are hoisted into leading operands.
//
//   cond[branches]                    (index, ...operands) -> outputs of the chosen branch
//   while[cond_jaxpr body_jaxpr
//         cond_nconsts body_nconsts]  (...cond_consts, ...body_consts, ...carry) -> carry
//   scan[jaxpr length reverse
//        num_consts num_carry]        (...consts, ...carry, ...xs) -> (...carry, ...ys)

import { aval, type ShapedArray } from "../ir/aval.js";
import type { ClosedJaxpr } from "../ir/jaxpr.js";
import { DTypeError, ShapeError } from "../errors.js";
import { definePrimitive } from "./primitive.js";
import { sameShape } from "../shape.js";
import { dimText, sameDim, type Dim } from "../symbolic.js";

/** Same dtype, weak type and (unifiable) shape. */
export function avalsMatch(a: ShapedArray, b: ShapedArray): boolean {
  return a === b || (a.dtype === b.dtype && a.weakType === b.weakType && sameShape(a.shape, b.shape));
}

function checkInputs(what: string, jaxpr: ClosedJaxpr, inputs: readonly ShapedArray[]): void {
  const expected = jaxpr.inAvals;
  if (expected.length !== inputs.length || expected.some((a, i) => !avalsMatch(a, inputs[i]!))) {
    throw new ShapeError(`${what} expects inputs (${expected.map((a) => a.str).join(", ")}), got (${inputs.map((a) => a.str).join(", ")}).`);
  }
}

export const cond = definePrimitive<{ branches: readonly ClosedJaxpr[] }>({
  name: "cond",
  kind: "other",
  abstractEval([index, ...ops], { branches }) {
    if (index!.ndim !== 0 || index!.dtype !== "int32") {
      throw new DTypeError(`cond index must be an int32 scalar, got ${index!.str}.`);
    }
    branches.forEach((b, i) => checkInputs(`cond branch ${i}`, b, ops));
    const outs = branches[0]!.outAvals;
    for (const b of branches) {
      if (b.outAvals.length !== outs.length || b.outAvals.some((a, i) => !avalsMatch(a.strong(), outs[i]!.strong()))) {
        throw new ShapeError(`cond branches must have identical output types, got (${outs.map((a) => a.str).join(", ")}) and (${b.outAvals.map((a) => a.str).join(", ")}).`);
      }
    }
    // Weak only if every branch's output is weak.
    return outs.map((a, i) => (branches.every((b) => b.outAvals[i]!.weakType) ? a : a.strong()));
  },
});

export const whileLoop = definePrimitive<{ cond_jaxpr: ClosedJaxpr; body_jaxpr: ClosedJaxpr; cond_nconsts: number; body_nconsts: number }>({
  name: "while",
  kind: "other",
  abstractEval(inputs, { cond_jaxpr, body_jaxpr, cond_nconsts, body_nconsts }) {
    const condConsts = inputs.slice(0, cond_nconsts);
    const bodyConsts = inputs.slice(cond_nconsts, cond_nconsts + body_nconsts);
    const carry = inputs.slice(cond_nconsts + body_nconsts);
    checkInputs("while cond_jaxpr", cond_jaxpr, [...condConsts, ...carry]);
    checkInputs("while body_jaxpr", body_jaxpr, [...bodyConsts, ...carry]);
    const pred = cond_jaxpr.outAvals;
    if (pred.length !== 1 || pred[0]!.ndim !== 0 || pred[0]!.dtype !== "bool") {
      throw new DTypeError(`while cond_jaxpr must return one bool scalar, got (${pred.map((a) => a.str).join(", ")}).`);
    }
    if (body_jaxpr.outAvals.some((a, i) => !avalsMatch(a, carry[i]!))) {
      throw new ShapeError(`while body_jaxpr must return the carry type (${carry.map((a) => a.str).join(", ")}), got (${body_jaxpr.outAvals.map((a) => a.str).join(", ")}).`);
    }
    return carry;
  },
});

export const scan = definePrimitive<{ jaxpr: ClosedJaxpr; length: Dim; reverse: boolean; num_consts: number; num_carry: number }>({
  name: "scan",
  kind: "other",
  abstractEval(inputs, { jaxpr, length, num_consts, num_carry }) {
    const consts = inputs.slice(0, num_consts);
    const carry = inputs.slice(num_consts, num_consts + num_carry);
    const xs = inputs.slice(num_consts + num_carry);
    for (const x of xs) {
      if (x.ndim === 0 || !sameDim(x.shape[0]!, length)) {
        throw new ShapeError(`scan got an xs operand of shape ${x.str} for length ${dimText(length)}; every xs leaf needs a leading axis of size ${dimText(length)}.`);
      }
    }
    checkInputs("scan jaxpr", jaxpr, [...consts, ...carry, ...xs.map((x) => aval(x.shape.slice(1), x.dtype, x.weakType))]);
    const outs = jaxpr.outAvals;
    if (outs.slice(0, num_carry).some((a, i) => !avalsMatch(a, carry[i]!))) {
      throw new ShapeError(`scan body must return the carry type (${carry.map((a) => a.str).join(", ")}), got (${outs.slice(0, num_carry).map((a) => a.str).join(", ")}).`);
    }
    const ys = outs.slice(num_carry).map((y) => aval([length, ...y.shape], y.dtype, y.weakType));
    return [...carry, ...ys];
  },
});
