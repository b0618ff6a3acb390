// Recursive helpers settle at a fixpoint; the traced branch is reported once.
import { jit } from "tsjit";
function repeat(v, k) {
    if (k <= 0)
        return v;
    if (v.sum().gt(100))
        return v;
    return repeat(v.mul(2), k - 1);
}
export const f = /*#__PURE__*/ jit((x) => repeat(x, 3), undefined, { params: ["x"], site: "input.ts:10:18" });
