import { type NDArray } from "tsjit";

/** @jit */
export default function (x: NDArray, { scale }: { scale: NDArray }) {
  return x.mul(scale);
}
