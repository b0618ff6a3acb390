// Transcendental ops and points for the fold-vs-compute tests (test/runtime/fold-exact.test.ts,
// test/webgpu/fold.test.ts): a constant folded at compile time must be the exact value
// (float64 math rounded once to float32, computed here independently), and every backend's
// kernel must compute it within its own accuracy.

import { jit, makeJaxpr, nn, np, type NDArray } from "tsjit";
import { optimize } from "../../runtime/ir/passes.js";

type Op = (x: NDArray | number) => NDArray;

export const FOLD_OPS: readonly { readonly name: string; readonly op: Op; readonly exact: (x: number) => number }[] = [
  { name: "exp", op: (x) => np.exp(x), exact: Math.exp },
  { name: "tanh", op: (x) => np.tanh(x), exact: Math.tanh },
  { name: "log", op: (x) => np.log(x), exact: Math.log },
  { name: "log1p", op: (x) => np.log1p(x), exact: Math.log1p },
  { name: "expm1", op: (x) => np.expm1(x), exact: Math.expm1 },
  { name: "sigmoid", op: (x) => nn.sigmoid(x), exact: (x) => 1 / (1 + Math.exp(-x)) },
  { name: "sin", op: (x) => np.sin(x), exact: Math.sin },
  { name: "cos", op: (x) => np.cos(x), exact: Math.cos },
  { name: "sqrt", op: (x) => np.sqrt(x), exact: Math.sqrt },
];

/**
 * float32 points; the first two are where the cpu backend's fast exp and tanh round to a
 * float32 one ulp away from the exact value (so folding with them would be caught).
 */
export const FOLD_POINTS: readonly number[] = [-4.677761554718018, -4.972785949707031, -0.75, 0.1, 0.5, 1.5, 3.25, 7.9].map(Math.fround);

/** The value `op(x)` folds to under jit (asserting that it did fold). */
export function folded(op: Op, x: number): number {
  const fn = () => op(x);
  const eqns = optimize(makeJaxpr(fn)().jaxpr).eqns.length;
  if (eqns !== 0) throw new Error(`expected ${fn} to fold to a constant, ${eqns} equations are left`);
  return (jit(fn)() as NDArray).dataSync()[0]!;
}

/** Distance in float32 ulps (0 for two NaNs). */
export function ulps(a: number, b: number): number {
  if (Number.isNaN(a) && Number.isNaN(b)) return 0;
  if (Number.isNaN(a) || Number.isNaN(b)) return Infinity;
  const bits = new Int32Array(new Float32Array([a, b]).buffer);
  const key = (i: number) => (i < 0 ? -2147483648 - i : i); // monotone over the floats
  return Math.abs(key(bits[0]!) - key(bits[1]!));
}
