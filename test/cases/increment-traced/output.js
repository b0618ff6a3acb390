import { jit, np } from "tsjit";
export const next = /*#__PURE__*/ jit((i) => {
    let j = i;
    j++;
    return np.asarray(j);
}, undefined, { params: ["i"], site: "input.ts:3:21" });
