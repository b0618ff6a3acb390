import { jit } from "tsjit";
export const f = /*#__PURE__*/ jit((x, useBias, scale) => {
    let y = x;
    if (useBias)
        y = y.add(1);
    if (scale > 1 && !useBias)
        y = y.mul(scale);
    while (scale > 10)
        scale /= 2;
    return y;
}, { staticArgnames: ["useBias", "scale"] }, { params: ["x", "useBias", "scale"], site: "input.ts:3:18" });
