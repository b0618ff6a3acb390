// Testing an optional array for presence is static: a tracer is an object.
import { jit, np, type NDArray } from "tsjit";

export const affine = jit((x: NDArray, bias?: NDArray, gain?: NDArray) => {
  let y = x;
  if (bias) y = y.add(bias);
  const g = gain ?? np.ones([1]);
  return gain ? y.mul(g) : y;
});
