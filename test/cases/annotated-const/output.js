import { np } from "tsjit";
import * as tsjit_1 from "tsjit";
/** @jit @static axis */
export const norm = /*#__PURE__*/ tsjit_1.jit((x, axis) => np.sqrt(np.sum(x.mul(x), axis)), { staticArgnames: ["axis"] }, { params: ["x", "axis"], site: "input.ts:4:14" });
/** @jit */
export const bad = /*#__PURE__*/ tsjit_1.jit((x) => (x.sum().gt(1) ? x : x.neg()), undefined, { params: ["x"], site: "input.ts:7:14" });
