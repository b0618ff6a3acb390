// More known static values than maxSpecializations: the first ones are prebuilt, with a note.
import { jit, type NDArray } from "tsjit";

export const pick = jit((x: NDArray<"float32", [number]>, k: 1 | 2 | 3 | 4) => x.mul(k), { staticArgnames: ["k"] });
