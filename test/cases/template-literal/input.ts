import { jit, type NDArray } from "tsjit";

export const f = jit((x: NDArray) => {
  console.log(`x is ${x}, shape ${x.shape}`);
  return x;
});
