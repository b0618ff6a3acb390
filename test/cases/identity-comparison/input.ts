// A string parameter that is not static: comparing it is a branch on a traced value.
import { jit, np, type NDArray } from "tsjit";

export const act = jit((mode: string, x: NDArray) => (mode === "relu" ? np.maximum(x, 0) : x));

export const same = jit((x: NDArray, y: NDArray) => {
  const eq = x === y;
  return eq ? x : y;
});
