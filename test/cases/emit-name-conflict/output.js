import * as tsjit_1 from "tsjit";
var double_jitted = /*#__PURE__*/ tsjit_1.jitDeclaration(double, double_jit, double_jitted);
const tsjit = "a local name";
/** @jit */
function double(x) {
    return double_jit()(...arguments);
}
function double_jit() {
    return double_jitted ??= tsjit_1.jit(function double(x) {
        return x.mul(2);
    }, undefined, { params: ["x"], site: "input.ts:7:1" });
}
export const f = (x) => [tsjit, double(x)];
