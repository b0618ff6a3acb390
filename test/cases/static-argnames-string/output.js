import { jit } from "tsjit";
export const f = /*#__PURE__*/ jit((x, n) => (n > 2 ? x.mul(n) : x), { staticArgnames: "n" }, { params: ["x", "n"], site: "input.ts:3:18" });
