// Static values derived from shapes flow through locals and arithmetic.
import { jit, np, type NDArray } from "tsjit";

export const center = jit((x: NDArray) => {
  const n = x.shape[0]! * 2 - 1;
  const half = Math.floor(n / 2);
  const idx = `${half}`;
  if (half > 1 && idx.length > 0) return x.sub(np.mean(x));
  return x;
});
