import { jit } from "tsjit";
export const f = /*#__PURE__*/ jit((x, s) => {
    const a = +s;
    const b = Number(s);
    const c = -s;
    return x.mul(a).add(b).add(c);
}, undefined, { params: ["x", "s"], site: "input.ts:3:18" });
