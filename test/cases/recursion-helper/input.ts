// Recursive helpers settle at a fixpoint; the traced branch is reported once.
import { jit, type NDArray } from "tsjit";

function repeat(v: NDArray, k: number): NDArray {
  if (k <= 0) return v;
  if (v.sum().gt(100)) return v;
  return repeat(v.mul(2), k - 1);
}

export const f = jit((x: NDArray) => repeat(x, 3));
