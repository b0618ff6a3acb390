// Sites that are traced at run time get a note saying why (with notes enabled).
import { jit, type NDArray } from "tsjit";

let gain = 2;
export const mutable = jit((x: NDArray<"float32", [number]>) => x.mul(gain));

export const untyped = jit((x: NDArray) => x.mul(2));

export function factory(k: number) {
  return jit((x: NDArray<"float32", [number]>) => x.mul(k));
}

export const unknownStatic = jit((x: NDArray<"float32", [number]>, n: number) => x.mul(n), { staticArgnames: ["n"] });

export const needsSize = jit((x: NDArray<"float32", [number]>) => x.reshape(x.shape[0]! / 2, 2));

export const fine = jit((x: NDArray<"float32", [3]>) => x.add(1));
