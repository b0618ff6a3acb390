// Saving a tracer of a differentiated function in an outer variable: it is stale afterwards.
import { grad, vjp } from "tsjit";
let last;
export const dloss = grad((w) => {
    last = w.mul(2);
    return w.sum();
});
const seen = [];
export function pullback(x) {
    return vjp((v) => {
        seen.push(v);
        return v.sum();
    }, x);
}
export function pullbackAll(xs) {
    return vjp((...vs) => {
        seen.push(vs[0]);
        return vs[0].sum();
    }, ...xs);
}
export function lastValue() {
    return last;
}
