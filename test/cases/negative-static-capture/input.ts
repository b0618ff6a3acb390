import { jit, type NDArray } from "tsjit";

const scale = 3;

export function make(threshold: number) {
  return jit((x: NDArray) => {
    const k = scale > 2 ? 2 : 1;
    if (threshold > 0) return x.mul(k);
    return x;
  });
}
