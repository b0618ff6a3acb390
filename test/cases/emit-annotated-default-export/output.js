import * as tsjit_1 from "tsjit";
var default_jitted = /*#__PURE__*/ tsjit_1.jitDeclaration(default_1, default_jit, default_jitted);
/** @jit */
export default function default_1(x, arg_1) {
    return default_jit()(...arguments);
}
function default_jit() {
    return default_jitted ??= tsjit_1.jit(function (x, { scale }) {
        return x.mul(scale);
    }, undefined, { params: ["x", "<destructured>"], site: "input.ts:4:1" });
}
