// Objects created inside the trace may hold tracers: storing on their `this` is fine.
import { jit, type NDArray } from "tsjit";

class Accumulator {
  total: NDArray;
  constructor(init: NDArray) {
    this.total = init;
  }
  add(v: NDArray) {
    this.total = this.total.add(v);
  }
}

export const f = jit((x: NDArray) => {
  const acc = new Accumulator(x);
  acc.add(x);
  return acc.total;
});

class Stack {
  items: NDArray[] = [];
  push(v: NDArray) {
    this.store(v);
    return this;
  }
  private store(v: NDArray) {
    this.items.push(v);
  }
}

export const g = jit((x: NDArray) => new Stack().push(x).push(x.neg()).items.length);
