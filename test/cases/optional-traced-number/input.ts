// `eps?: number` tested for truthiness: a traced number is always truthy under jit.
import { jit, type NDArray } from "tsjit";

export const f = jit((x: NDArray, eps?: number) => {
  if (eps) return x.add(eps);
  return x;
});
