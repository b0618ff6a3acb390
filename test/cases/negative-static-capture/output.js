import { jit } from "tsjit";
const scale = 3;
export function make(threshold) {
    return /*#__PURE__*/ jit((x) => {
        const k = scale > 2 ? 2 : 1;
        if (threshold > 0)
            return x.mul(k);
        return x;
    }, undefined, { params: ["x"], site: "input.ts:6:10" });
}
