// Array methods call their callbacks with the (traced) elements.
import { jit, np, type NDArray } from "tsjit";

export const f = jit((x: NDArray, y: NDArray) => {
  const flags = [x, y].map((v) => (v.sum().gt(0) ? 1 : 0));
  return np.asarray(flags.length);
});
