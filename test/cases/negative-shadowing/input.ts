// Names are resolved by symbol: a static `x` elsewhere is not the traced `x`.
import { jit, type NDArray } from "tsjit";

const x = 5;

export const f = jit((y: NDArray, n: number) => {
  {
    const n = 3;
    if (n > 2 && x > 1) y = y.mul(2);
  }
  return y.mul(n);
});
