import * as tsjit_1 from "tsjit";
tsjit_1.jitDeclaration(double, double_jit);
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
var double_jitted;
export const f = (x) => [tsjit, double(x)];
