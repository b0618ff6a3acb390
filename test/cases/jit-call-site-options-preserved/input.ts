// The user's options object is kept as written; the metadata comes third.
import { jit, type NDArray } from "tsjit";

const limit = 4;

export const f = jit((x: NDArray, k: number) => x.mul(k), { staticArgnums: [1], recompileLimit: limit });
