import { jit, NDArray, np } from "tsjit";

export const f = jit((x: NDArray | number) => {
  if (typeof x === "number") return np.asarray(x);
  if (x instanceof NDArray) return x.neg();
  return np.asarray(x);
});
