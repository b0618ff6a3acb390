import { jit, np, type NDArray } from "tsjit";

export const reduce = jit((x: NDArray, axis: number) => np.sum(x, axis).add(x.mean(axis)));

export const fine = jit((x: NDArray, axis: number) => np.sum(x, axis), { staticArgnames: ["axis"] });
