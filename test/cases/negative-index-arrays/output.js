// No boolean-mask report for the index forms jit compiles: int32 index arrays (gathers),
// traced scalar indices (dynamic indices), arrays of unknown dtype, and a concrete mask
// captured from outside the trace (expanded while tracing).
import { jit, np } from "tsjit";
const KEEP = np.array([true, false, true]);
export const gather = /*#__PURE__*/ jit((x, ids) => x.slice(ids).add(x.at(ids).get()), undefined, { params: ["x", "ids"], site: "input.ts:8:23" });
export const dynamic = /*#__PURE__*/ jit((x, i) => x.slice(i, ":").add(x.slice(np.argmax(x.sum(1)))), undefined, { params: ["x", "i"], site: "input.ts:10:24" });
export const computed = /*#__PURE__*/ jit((x) => x.slice(np.argmax(x, 0)).add(x.at(np.arange(3)).add(1).slice(0)), undefined, { params: ["x"], site: "input.ts:12:25" });
export const unknownDtype = /*#__PURE__*/ jit((x, idx) => x.slice(idx), undefined, { params: ["x", "idx"], site: "input.ts:14:29" });
export const captured = /*#__PURE__*/ jit((x) => x.slice(KEEP).sum(), undefined, { params: ["x"], site: "input.ts:16:25" });
export const selected = /*#__PURE__*/ jit((x) => np.where(x.gt(0), x, 0).sum(), undefined, { params: ["x"], site: "input.ts:18:25" });
