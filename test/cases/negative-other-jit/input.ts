// A function that happens to be called `jit` is not tsjit's: nothing to check or rewrite.
import { np } from "tsjit";

function jit<F>(f: F): F {
  return f;
}

export const f = jit((x: number) => (x > 0 ? np.asarray(x) : np.asarray(0)));
