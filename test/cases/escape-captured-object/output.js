import { jit } from "tsjit";
const cache = {};
export const f = /*#__PURE__*/ jit((x) => {
    cache.value = x.exp();
    return x;
}, undefined, { params: ["x"], site: "input.ts:5:18" });
export const cached = () => cache.value;
