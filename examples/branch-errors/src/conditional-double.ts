// JAX's `conditional_double` written with a Python habit: `if x > threshold`. Making
// `threshold` static is not enough: `x` is still traced, and JavaScript would treat the
// traced comparison as always true. `npm run build` rejects it (TS990001, with the fix);
// fixed/conditional-double.ts is the corrected program.
import { jit, np } from "tsjit";

function conditionalDouble(x: number, threshold: number) {
  if (x > threshold) {
    return np.multiply(x, 2);
  }
  return np.asarray(x);
}

export const jitted = jit(conditionalDouble, { staticArgnames: ["threshold"] });

for (const [x, threshold] of [[5, 0], [-2, 0], [5, 10]] as const) {
  console.log(`conditionalDouble(${x}, ${threshold}) = ${jitted(x, threshold).item()}`);
}
