// A module-level helper that saves its argument escapes the trace when called with a tracer.
import { jit, type NDArray } from "tsjit";

let saved: NDArray | undefined;

function remember(v: NDArray) {
  saved = v;
  return v;
}

export const f = jit((x: NDArray) => remember(x.exp()));
export const read = () => saved;
