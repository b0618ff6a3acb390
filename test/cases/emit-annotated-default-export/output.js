import * as tsjit_1 from "tsjit";
/** @jit */
export default function (x, arg_1) {
    return (default_jit ??= tsjit_1.jit(function (x, { scale }) {
        return x.mul(scale);
    }, undefined, { params: ["x", "<destructured>"], site: "input.ts:4:1" }))(...arguments);
}
var default_jit;
