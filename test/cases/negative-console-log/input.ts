import { jit, type NDArray } from "tsjit";

export const f = jit((x: NDArray) => {
  console.log("tracing", x, x.shape);
  return x;
});
