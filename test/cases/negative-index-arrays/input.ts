// No boolean-mask report for the index forms jit compiles: int32 index arrays (gathers),
// traced scalar indices (dynamic indices), arrays of unknown dtype, and a concrete mask
// captured from outside the trace (expanded while tracing).
import { jit, np, type NDArray } from "tsjit";

const KEEP = np.array([true, false, true]);

export const gather = jit((x: NDArray, ids: NDArray<"int32">) => x.slice(ids).add(x.at(ids).get()));

export const dynamic = jit((x: NDArray, i: NDArray) => x.slice(i, ":").add(x.slice(np.argmax(x.sum(1)))));

export const computed = jit((x: NDArray) => x.slice(np.argmax(x, 0)).add(x.at(np.arange(3)).add(1).slice(0)));

export const unknownDtype = jit((x: NDArray, idx: NDArray) => x.slice(idx));

export const captured = jit((x: NDArray) => x.slice(KEEP).sum());

export const selected = jit((x: NDArray) => np.where(x.gt(0), x, 0).sum());
