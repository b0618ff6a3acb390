// A destructured parameter can only be made static by position.
import { jit, type NDArray } from "tsjit";

interface Layer {
  w: NDArray;
  b: NDArray;
}

export const apply = jit(({ w, b }: Layer, x: NDArray) => {
  if (b.sum().gt(0)) return x.matmul(w).add(b);
  return x.matmul(w);
});
