// dot_general: JAX's general contraction. dimension_numbers = ((lhs_contract, rhs_contract),
// (lhs_batch, rhs_batch)); output axes are batch..., lhs free..., rhs free...

import { aval } from "../ir/aval.js";
import { DTypeError, ShapeError } from "../errors.js";
import type { DType } from "../dtype.js";
import { shapeTuple } from "../shape.js";
import { dimText, sameDim } from "../symbolic.js";
import { definePrimitive } from "./primitive.js";

export type DimensionNumbers = readonly [
  readonly [readonly number[], readonly number[]],
  readonly [readonly number[], readonly number[]],
];

export function freeAxes(rank: number, used: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < rank; i++) if (!used.includes(i)) out.push(i);
  return out;
}

export const dotGeneral = definePrimitive<{ dimension_numbers: DimensionNumbers; preferred_element_type: DType | null }>({
  name: "dot_general",
  kind: "other",
  abstractEval([lhs, rhs], { dimension_numbers, preferred_element_type }) {
    const [[lc, rc], [lb, rb]] = dimension_numbers;
    const bad = (why: string) =>
      new ShapeError(
        `dot_general got incompatible shapes ${shapeTuple(lhs!.shape)} and ${shapeTuple(rhs!.shape)}: ${why}.`,
        "For matmul the last axis of the left operand must equal the second-to-last (or only) axis of the right one.",
      );
    if (lc.length !== rc.length) throw bad("different numbers of contracting dimensions");
    if (lb.length !== rb.length) throw bad("different numbers of batch dimensions");
    lc.forEach((a, i) => {
      if (!sameDim(lhs!.shape[a]!, rhs!.shape[rc[i]!]!)) throw bad(`contracting sizes ${dimText(lhs!.shape[a]!)} and ${dimText(rhs!.shape[rc[i]!]!)} differ`);
    });
    lb.forEach((a, i) => {
      if (!sameDim(lhs!.shape[a]!, rhs!.shape[rb[i]!]!)) throw bad(`batch sizes ${dimText(lhs!.shape[a]!)} and ${dimText(rhs!.shape[rb[i]!]!)} differ`);
    });
    if (lhs!.dtype !== rhs!.dtype) {
      throw new DTypeError(`dot_general requires equal dtypes, got ${lhs!.dtype} and ${rhs!.dtype}.`, "Use np.matmul/np.dot, which promote.");
    }
    if (lhs!.dtype === "bool") throw new DTypeError("dot_general does not accept bool operands.", "Convert first: x.astype(\"int32\").");
    const shape = [
      ...lb.map((a) => lhs!.shape[a]!),
      ...freeAxes(lhs!.ndim, [...lc, ...lb]).map((a) => lhs!.shape[a]!),
      ...freeAxes(rhs!.ndim, [...rc, ...rb]).map((a) => rhs!.shape[a]!),
    ];
    return [aval(shape, preferred_element_type ?? lhs!.dtype, lhs!.weakType && rhs!.weakType)];
  },
});
