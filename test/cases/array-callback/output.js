// Array methods call their callbacks with the (traced) elements.
import { jit, np } from "tsjit";
export const f = /*#__PURE__*/ jit((x, y) => {
    const flags = [x, y].map((v) => (v.sum().gt(0) ? 1 : 0));
    return np.asarray(flags.length);
}, undefined, { params: ["x", "y"], site: "input.ts:4:18" });
