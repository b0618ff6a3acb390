import { jit as compile, np } from "tsjit";
export const f = /*#__PURE__*/ compile((x) => (x > 0 ? np.asarray(x) : np.asarray(0)), undefined, { params: ["x"], site: "input.ts:3:18" });
