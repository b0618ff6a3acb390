// A method of a local object, called with traced values, is analyzed like a helper.
import { jit, type NDArray } from "tsjit";

class Gate {
  open(v: NDArray) {
    return v.max().gt(0) ? v : v.neg();
  }
}

export const f = jit((x: NDArray) => new Gate().open(x));
