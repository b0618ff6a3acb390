import * as tsjit_1 from "tsjit";
const tsjit = "a local name";
/** @jit */
function double(x) {
    return (double_jit ??= tsjit_1.jit(function double(x) {
        return x.mul(2);
    }, undefined, { params: ["x"], site: "input.ts:7:1" }))(...arguments);
}
var double_jit;
export const f = (x) => [tsjit, double(x)];
