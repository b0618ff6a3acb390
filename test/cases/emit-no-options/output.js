// jit(fn) gets `undefined` options and the site metadata.
import { jit } from "tsjit";
export const double = /*#__PURE__*/ jit((x) => x.mul(2), undefined, { params: ["x"], site: "input.ts:4:23" });
export const named = /*#__PURE__*/ jit(function square(x) {
    return x.mul(x);
}, undefined, { params: ["x"], site: "input.ts:5:22" });
