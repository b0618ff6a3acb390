// Saving a tracer of a differentiated function in an outer variable: it is stale afterwards.
import { grad, vjp, type NDArray } from "tsjit";

let last: NDArray | undefined;

export const dloss = grad((w: NDArray) => {
  last = w.mul(2);
  return w.sum();
});

const seen: NDArray[] = [];

export function pullback(x: NDArray) {
  return vjp((v: NDArray) => {
    seen.push(v);
    return v.sum();
  }, x);
}

export function pullbackAll(xs: NDArray[]) {
  return vjp((...vs: NDArray[]) => {
    seen.push(vs[0]!);
    return vs[0]!.sum();
  }, ...xs);
}

export function lastValue() {
  return last;
}
