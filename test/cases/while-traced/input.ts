// A while loop whose condition depends on a traced value (through a reassigned local).
import { jit, np, type NDArray } from "tsjit";

export const halve = jit((x: NDArray, tol: number) => {
  let y = x;
  while (np.max(y).gt(tol)) {
    y = y.mul(0.5);
  }
  return y;
}, { staticArgnames: "tol" });
