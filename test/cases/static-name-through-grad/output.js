// jit(grad(loss), { staticArgnames }): grad's result takes loss's arguments, so the names
// are loss's parameters (the runtime gets them from the site's metadata).
import { grad, jit } from "tsjit";
function loss(w, scale) {
    return w.mul(scale).sum();
}
export const ok = /*#__PURE__*/ jit(grad(loss), { staticArgnames: ["scale"] }, { params: ["w", "scale"], site: "input.ts:9:19" });
export const typo = /*#__PURE__*/ jit(grad(loss), { staticArgnames: ["scal"] }, { params: ["w", "scale"], site: "input.ts:10:21" });
