// `!x` on a tracer is always false.
import { jit, np, type NDArray } from "tsjit";

export const f = jit((x: NDArray) => {
  const empty = !x;
  return empty ? np.zeros([1]) : x;
});
