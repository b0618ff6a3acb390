import { jit, lax } from "tsjit";
export const f = /*#__PURE__*/ jit((x) => lax.whileLoop((c) => c.sum().lt(100), (c) => (c.max().gt(5) ? c.add(2) : c.add(1)), x), undefined, { params: ["x"], site: "input.ts:3:18" });
