// Factories that return or store the jitted function create it once per use: fine.
import { jit, type NDArray } from "tsjit";

export function makeScaler(s: number) {
  return jit((x: NDArray) => x.mul(s));
}

export class Model {
  readonly step = jit((x: NDArray) => x.tanh());
  cached: ((x: NDArray) => NDArray) | undefined;
  get run() {
    return (this.cached ??= jit((x: NDArray) => x.exp()));
  }
}
