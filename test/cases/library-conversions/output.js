// Standard-library calls that convert a traced number.
import { jit, np } from "tsjit";
export const f = /*#__PURE__*/ jit((n, rate) => {
    const slots = new Array(n);
    const label = rate.toFixed(2);
    const digits = [1, 2, 3].slice(n);
    return np.asarray(slots.length + label.length + digits.length);
}, undefined, { params: ["n", "rate"], site: "input.ts:4:18" });
