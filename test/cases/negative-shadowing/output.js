// Names are resolved by symbol: a static `x` elsewhere is not the traced `x`.
import { jit } from "tsjit";
const x = 5;
export const f = /*#__PURE__*/ jit((y, n) => {
    {
        const n = 3;
        if (n > 2 && x > 1)
            y = y.mul(2);
    }
    return y.mul(n);
}, undefined, { params: ["y", "n"], site: "input.ts:6:18" });
