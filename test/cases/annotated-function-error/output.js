// The fix for an annotated function suggests a @static tag.
import { np } from "tsjit";
import * as tsjit_1 from "tsjit";
/** @jit */
export function clip(x, hi) {
    return (clip_jit ??= tsjit_1.jit(function clip(x, hi) {
        return x > hi ? np.asarray(hi) : np.asarray(x);
    }, undefined, { params: ["x", "hi"], site: "input.ts:5:1" }))(...arguments);
}
var clip_jit;
/** @jit @static hi, lo */
export function clipStatic(x, hi) {
    return (clipStatic_jit ??= tsjit_1.jit(function clipStatic(x, hi) {
        return np.minimum(x, hi);
    }, { staticArgnames: ["hi", "lo"] }, { params: ["x", "hi"], site: "input.ts:10:1" }))(...arguments);
}
var clipStatic_jit;
