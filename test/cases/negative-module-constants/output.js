import { jit } from "tsjit";
const DEBUG = false;
const STEPS = 3;
const MODES = { fast: true };
export const f = /*#__PURE__*/ jit((x) => {
    if (DEBUG)
        console.log("tracing");
    for (let i = 0; i < STEPS; i++)
        x = x.mul(2);
    return MODES.fast ? x : x.sqrt();
}, undefined, { params: ["x"], site: "input.ts:7:18" });
