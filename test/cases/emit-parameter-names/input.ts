// Destructured parameters are recorded as "<destructured>"; `this` parameters are erased.
// A function with a rest parameter records only its site: the runtime reads the parameter
// list from the source then (it knows staticArgnums may point into the rest).
import { jit, type NDArray } from "tsjit";

interface Params {
  w: NDArray;
}

export const f = jit(({ w }: Params, [b]: [NDArray]) => w.add(b));

export const g = jit(function (this: void, x: NDArray, n = 2) {
  return x.mul(n);
}, { staticArgnames: ["n"] });

export const h = jit((x: NDArray, ...rest: NDArray[]) => rest.reduce((a, r) => a.add(r), x), { staticArgnums: [2] });
