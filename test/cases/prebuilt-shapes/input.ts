// Shapes from NDArray type arguments: a named size ("batch") is shared, a literal is fixed,
// and sizes the shape rules tie together (w1's rows and x's columns) become one guard.
import { jit, np, type NDArray } from "tsjit";

interface Params {
  w1: NDArray<"float32", [784, number]>;
  b1: NDArray<"float32", [number]>;
  w2: NDArray<"float32", [number, 10]>;
}

export const mlp = jit((x: NDArray<"float32", ["batch", 784]>, p: Params) =>
  np.matmul(np.maximum(np.matmul(x, p.w1).add(p.b1), 0), p.w2));
