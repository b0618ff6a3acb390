import { jit, np } from "tsjit";
export const rowSum = /*#__PURE__*/ jit((x) => {
    let acc = np.zeros([x.shape[1]]);
    for (let i = 0; i < x.shape[0]; i++) {
        acc = acc.add(x.slice(i));
    }
    return acc;
}, undefined, { params: ["x"], site: "input.ts:3:23" });
