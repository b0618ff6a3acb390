import { jit } from "tsjit";
const options = { staticArgnames: ["n"] };
export const f = /*#__PURE__*/ jit((x, n) => {
    if (n > 1)
        return x.mul(n);
    return x;
}, options, { params: ["x", "n"], site: "input.ts:5:18" });
