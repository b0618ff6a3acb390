// jit(grad(loss)) and friends are specialized at build time like any other site: the build
// sees through grad, valueAndGrad and vmap to loss (its parameter types give the specs,
// its literal-union parameter the static values), applies the transformations with their
// literal options, and traces the result. vjp/jvp inside a jitted function trace as they
// run. Options the build cannot read leave the site traced at run time, with the rule.
import { grad, jit, jvp, np, valueAndGrad, vjp, vmap, type NDArray } from "tsjit";

function loss(w: NDArray<"float32", [3, 2]>, x: NDArray<"float32", ["batch", 3]>, scale: 1 | 2) {
  return np.tanh(np.matmul(x, w)).mul(scale).sum();
}

export const step = jit(grad(loss), { staticArgnames: ["scale"] });

const both = { argnums: [0, 1] };
export const valueAndGrads = jit(valueAndGrad(loss, both), { staticArgnums: [2] });

export const perExample = jit(vmap(grad(loss), { inAxes: [null, 0, null] }), { staticArgnums: [2] });

export const pullback = jit((w: NDArray<"float32", [3, 2]>, x: NDArray<"float32", [4, 3]>) =>
  vjp((v: NDArray) => np.tanh(np.matmul(x, v)), w)[1](np.ones([4, 2]))[0]);

export const tangent = jit((w: NDArray<"float32", [3, 2]>, t: NDArray<"float32", [3, 2]>) =>
  jvp((v: NDArray) => np.sin(v).sum(), [w], [t])[1]);

let which = 0;
export const unread = jit(grad(loss, { argnums: which }), { staticArgnums: [2] });
which = 1;
