import { jit, type NDArray } from "tsjit";

export const f = jit((x: NDArray, n: number) => {
  for (let i = 0; i < n; i++) x = x.mul(2);
  return x;
}, { staticArgnums: -1 });
