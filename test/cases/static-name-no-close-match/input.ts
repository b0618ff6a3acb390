// "Did you mean" only for close names: 'm' is not 'x' (one edit, but a one-letter name),
// 'N' is 'n' (case only), 'treshold' is 'threshold', 'scale' is none of them.
import { jit, np, type NDArray } from "tsjit";

function f(x: NDArray, n: number, threshold: number): NDArray {
  return np.where(np.greater(x, threshold), x.mul(n), x);
}

export const a = jit(f, { staticArgnames: ["m"] });
export const b = jit(f, { staticArgnames: ["N"] });
export const c = jit(f, { staticArgnames: ["treshold"] });
export const d = jit(f, { staticArgnames: ["scale"] });
