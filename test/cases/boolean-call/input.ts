import { jit, np, type NDArray } from "tsjit";

export const f = jit((x: NDArray) => {
  const nonzero = Boolean(np.sum(x));
  return nonzero ? x : x.neg();
});
