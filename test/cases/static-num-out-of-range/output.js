import { jit } from "tsjit";
export const f = jit((x, n) => x.mul(n), { staticArgnums: [2] }, { params: ["x", "n"], site: "input.ts:3:18" });
export const g = jit((x, n) => x.mul(n), { staticArgnums: -3 }, { params: ["x", "n"], site: "input.ts:4:18" });
export const ok = jit((x, n) => x.mul(n), { staticArgnums: [-1] }, { params: ["x", "n"], site: "input.ts:5:19" });
