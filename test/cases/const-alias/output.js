import { jit, np } from "tsjit";
const J = jit;
export const f = /*#__PURE__*/ J((x) => np.asarray(!x), undefined, { params: ["x"], site: "input.ts:5:18" });
