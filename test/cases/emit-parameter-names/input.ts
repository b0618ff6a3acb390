// Destructured parameters are recorded as "<destructured>"; `this` parameters are erased.
import { jit, type NDArray } from "tsjit";

interface Params {
  w: NDArray;
}

export const f = jit(({ w }: Params, [b]: [NDArray], ...rest: NDArray[]) => rest.reduce((a, r) => a.add(r), w.add(b)));

export const g = jit(function (this: void, x: NDArray, n = 2) {
  return x.mul(n);
}, { staticArgnames: ["n"] });
