// lax calls branch functions with tracers: a JavaScript branch inside one is still wrong.
import { jit, lax } from "tsjit";
export const f = /*#__PURE__*/ jit((x) => lax.cond(x.sum().gt(0), (a) => {
    if (a.max().gt(1))
        return a.mul(2);
    return a;
}, (a) => a.neg(), x), undefined, { params: ["x"], site: "input.ts:4:18" });
