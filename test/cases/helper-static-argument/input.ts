// A helper called only with static values may branch freely.
import { jit, type NDArray } from "tsjit";

function pick(n: number, small: number, large: number) {
  if (n > 4) return large;
  return small;
}

export const f = jit((x: NDArray) => x.mul(pick(x.shape[0]!, 1, 2)));
