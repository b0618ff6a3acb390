import type { NDArray } from "tsjit";

export function positive(v: NDArray) {
  if (v.gt(0)) return v;
  return v.neg();
}
