import { jit, type NDArray } from "tsjit";

export const f = jit((x: NDArray, n: number) => (n > 2 ? x.mul(n) : x), { staticArgnames: "n" });
