import * as tsjit from "tsjit";
export const f = /*#__PURE__*/ tsjit.jit((x) => {
    if (x.gt(0))
        return x;
    return tsjit.np.zerosLike(x);
}, undefined, { params: ["x"], site: "input.ts:3:18" });
