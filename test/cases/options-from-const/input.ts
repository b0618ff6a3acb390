import { jit, type NDArray } from "tsjit";

const options = { staticArgnames: ["n"] } as const;

export const f = jit((x: NDArray, n: number) => {
  if (n > 1) return x.mul(n);
  return x;
}, options);
