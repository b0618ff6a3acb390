// Ordinary functions are not checked, even in a file that uses jit.
import { jit, np } from "tsjit";
export function sign(x) {
    if (x > 0)
        return 1;
    return x < 0 ? -1 : 0;
}
export const f = /*#__PURE__*/ jit((x) => np.sign(x), undefined, { params: ["x"], site: "input.ts:9:18" });
export const g = (x) => x.sum().item() > 0;
