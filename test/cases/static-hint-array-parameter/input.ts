// "Mark it static" is suggested only for parameters that can be static: an NDArray (or a
// container of one, or a mutable array) cannot (the runtime throws NonHashableStaticArgError).
import { jit, np, type NDArray } from "tsjit";

export const onArray = jit((x: NDArray, t: number) => (x.sum().gt(t) ? x : x.neg()));
export const onArrays = jit((p: { w: NDArray }, xs: number[]) => (p.w ? xs[0]! > 0 : false));
export const onReadonly = jit((xs: readonly number[], mode: "a" | "b", o: Readonly<{ k: number }>) => {
  if (xs[0]! > 0) return np.asarray(1);
  if (o.k > 1) return np.asarray(2);
  return np.asarray(mode === "a" ? 3 : 4);
});
