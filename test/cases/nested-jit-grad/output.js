// jit(grad(f)): jit makes every argument a tracer, grad passes them on. The function is
// checked once with the union of what each layer traces, and used under two transformations
// its error is reported once.
import { grad, jit, vmap } from "tsjit";
function loss(w, n) {
    if (n > 2)
        return w.mul(n).sum();
    return w.sum();
}
export const step = /*#__PURE__*/ jit(grad(loss), undefined, { params: ["w", "n"], site: "input.ts:11:21" });
export const perExample = vmap(grad(loss));
export const plain = grad(loss);
export const statics = /*#__PURE__*/ jit(grad(loss), { staticArgnums: [1] }, { params: ["w", "n"], site: "input.ts:14:24" });
