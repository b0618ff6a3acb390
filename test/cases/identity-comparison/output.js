// `===` on a traced primitive compares a tracer object, never the value it stands for.
// Comparing arrays (objects) by identity is the same test with or without jit: allowed.
import { jit, np } from "tsjit";
export const act = /*#__PURE__*/ jit((mode, x) => (mode === "relu" ? np.maximum(x, 0) : x), undefined, { params: ["mode", "x"], site: "input.ts:5:20" });
export const isZero = /*#__PURE__*/ jit((k, x) => {
    const zero = k === 0;
    return zero ? x : x.mul(k);
}, undefined, { params: ["k", "x"], site: "input.ts:7:23" });
export const same = /*#__PURE__*/ jit((x, y) => (x === y ? x.mul(2) : x.add(y)), undefined, { params: ["x", "y"], site: "input.ts:12:21" });
export const loose = /*#__PURE__*/ jit((x) => {
    const one = x == 1;
    const convert = x == 1;
    return one || convert ? x : x.neg();
}, undefined, { params: ["x"], site: "input.ts:14:22" });
