// jit(fn) gets `undefined` options and the site metadata.
import { jit, type NDArray } from "tsjit";

export const double = jit((x: NDArray) => x.mul(2));
export const named = jit(function square(x: NDArray) {
  return x.mul(x);
});
