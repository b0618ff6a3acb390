// @ts-nocheck
// A file with tsc's checks turned off gets no tsjit diagnostics either; its sites are still
// rewritten for the runtime.
import { jit, type NDArray } from "tsjit";

export const f = jit((x: NDArray) => (x.gt(0) ? x : x.neg()));
