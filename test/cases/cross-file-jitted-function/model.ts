import type { NDArray } from "tsjit";

export function model(x: NDArray, training: boolean) {
  if (training) return x.mul(0.5);
  if (x.sum().gt(0)) return x;
  return x.neg();
}
