// Saving a tracer in an outer variable: it is stale once the trace ends.
import { jit, type NDArray } from "tsjit";

let last: NDArray | undefined;

export const f = jit((x: NDArray) => {
  const y = x.mul(2);
  last = y;
  return y;
});

export function lastValue() {
  return last;
}
