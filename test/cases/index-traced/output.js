import { jit } from "tsjit";
const SCALES = [1, 2, 3];
export const scale = /*#__PURE__*/ jit((i, x) => x.mul(SCALES[i]), undefined, { params: ["i", "x"], site: "input.ts:5:22" });
