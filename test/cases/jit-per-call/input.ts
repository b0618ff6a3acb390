// Created and used inside a function: a new jitted function (and cache) on every call.
import { jit, type NDArray } from "tsjit";

export function step(x: NDArray) {
  return jit((y: NDArray) => y.mul(2))(x);
}

export function twice(x: NDArray) {
  const double = jit((y: NDArray) => y.mul(2));
  return double(double(x));
}
