// A closure that captures a traced value returns a traced value.
import { jit, np } from "tsjit";
export const f = /*#__PURE__*/ jit((x) => {
    const big = () => np.max(x).gt(10);
    if (big())
        return x.mul(0.1);
    return x;
}, undefined, { params: ["x"], site: "input.ts:4:18" });
