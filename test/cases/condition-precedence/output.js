// `alpha > 0` converts a traced number, but as a condition it is reported once, as TS990001.
import { jit } from "tsjit";
export const leaky = /*#__PURE__*/ jit((x, alpha) => {
    if (alpha > 0)
        return x.mul(alpha);
    return x;
}, undefined, { params: ["x", "alpha"], site: "input.ts:4:22" });
