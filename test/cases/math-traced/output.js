// Math.* converts its arguments to numbers: use the np equivalent.
import { jit, np } from "tsjit";
export const softplus = /*#__PURE__*/ jit((x) => np.asarray(Math.log(1 + Math.exp(x))), undefined, { params: ["x"], site: "input.ts:4:25" });
export const clamp = /*#__PURE__*/ jit((x) => np.asarray(Math.max(x, 0)), undefined, { params: ["x"], site: "input.ts:6:22" });
