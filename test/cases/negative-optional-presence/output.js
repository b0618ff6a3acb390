// Testing an optional array for presence is static: a tracer is an object.
import { jit, np } from "tsjit";
export const affine = /*#__PURE__*/ jit((x, bias, gain) => {
    let y = x;
    if (bias)
        y = y.add(bias);
    const g = gain ?? np.ones([1]);
    return gain ? y.mul(g) : y;
}, undefined, { params: ["x", "bias", "gain"], site: "input.ts:4:23" });
