// Created and used inside a function: a new jitted function (and cache) on every call.
import { jit } from "tsjit";
export function step(x) {
    return /*#__PURE__*/ jit((y) => y.mul(2), undefined, { params: ["y"], site: "input.ts:5:10" })(x);
}
export function twice(x) {
    const double = /*#__PURE__*/ jit((y) => y.mul(2), undefined, { params: ["y"], site: "input.ts:9:18" });
    return double(double(x));
}
