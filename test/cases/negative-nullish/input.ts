import { jit, type NDArray } from "tsjit";

export const f = jit((x: NDArray, scale?: number, mask?: NDArray) => {
  let y = x.mul(scale ?? 1);
  if (mask !== undefined) y = y.mul(mask);
  if (mask == null) y = y.neg();
  return y;
});
