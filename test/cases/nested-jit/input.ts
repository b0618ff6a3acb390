// jit inside a jitted function, called at once: created on every trace.
import { jit, type NDArray } from "tsjit";

export const outer = jit((x: NDArray) => jit((y: NDArray) => y.mul(2))(x));
