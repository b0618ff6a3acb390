// Module-level helpers and constants the jitted function uses are evaluated with it at
// build time; loops and control flow compile into the prebuilt kernel.
import { jit, lax, np, type NDArray } from "tsjit";

const STEPS = 4;
function smooth(v: NDArray): NDArray {
  return v.mul(0.5).add(np.mean(v).mul(0.5));
}

export const iterate = jit((x: NDArray<"float32", [number]>) => lax.foriLoop(0, STEPS, (_i, v) => smooth(v), x));
