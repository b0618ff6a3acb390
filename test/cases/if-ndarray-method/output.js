// `if (x.gt(0))` on a traced array: the condition is an NDArray, always truthy.
import { jit, np } from "tsjit";
export const relu = /*#__PURE__*/ jit((x) => {
    if (x.gt(0))
        return x;
    return np.zerosLike(x);
}, undefined, { params: ["x"], site: "input.ts:4:21" });
