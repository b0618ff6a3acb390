// The jitted function is defined in another file.
import { jit } from "tsjit";
import { model } from "./model.js";
export const train = /*#__PURE__*/ jit(model, { staticArgnames: ["training"] }, { params: ["x", "training"], site: "input.ts:5:22" });
