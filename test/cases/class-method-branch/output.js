// A method of a local object, called with traced values, is analyzed like a helper.
import { jit } from "tsjit";
class Gate {
    open(v) {
        return v.max().gt(0) ? v : v.neg();
    }
}
export const f = /*#__PURE__*/ jit((x) => new Gate().open(x), undefined, { params: ["x"], site: "input.ts:10:18" });
