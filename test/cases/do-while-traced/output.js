import { jit, np } from "tsjit";
export const shrink = /*#__PURE__*/ jit((x) => {
    let y = x;
    do {
        y = y.sqrt();
    } while (np.any(y.gt(2)));
    return y;
}, undefined, { params: ["x"], site: "input.ts:3:23" });
