// Taint flows into a local helper: reported at the helper's line, related to the jit call.
import { jit, np } from "tsjit";
function clampPositive(v) {
    if (v.lt(0))
        return np.zerosLike(v);
    return v;
}
export const f = /*#__PURE__*/ jit((x) => clampPositive(x.sub(1)), undefined, { params: ["x"], site: "input.ts:9:18" });
