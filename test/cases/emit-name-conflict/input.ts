// A local already called `tsjit`: the added namespace import gets another name.
import { type NDArray } from "tsjit";

const tsjit = "a local name";

/** @jit */
function double(x: NDArray) {
  return x.mul(2);
}

export const f = (x: NDArray) => [tsjit, double(x)] as const;
