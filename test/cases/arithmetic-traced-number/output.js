// JavaScript arithmetic on a traced number throws while tracing.
import { jit } from "tsjit";
export const decay = /*#__PURE__*/ jit((x, rate) => x.mul(1 - rate), undefined, { params: ["x", "rate"], site: "input.ts:4:22" });
