// `===` on a traced primitive compares a tracer object, never the value it stands for.
// Comparing arrays (objects) by identity is the same test with or without jit: allowed.
import { jit, np, type NDArray } from "tsjit";

export const act = jit((mode: string, x: NDArray) => (mode === "relu" ? np.maximum(x, 0) : x));

export const isZero = jit((k: number, x: NDArray) => {
  const zero = k === 0;
  return zero ? x : x.mul(k);
});

export const same = jit((x: NDArray, y: NDArray) => (x === y ? x.mul(2) : x.add(y)));

export const loose = jit((x: NDArray) => {
  const one = x == (1 as unknown as NDArray);
  const convert = (x as unknown) == 1;
  return one || convert ? x : x.neg();
});
