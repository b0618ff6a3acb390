// Structured control flow: what to use once the build tells you that an `if` or `while`
// on a traced value is an error. Each loop below compiles to a real JavaScript loop.

import { jit, lax, np, type NDArray } from "tsjit";

// Newton's iteration for square roots, until every element has converged (whileLoop).
const newtonSqrt = jit((a: NDArray) => {
  const { x } = lax.whileLoop(
    ({ x, i }) => np.logicalAnd(np.any(np.abs(x.mul(x).sub(a)).gt(1e-5)), i.lt(50)),
    ({ x, i }) => ({ x: x.add(a.div(x)).mul(0.5), i: i.add(1) }),
    { x: np.onesLike(a), i: 0 },
  );
  return x;
});

// Cumulative sum with scan: the carry is the running total, the outputs are stacked.
const cumsum = jit((xs: NDArray) => {
  const [, ys] = lax.scan((total, x) => {
    const next = total.add(x);
    return [next, next] as const;
  }, np.zeros([xs.shape[1]!]), xs);
  return ys;
});

// A piecewise function: cond picks a branch for a scalar; switch picks among several.
const piecewise = jit((t: NDArray) =>
  lax.cond(t.lt(0), (v: NDArray) => v.mul(v), (v: NDArray) => np.sqrt(v), t));

const band = jit((i: NDArray, x: NDArray) =>
  lax.switch(i, [(v: NDArray) => v.add(1), (v: NDArray) => v.mul(10), (v: NDArray) => np.negative(v)], x));

// A 10,000-step foriLoop compiles as fast as a 10-step one: it is a loop, not unrolled code.
const decay = jit((x: NDArray) => lax.foriLoop(0, 10000, (_i, v) => v.mul(0.999).add(0.001), x));

console.log("sqrt([2, 9, 16]) =", newtonSqrt(np.array([2, 9, 16])).toString());
console.log("cumsum rows:", cumsum(np.array([[1, 2], [3, 4], [5, 6]])).toString());
console.log("piecewise(-3) =", piecewise(np.array(-3)).item(), " piecewise(16) =", piecewise(np.array(16)).item());
for (const i of [0, 1, 2, 7]) {
  console.log(`switch(${i}, [1, 2]) =`, band(np.array(i, { dtype: "int32" }), np.array([1, 2])).toString(), i > 2 ? "(index clamped)" : "");
}
console.log("decay:", decay(np.array([0, 2])).toString());
console.log("\nThe jaxpr of cumsum:");
console.log(cumsum.lower(np.array([[1, 2], [3, 4], [5, 6]])).asText());
