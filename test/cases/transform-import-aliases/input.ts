// Transformations are found by symbol: renamed imports, namespace imports and const aliases.
import { grad as g, type NDArray } from "tsjit";
import * as t from "tsjit";

const differentiate = t.valueAndGrad;

export const a = g((x: number) => (x > 0 ? x : 0));
export const b = t.vmap((x: NDArray) => (np2(x) ? x : x.neg()));
export const c = differentiate((x: number) => (x ? x * x : 0));

function np2(x: NDArray) {
  return x;
}
