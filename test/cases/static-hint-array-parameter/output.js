// "Mark it static" is suggested only for parameters that can be static: an NDArray (or a
// container of one, or a mutable array) cannot (the runtime throws NonHashableStaticArgError).
import { jit, np } from "tsjit";
export const onArray = /*#__PURE__*/ jit((x, t) => (x.sum().gt(t) ? x : x.neg()), undefined, { params: ["x", "t"], site: "input.ts:5:24" });
export const onArrays = /*#__PURE__*/ jit((p, xs) => (p.w ? xs[0] > 0 : false), undefined, { params: ["p", "xs"], site: "input.ts:6:25" });
export const onReadonly = /*#__PURE__*/ jit((xs, mode, o) => {
    if (xs[0] > 0)
        return np.asarray(1);
    if (o.k > 1)
        return np.asarray(2);
    return np.asarray(mode === "a" ? 3 : 4);
}, undefined, { params: ["xs", "mode", "o"], site: "input.ts:7:27" });
