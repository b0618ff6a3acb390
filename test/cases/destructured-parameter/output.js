// A destructured parameter can only be made static by position.
import { jit } from "tsjit";
export const apply = /*#__PURE__*/ jit(({ w, b }, x) => {
    if (b.sum().gt(0))
        return x.matmul(w).add(b);
    return x.matmul(w);
}, undefined, { params: ["<destructured>", "x"], site: "input.ts:9:22" });
