// The helper lives in another file: the diagnostic is anchored at the call in this file.
import { jit } from "tsjit";
import { positive } from "./helpers.js";
export const f = /*#__PURE__*/ jit((x) => positive(x), undefined, { params: ["x"], site: "input.ts:5:18" });
