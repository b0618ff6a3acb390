// `if (x.gt(0))` on a traced array: the condition is an NDArray, always truthy.
import { jit, np, type NDArray } from "tsjit";

export const relu = jit((x: NDArray) => {
  if (x.gt(0)) return x;
  return np.zerosLike(x);
});
