import { jit, type NDArray } from "tsjit";

export const f = jit((x: NDArray, useBias: boolean, scale: number) => {
  let y = x;
  if (useBias) y = y.add(1);
  if (scale > 1 && !useBias) y = y.mul(scale);
  while (scale > 10) scale /= 2;
  return y;
}, { staticArgnames: ["useBias", "scale"] });
