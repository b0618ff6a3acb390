// The user's options object is kept as written; the metadata comes third.
import { jit } from "tsjit";
const limit = 4;
export const f = /*#__PURE__*/ jit((x, k) => x.mul(k), { staticArgnums: [1], recompileLimit: limit }, { params: ["x", "k"], site: "input.ts:6:18" });
