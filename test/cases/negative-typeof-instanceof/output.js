import { jit, NDArray, np } from "tsjit";
export const f = /*#__PURE__*/ jit((x) => {
    if (typeof x === "number")
        return np.asarray(x);
    if (x instanceof NDArray)
        return x.neg();
    return np.asarray(x);
}, undefined, { params: ["x"], site: "input.ts:3:18" });
