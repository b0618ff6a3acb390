// A /** @jit */ function with a boolean static parameter: kernels for true and false.
import { np, type NDArray } from "tsjit";

/**
 * @jit
 * @static training
 */
export function dropoutFree(x: NDArray<"float32", [number]>, training: boolean): NDArray {
  return training ? x.mul(0.9) : np.maximum(x, 0);
}
