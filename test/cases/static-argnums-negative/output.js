import { jit } from "tsjit";
export const f = /*#__PURE__*/ jit((x, n) => {
    for (let i = 0; i < n; i++)
        x = x.mul(2);
    return x;
}, { staticArgnums: -1 }, { params: ["x", "n"], site: "input.ts:3:18" });
