// Shapes, ranks and dtypes are static inside jit: branching on them is fine.
import { jit, np } from "tsjit";
export const f = /*#__PURE__*/ jit((x) => {
    if (x.shape[0] > 2 && x.ndim === 2)
        x = x.T;
    const [rows, cols] = x.shape;
    if (rows === cols)
        return x.add(1);
    if (x.dtype === "float32" || x.size > 100)
        return np.sum(x, 0);
    return x.ndim > 1 ? x.reshape(-1) : x;
}, undefined, { params: ["x"], site: "input.ts:4:18" });
