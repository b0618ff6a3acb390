// A small model whose jitted functions the build can prebuild: static parameters with
// literal-union or boolean types, and array parameters whose types give dtype and rank.
import { jit, np, type NDArray } from "tsjit";

export type Activation = "relu" | "gelu";

function gelu(x: NDArray): NDArray {
  return x.mul(0.5).mul(np.tanh(x.add(x.mul(x).mul(x).mul(0.044715)).mul(0.7978845608)).add(1));
}

/** Two prebuilt kernels: one for "relu", one for "gelu". */
export const activate = jit(
  (x: NDArray<"float32", ["batch", "features"]>, mode: Activation) => (mode === "relu" ? np.maximum(x, 0) : gelu(x)),
  { staticArgnames: ["mode"] },
);

export interface Layer {
  w: NDArray<"float32", ["in", "out"]>;
  b: NDArray<"float32", ["out"]>;
}

/** A dense layer with a softmax head when `logits` is false: kernels for both. */
export const dense = jit(
  (x: NDArray<"float32", ["batch", "in"]>, layer: Layer, logits: boolean) => {
    const z = np.matmul(x, layer.w).add(layer.b);
    if (logits) return z; // `logits` is static: a plain JS branch is fine here
    const e = np.exp(z.sub(z.max(-1, { keepdims: true })));
    return e.div(e.sum(-1, { keepdims: true }));
  },
  { staticArgnames: ["logits"] },
);
