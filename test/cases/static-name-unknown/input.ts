// A misspelled static name: the runtime would throw when jit is called.
import { jit, np, type NDArray } from "tsjit";

function conditionalDouble(x: NDArray, threshold: number): NDArray {
  return np.where(np.greater(x, threshold), x.mul(2), x);
}

export const jitted = jit(conditionalDouble, { staticArgnames: ["thresh"] });
export const byPosition = jit(conditionalDouble, { staticArgnums: [1] });
