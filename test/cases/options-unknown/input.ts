// Static arguments the build cannot know: the site is not analyzed (no guesses).
import { jit, type JitOptions, type NDArray } from "tsjit";

declare const options: JitOptions;

export const f = jit((x: NDArray, n: number) => {
  if (n > 1) return x.mul(n);
  return x;
}, options);
