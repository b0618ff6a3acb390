// Destructured parameters are recorded as "<destructured>"; `this` parameters are erased.
import { jit } from "tsjit";
export const f = jit(({ w }, [b], ...rest) => rest.reduce((a, r) => a.add(r), w.add(b)), undefined, { params: ["<destructured>", "<destructured>", "rest"], site: "input.ts:8:18" });
export const g = jit(function (x, n = 2) {
    return x.mul(n);
}, { staticArgnames: ["n"] }, { params: ["x", "n"], site: "input.ts:10:18" });
