// A loop bound on a traced parameter: `i < n` cannot be decided while tracing.
import { jit, type NDArray } from "tsjit";

export const power = jit((x: NDArray, n: number) => {
  let acc = x;
  for (let i = 1; i < n; i++) acc = acc.mul(x);
  return acc;
});
