// `a || b` tests `a`; in an `if`, every operand of `&&` is tested.
import { jit, np } from "tsjit";
export const pick = /*#__PURE__*/ jit((a, b) => np.asarray(a || b), undefined, { params: ["a", "b"], site: "input.ts:4:21" });
export const gate = /*#__PURE__*/ jit((x, flag) => {
    if (flag && x.sum().gt(0))
        return x;
    return x.neg();
}, { staticArgnames: ["flag"] }, { params: ["x", "flag"], site: "input.ts:6:21" });
