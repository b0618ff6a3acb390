// Every kind of jit site the plugin rewrites (specialization off: see the prebuilt tests).
import { jit, np, type NDArray } from "tsjit";
import * as t from "tsjit";

export const relu = jit((x: NDArray, threshold: number) => np.where(np.greater(x, threshold), x, 0), { staticArgnames: ["threshold"] });

export const double = t.jit(function double(x: NDArray) {
  return x.mul(2);
});

/** @jit @static mode */
export function activate(x: NDArray, mode: "relu" | "tanh"): NDArray {
  return mode === "relu" ? np.maximum(x, 0) : np.tanh(x);
}

/** @jit */
export const square = (x: NDArray) => x.mul(x);

export function sum(...xs: NDArray[]) {
  return jit((...ys: NDArray[]) => ys.reduce((a, b) => a.add(b)))(...xs);
}
