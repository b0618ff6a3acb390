import { jit, type NDArray } from "tsjit";

export const f = jit((x: NDArray) => {
  const label = "value: " + x;
  console.log(label, String(x.sum()));
  return x;
});
