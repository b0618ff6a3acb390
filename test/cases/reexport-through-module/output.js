// jit reached through a user module that re-exports it under another name.
import { compile } from "./reexport.js";
import { np } from "tsjit";
export const f = /*#__PURE__*/ compile((x) => (x > 0 ? np.asarray(x) : np.asarray(0)), undefined, { params: ["x"], site: "input.ts:5:18" });
