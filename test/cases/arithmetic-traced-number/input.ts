// JavaScript arithmetic on a traced number throws while tracing.
import { jit, type NDArray } from "tsjit";

export const decay = jit((x: NDArray, rate: number) => x.mul(1 - rate));
