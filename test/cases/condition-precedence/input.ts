// `alpha > 0` converts a traced number, but as a condition it is reported once, as TS990001.
import { jit, type NDArray } from "tsjit";

export const leaky = jit((x: NDArray, alpha: number) => {
  if (alpha > 0) return x.mul(alpha);
  return x;
});
