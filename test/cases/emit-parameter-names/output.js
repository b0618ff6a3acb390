// Destructured parameters are recorded as "<destructured>"; `this` parameters are erased.
// A function with a rest parameter records only its site: the runtime reads the parameter
// list from the source then (it knows staticArgnums may point into the rest).
import { jit } from "tsjit";
export const f = /*#__PURE__*/ jit(({ w }, [b]) => w.add(b), undefined, { params: ["<destructured>", "<destructured>"], site: "input.ts:10:18" });
export const g = /*#__PURE__*/ jit(function (x, n = 2) {
    return x.mul(n);
}, { staticArgnames: ["n"] }, { params: ["x", "n"], site: "input.ts:12:18" });
export const h = /*#__PURE__*/ jit((x, ...rest) => rest.reduce((a, r) => a.add(r), x), { staticArgnums: [2] }, { site: "input.ts:16:18" });
