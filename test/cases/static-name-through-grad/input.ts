// jit(grad(loss), { staticArgnames }): grad's result takes loss's arguments, so the names
// are loss's parameters (the runtime gets them from the site's metadata).
import { grad, jit, type NDArray } from "tsjit";

function loss(w: NDArray, scale: number) {
  return w.mul(scale).sum();
}

export const ok = jit(grad(loss), { staticArgnames: ["scale"] });
export const typo = jit(grad(loss), { staticArgnames: ["scal"] });
