// Taint is flow-sensitive for locals: y is a constant until it is reassigned.
import { jit, np, type NDArray } from "tsjit";

export const f = jit((x: NDArray) => {
  let y = np.zeros([3]);
  if (np.any(y)) console.log("not traced here, but an array is always truthy: TS990007");
  y = y.add(x);
  if (np.any(y)) return y.neg();
  return y;
});
