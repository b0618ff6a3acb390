// A closure that captures a traced value returns a traced value.
import { jit, np, type NDArray } from "tsjit";

export const f = jit((x: NDArray) => {
  const big = () => np.max(x).gt(10);
  if (big()) return x.mul(0.1);
  return x;
});
