// Bitwise np functions (int32, uint32, and bool for and/or/xor/not) and the shifts.
// rightShift is arithmetic for int32 and logical for uint32, as in NumPy and JAX; counts
// outside [0, 32) follow XLA (0, or the sign fill for a negative int32 shifted right).

import type { ArrayLike, NDArray } from "../array/ndarray.js";
import { DTypeError } from "../errors.js";
import * as p from "../primitives/index.js";
import type { Primitive } from "../primitives/index.js";
import { bind1 } from "../trace/core.js";
import { avalOf, prepare, toOperand } from "./operands.js";

function checkIntegral(name: string, dtype: string, allowBool: boolean): void {
  if (dtype === "int32" || dtype === "uint32" || (allowBool && dtype === "bool")) return;
  throw new DTypeError(`np.${name} does not accept dtype ${dtype}: it needs ${allowBool ? "an integer or bool" : "an integer (int32 or uint32)"} dtype.`,
    "Convert first, e.g. x.astype(\"int32\") or x.astype(\"uint32\").");
}

function bitwise(name: string, prim: Primitive, allowBool: boolean) {
  return (a: ArrayLike, b: ArrayLike): NDArray => {
    const xs = prepare(name, [a, b]);
    checkIntegral(name, avalOf(xs[0]!).dtype, allowBool);
    return bind1(prim, xs, {});
  };
}

export const bitwiseAnd = bitwise("bitwiseAnd", p.and, true);
export const bitwiseOr = bitwise("bitwiseOr", p.or, true);
export const bitwiseXor = bitwise("bitwiseXor", p.xor, true);
export const leftShift = bitwise("leftShift", p.shiftLeft, false);

/** Arithmetic shift for int32 (sign fill), logical for uint32. */
export function rightShift(a: ArrayLike, b: ArrayLike): NDArray {
  const xs = prepare("rightShift", [a, b]);
  const dtype = avalOf(xs[0]!).dtype;
  checkIntegral("rightShift", dtype, false);
  return bind1(dtype === "uint32" ? p.shiftRightLogical : p.shiftRightArithmetic, xs, {});
}

export function bitwiseNot(x: ArrayLike): NDArray {
  const a = toOperand("bitwiseNot", x);
  checkIntegral("bitwiseNot", avalOf(a).dtype, true);
  return bind1(p.not, [a], {});
}
export const invert = bitwiseNot;
