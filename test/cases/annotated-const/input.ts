import { np, type NDArray } from "tsjit";

/** @jit @static axis */
export const norm = (x: NDArray, axis: number) => np.sqrt(np.sum(x.mul(x), axis));

/** @jit */
export const bad = (x: NDArray) => (x.sum().gt(1) ? x : x.neg());
