import { jit } from "tsjit";
export const f = /*#__PURE__*/ jit((x) => {
    console.log("tracing", x, x.shape);
    return x;
}, undefined, { params: ["x"], site: "input.ts:3:18" });
