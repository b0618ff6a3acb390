// A loop-carried local becomes traced on the second iteration: the branch is reported.
import { jit, np } from "tsjit";
export const f = /*#__PURE__*/ jit((x) => {
    let acc = np.zeros([3]);
    for (const k of [1, 2, 3]) {
        if (np.any(acc.gt(k)))
            console.log("large");
        acc = acc.add(x);
    }
    return acc;
}, undefined, { params: ["x"], site: "input.ts:4:18" });
