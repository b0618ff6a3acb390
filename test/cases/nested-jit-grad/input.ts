// jit(grad(f)): jit makes every argument a tracer, grad passes them on. The function is
// checked once with the union of what each layer traces, and used under two transformations
// its error is reported once.
import { grad, jit, vmap, type NDArray } from "tsjit";

function loss(w: NDArray, n: number) {
  if (n > 2) return w.mul(n).sum();
  return w.sum();
}

export const step = jit(grad(loss));
export const perExample = vmap(grad(loss));
export const plain = grad(loss);
export const statics = jit(grad(loss), { staticArgnums: [1] });
