// `/** @jit */` wraps the declaration in jit; `@static` names static parameters.
// The wrapper stays a hoisted function: calling it before the declaration works.
import { np, type NDArray } from "tsjit";

export const early = () => power(np.ones([2]), 3);

/**
 * x to the n-th power by repeated multiplication (unrolled: n is static).
 * @jit
 * @static n
 */
export function power(x: NDArray, n: number): NDArray {
  let y = x;
  for (let i = 1; i < n; i++) y = y.mul(x);
  return y;
}
