// A static parameter typed as a literal union: one prebuilt kernel per member.
import { jit, np, type NDArray } from "tsjit";

export const activation = jit(
  (x: NDArray<"float32", [number]>, mode: "relu" | "gelu") =>
    mode === "relu" ? np.maximum(x, 0) : x.mul(0.5).mul(np.tanh(x.mul(0.7978845608)).add(1)),
  { staticArgnames: ["mode"] },
);
