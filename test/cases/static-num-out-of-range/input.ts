import { jit, type NDArray } from "tsjit";

export const f = jit((x: NDArray, n: number) => x.mul(n), { staticArgnums: [2] });
export const g = jit((x: NDArray, n: number) => x.mul(n), { staticArgnums: -3 });
export const ok = jit((x: NDArray, n: number) => x.mul(n), { staticArgnums: [-1] });
