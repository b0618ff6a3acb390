import { jit, type NDArray } from "tsjit";

export class Model {
  last: NDArray | undefined;
  readonly step = jit((x: NDArray) => {
    const y = x.tanh();
    this.last = y;
    return y;
  });
}
