// The right way to branch and loop on traced values.
import { jit, lax, np } from "tsjit";
export const f = /*#__PURE__*/ jit((x, n) => {
    const y = lax.cond(x.sum().gt(0), (a) => a.mul(2), (a) => a.neg(), x);
    const z = lax.foriLoop(0, n, (i, acc) => acc.add(i), y);
    const w = lax.whileLoop((c) => np.max(c).lt(100), (c) => c.mul(2), z);
    return lax.switch(np.argmax(w), [(a) => a, (a) => a.neg()], w);
}, undefined, { params: ["x", "n"], site: "input.ts:4:18" });
