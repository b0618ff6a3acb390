// @ts-ignore and @ts-expect-error suppress tsjit's diagnostics as they do tsc's; @tsjit-ignore
// suppresses only tsjit's. An @ts-expect-error used by tsjit is not reported unused.
import { jit } from "tsjit";
export const f = /*#__PURE__*/ jit((x) => {
    // @ts-expect-error: a deliberate branch, kept for the example
    if (x.gt(0))
        return x;
    // @tsjit-ignore
    // (blank lines and comments between the directive and the line are allowed)
    if (x.lt(0))
        return x.neg();
    // @ts-ignore
    if (x.sum().gt(1))
        return x;
    if (x.max().gt(2))
        return x.mul(2);
    return x;
}, undefined, { params: ["x"], site: "input.ts:5:18" });
// @ts-expect-error: nothing to expect here, so tsc reports this directive
export const unused = 1;
