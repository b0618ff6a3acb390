// Taint flows into a local helper: reported at the helper's line, related to the jit call.
import { jit, np, type NDArray } from "tsjit";

function clampPositive(v: NDArray) {
  if (v.lt(0)) return np.zerosLike(v);
  return v;
}

export const f = jit((x: NDArray) => clampPositive(x.sub(1)));
