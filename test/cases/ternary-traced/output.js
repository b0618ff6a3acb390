import { jit, np } from "tsjit";
export const larger = /*#__PURE__*/ jit((x, y) => (x > y ? np.asarray(x) : np.asarray(y)), undefined, { params: ["x", "y"], site: "input.ts:3:23" });
