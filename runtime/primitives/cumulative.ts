// Cumulative reductions, after JAX's lax.cumsum_p/cumprod_p/cummax_p/cummin_p: the running
// fold of `axis` (in index order, or from the end when `reverse`), output shape and dtype
// the operand's. Lowered as their own step (ir/fusion.ts CumulativeStep): a sequential loop
// per row on the CPU backends, a log-depth scan on WebGPU — never an unrolled program.
// Numerics: float32 rounds after every step (NumPy's float32 cumsum); int32/uint32 wrap;
// cummax/cummin propagate NaN (as max/min do). bool operands are not accepted: np.cumsum
// converts them to int32 first (NumPy/JAX), np.cummax/cummin compare them as int32.

import { aval } from "../ir/aval.js";
import { DTypeError, ShapeError } from "../errors.js";
import { definePrimitive, type Primitive } from "./primitive.js";

export type CumulativeOp = "sum" | "prod" | "max" | "min";
export type CumulativeParams = { readonly axis: number; readonly reverse: boolean };

function cumulative(name: string): Primitive<CumulativeParams> {
  return definePrimitive<CumulativeParams>({
    name,
    kind: "other",
    abstractEval([x], { axis }) {
      if (x!.dtype === "bool") throw new DTypeError(`${name}: bool operands are not accepted.`, "Convert to int32 first (np.cumsum does).");
      if (!Number.isInteger(axis) || axis < 0 || axis >= x!.ndim) {
        throw new ShapeError(`${name}: axis ${axis} is out of bounds for an operand of rank ${x!.ndim} (${x!.str}).`,
          x!.ndim === 0 ? "Reshape a 0-d array to [1] first." : `Use an axis in [0, ${x!.ndim - 1}].`);
      }
      return [aval(x!.shape, x!.dtype, x!.weakType)];
    },
  });
}

export const cumsum = cumulative("cumsum");
export const cumprod = cumulative("cumprod");
export const cummax = cumulative("cummax");
export const cummin = cumulative("cummin");

/** The fold each cumulative primitive runs, keyed by primitive name. */
export const CUMULATIVE_OPS: Readonly<Record<string, CumulativeOp>> = { cumsum: "sum", cumprod: "prod", cummax: "max", cummin: "min" };
