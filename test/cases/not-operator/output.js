// `!x` on a tracer is always false.
import { jit, np } from "tsjit";
export const f = /*#__PURE__*/ jit((x) => {
    const empty = !x;
    return empty ? np.zeros([1]) : x;
}, undefined, { params: ["x"], site: "input.ts:4:18" });
