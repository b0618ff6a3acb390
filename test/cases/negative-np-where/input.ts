// The seed, done right: elementwise selection with np.where, threshold static.
import { jit, np, type NDArray } from "tsjit";

function conditionalDouble(x: NDArray, threshold: number): NDArray {
  return np.where(np.greater(x, threshold), x.mul(2), x);
}

export const jitted = jit(conditionalDouble, { staticArgnames: ["threshold"] });
