// A string parameter that is not static: comparing it is a branch on a traced value.
import { jit, np } from "tsjit";
export const act = jit((mode, x) => (mode === "relu" ? np.maximum(x, 0) : x), undefined, { params: ["mode", "x"], site: "input.ts:4:20" });
export const same = jit((x, y) => {
    const eq = x === y;
    return eq ? x : y;
}, undefined, { params: ["x", "y"], site: "input.ts:6:21" });
