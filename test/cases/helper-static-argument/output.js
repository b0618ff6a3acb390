// A helper called only with static values may branch freely.
import { jit } from "tsjit";
function pick(n, small, large) {
    if (n > 4)
        return large;
    return small;
}
export const f = /*#__PURE__*/ jit((x) => x.mul(pick(x.shape[0], 1, 2)), undefined, { params: ["x"], site: "input.ts:9:18" });
