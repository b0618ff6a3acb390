// Static arguments the build cannot know: the site is not analyzed (no guesses).
import { jit } from "tsjit";
export const f = /*#__PURE__*/ jit((x, n) => {
    if (n > 1)
        return x.mul(n);
    return x;
}, options, { params: ["x", "n"], site: "input.ts:6:18" });
