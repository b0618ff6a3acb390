import { jit } from "tsjit";
export const f = /*#__PURE__*/ jit((x, n) => x.mul(n), { staticArgnums: [2] }, { params: ["x", "n"], site: "input.ts:3:18" });
export const g = /*#__PURE__*/ jit((x, n) => x.mul(n), { staticArgnums: -3 }, { params: ["x", "n"], site: "input.ts:4:18" });
export const ok = /*#__PURE__*/ jit((x, n) => x.mul(n), { staticArgnums: [-1] }, { params: ["x", "n"], site: "input.ts:5:19" });
