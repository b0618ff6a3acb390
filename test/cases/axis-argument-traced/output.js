import { jit, np } from "tsjit";
export const reduce = /*#__PURE__*/ jit((x, axis) => np.sum(x, axis).add(x.mean(axis)), undefined, { params: ["x", "axis"], site: "input.ts:3:23" });
export const fine = /*#__PURE__*/ jit((x, axis) => np.sum(x, axis), { staticArgnames: ["axis"] }, { params: ["x", "axis"], site: "input.ts:5:21" });
