// The fix for an annotated function suggests a @static tag.
import { np } from "tsjit";
import * as tsjit_1 from "tsjit";
var clip_jitted = /*#__PURE__*/ tsjit_1.jitDeclaration(clip, clip_jit, clip_jitted);
var clipStatic_jitted = /*#__PURE__*/ tsjit_1.jitDeclaration(clipStatic, clipStatic_jit, clipStatic_jitted);
/** @jit */
export function clip(x, hi) {
    return clip_jit()(...arguments);
}
function clip_jit() {
    return clip_jitted ??= tsjit_1.jit(function clip(x, hi) {
        return x > hi ? np.asarray(hi) : np.asarray(x);
    }, undefined, { params: ["x", "hi"], site: "input.ts:5:1" });
}
/** @jit @static hi, lo */
export function clipStatic(x, hi) {
    return clipStatic_jit()(...arguments);
}
function clipStatic_jit() {
    return clipStatic_jitted ??= tsjit_1.jit(function clipStatic(x, hi) {
        return np.minimum(x, hi);
    }, { staticArgnames: ["hi", "lo"] }, { params: ["x", "hi"], site: "input.ts:10:1" });
}
