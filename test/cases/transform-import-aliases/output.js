// Transformations are found by symbol: renamed imports, namespace imports and const aliases.
import { grad as g } from "tsjit";
import * as t from "tsjit";
const differentiate = t.valueAndGrad;
export const a = g((x) => (x > 0 ? x : 0));
export const b = t.vmap((x) => (np2(x) ? x : x.neg()));
export const c = differentiate((x) => (x ? x * x : 0));
function np2(x) {
    return x;
}
