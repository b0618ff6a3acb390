import { jit } from "tsjit";
export const f = /*#__PURE__*/ jit((x) => {
    const label = "value: " + x;
    console.log(label, String(x.sum()));
    return x;
}, undefined, { params: ["x"], site: "input.ts:3:18" });
