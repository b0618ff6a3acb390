// The helper lives in another file: the diagnostic is anchored at the call in this file.
import { jit, type NDArray } from "tsjit";
import { positive } from "./helpers.js";

export const f = jit((x: NDArray) => positive(x));
