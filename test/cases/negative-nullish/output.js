import { jit } from "tsjit";
export const f = /*#__PURE__*/ jit((x, scale, mask) => {
    let y = x.mul(scale ?? 1);
    if (mask !== undefined)
        y = y.mul(mask);
    if (mask == null)
        y = y.neg();
    return y;
}, undefined, { params: ["x", "scale", "mask"], site: "input.ts:3:18" });
