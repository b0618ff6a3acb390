// vmap batches every argument whose inAxes entry is not null: each is a tracer in the function.
import { np, vmap, type NDArray } from "tsjit";

export const clip = vmap((row: NDArray, limit: number) => {
  const peak = row.max();
  if (np.greater(peak, limit)) return row.div(peak);
  return row;
}, { inAxes: [0, null] });

export const count = vmap((row: NDArray, n: NDArray) => {
  let out = row;
  while (np.less(n, 3)) out = out.mul(2);
  return out;
});

// A batched number is a tracer too; inAxes null passes it through as it is.
export const flip = vmap((x: NDArray, sign: number) => (sign > 0 ? x : x.neg()), { inAxes: [0, 0] });
