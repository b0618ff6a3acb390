// jit reached through a user module that re-exports it under another name.
import { compile } from "./reexport.js";
import { np } from "tsjit";

export const f = compile((x: number) => (x > 0 ? np.asarray(x) : np.asarray(0)));
