// Ordinary functions are not checked, even in a file that uses jit.
import { jit, np, type NDArray } from "tsjit";

export function sign(x: number) {
  if (x > 0) return 1;
  return x < 0 ? -1 : 0;
}

export const f = jit((x: NDArray) => np.sign(x));

export const g = (x: NDArray) => (x.sum().item() as number) > 0;
