// Objects created inside the trace may hold tracers: storing on their `this` is fine.
import { jit } from "tsjit";
class Accumulator {
    total;
    constructor(init) {
        this.total = init;
    }
    add(v) {
        this.total = this.total.add(v);
    }
}
export const f = /*#__PURE__*/ jit((x) => {
    const acc = new Accumulator(x);
    acc.add(x);
    return acc.total;
}, undefined, { params: ["x"], site: "input.ts:14:18" });
class Stack {
    items = [];
    push(v) {
        this.store(v);
        return this;
    }
    store(v) {
        this.items.push(v);
    }
}
export const g = /*#__PURE__*/ jit((x) => new Stack().push(x).push(x.neg()).items.length, undefined, { params: ["x"], site: "input.ts:31:18" });
