// Static values derived from shapes flow through locals and arithmetic.
import { jit, np } from "tsjit";
export const center = /*#__PURE__*/ jit((x) => {
    const n = x.shape[0] * 2 - 1;
    const half = Math.floor(n / 2);
    const idx = `${half}`;
    if (half > 1 && idx.length > 0)
        return x.sub(np.mean(x));
    return x;
}, undefined, { params: ["x"], site: "input.ts:4:23" });
