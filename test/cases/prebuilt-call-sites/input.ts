// Static values from literal arguments at call sites (a const and an enum member count
// as literals); a call with a run-time value adds nothing.
import { jit, np, type NDArray } from "tsjit";

enum Axis { Rows = 0, Cols = 1 }
const LAST = -1;

export const total = jit((x: NDArray<"float32", [number, number]>, axis: number) => np.sum(x, axis), { staticArgnames: ["axis"] });

export function useIt(m: NDArray, k: number) {
  return [total(m, Axis.Cols), total(m, LAST), total(m, k)];
}
