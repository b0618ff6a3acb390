// A module-level helper that saves its argument escapes the trace when called with a tracer.
import { jit } from "tsjit";
let saved;
function remember(v) {
    saved = v;
    return v;
}
export const f = /*#__PURE__*/ jit((x) => remember(x.exp()), undefined, { params: ["x"], site: "input.ts:11:18" });
export const read = () => saved;
