import { jit, lax, type NDArray } from "tsjit";

export const f = jit((x: NDArray) =>
  lax.whileLoop(
    (c) => c.sum().lt(100),
    (c) => (c.max().gt(5) ? c.add(2) : c.add(1)),
    x,
  ),
);
