// @ts-nocheck
// A file with tsc's checks turned off gets no tsjit diagnostics either; its sites are still
// rewritten for the runtime.
import { jit } from "tsjit";
export const f = /*#__PURE__*/ jit((x) => (x.gt(0) ? x : x.neg()), undefined, { params: ["x"], site: "input.ts:6:18" });
