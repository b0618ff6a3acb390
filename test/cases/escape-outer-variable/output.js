// Saving a tracer in an outer variable: it is stale once the trace ends.
import { jit } from "tsjit";
let last;
export const f = /*#__PURE__*/ jit((x) => {
    const y = x.mul(2);
    last = y;
    return y;
}, undefined, { params: ["x"], site: "input.ts:6:18" });
export function lastValue() {
    return last;
}
