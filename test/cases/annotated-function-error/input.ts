// The fix for an annotated function suggests a @static tag.
import { np } from "tsjit";

/** @jit */
export function clip(x: number, hi: number) {
  return x > hi ? np.asarray(hi) : np.asarray(x);
}

/** @jit @static hi, lo */
export function clipStatic(x: number, hi: number) {
  return np.minimum(x, hi);
}
