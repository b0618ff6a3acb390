// JAX's `conditional_double`, fixed as the build error suggests: select elementwise with
// np.where. `threshold` stays static (a compile-time constant and part of the cache key).
import { jit, np } from "tsjit";

function conditionalDouble(x: number, threshold: number) {
  return np.where(np.greater(x, threshold), np.multiply(x, 2), x);
}

export const jitted = jit(conditionalDouble, { staticArgnames: ["threshold"] });

for (const [x, threshold] of [[5, 0], [-2, 0], [5, 10]] as const) {
  console.log(`conditionalDouble(${x}, ${threshold}) = ${jitted(x, threshold).item()}`);
}
