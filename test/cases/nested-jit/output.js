// jit inside a jitted function, called at once: created on every trace.
import { jit } from "tsjit";
export const outer = /*#__PURE__*/ jit((x) => /*#__PURE__*/ jit((y) => y.mul(2), undefined, { params: ["y"], site: "input.ts:4:42" })(x), undefined, { params: ["x"], site: "input.ts:4:22" });
