// nn / tree / np-stats / random programs shared by the backend tests: each runs on the
// interpreter (test/randomnn/interpreter.test.ts) and on webgpu (test/webgpu/nn-tree-stats.test.ts)
// and is compared with the CPU codegen backend, itself checked against float64 references
// in nn.test.ts, stats.test.ts, random.test.ts and random-statistics.test.ts. Small shapes.

import { nn, np, random, tree, type NDArray } from "tsjit";

export interface Program {
  readonly name: string;
  readonly fn: (...args: any[]) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly args: () => unknown[];
  /** Exact equality expected (integer/bool outputs, or bit-identical float pipelines). */
  readonly exact?: boolean;
}

const x12 = () => np.array([-30, -5, -1.5, -0.3, -1e-4, 0, 2e-5, 0.7, 1, 2.5, 6, 40]);
const x35 = () => np.sin(np.arange(15).astype("float32")).mul(3).reshape([3, 5]);

export const PROGRAMS: readonly Program[] = [
  {
    name: "nn activations",
    fn: (x: NDArray) => [nn.relu(x), nn.relu6(x), nn.sigmoid(x), nn.silu(x), nn.gelu(x), nn.gelu(x, { approximate: false }),
      nn.softplus(x), nn.leakyRelu(x, 0.1), nn.elu(x), nn.erf(x.mul(0.1))],
    args: () => [x12()],
  },
  {
    name: "nn softmax, logSoftmax, logsumexp, standardize, oneHot",
    fn: (x: NDArray, ids: NDArray) => [nn.softmax(x), nn.logSoftmax(x, 0), nn.logsumexp(x), nn.logsumexp(x, 1), nn.standardize(x), nn.oneHot(ids, 4)],
    args: () => [x35(), np.array([0, 3, 1, 2, 5, -1], { dtype: "int32" })],
  },
  {
    name: "tree.map over a pytree",
    fn: (p: { a: NDArray; b: [NDArray, NDArray] }, q: { a: NDArray; b: [NDArray, NDArray] }) =>
      tree.leaves(tree.map((u: NDArray, v: NDArray) => u.mul(v).add(1), p, q)),
    args: () => [{ a: x12(), b: [x35(), np.arange(4).astype("float32")] }, { a: x12().mul(0.5), b: [x35().neg(), np.ones([4])] }],
  },
  {
    name: "np var, std, ptp, diff, cumsum, cumprod",
    fn: (x: NDArray) => [np.var(x, 1, { ddof: 1 }), np.std(x), np.ptp(x, 0), np.diff(x, 2), np.cumsum(x, -1), np.cumsum(x), np.cumprod(x.mul(0.5), 0)],
    args: () => [x35()],
  },
  {
    name: "random choice and batched keys",
    fn: (k: NDArray) => {
      const keys = random.split(k, 3);
      return [random.choice(k, 9, [4]), random.choice(k, 9, [4], { replace: false }), random.choice(k, 5, [6], { p: np.array([0.1, 0.2, 0, 0.3, 0.4]) }),
        random.choice(k, 5, [3], { p: np.array([0.1, 0.2, 0, 0.3, 0.4]), replace: false }), random.uniform(keys, [2]), random.permutation(keys, 4)];
    },
    args: () => [random.key(42)],
    exact: true,
  },
];

/** A sample for moments and a KS test on another backend: uniform and normal of one key. */
export const sampler = (k: NDArray) => [random.uniform(k, [2048]), random.normal(random.foldIn(k, 1), [2048])];

/** The KS statistic of `xs` against `cdf` (float64). */
export function ksStatistic(xs: ArrayLike<number>, cdf: (x: number) => number): number {
  const s = Array.from(xs).sort((a, b) => a - b);
  let d = 0;
  s.forEach((x, i) => {
    const f = cdf(x);
    d = Math.max(d, (i + 1) / s.length - f, f - i / s.length);
  });
  return d;
}

/** Φ(x) through erf's Maclaurin series (|x| ≤ 6 here). */
export function normalCdf(x: number): number {
  const z = x / Math.SQRT2;
  if (Math.abs(z) > 5) return z > 0 ? 1 : 0;
  let term = z, sum = z;
  for (let n = 1; n < 200; n++) {
    term *= (-z * z) / n;
    sum += term / (2 * n + 1);
  }
  return 0.5 * (1 + (2 / Math.sqrt(Math.PI)) * sum);
}

/** The 0.001 critical value of the KS statistic for n samples (asymptotic: 1.9495/√n). */
export const ksCritical = (n: number) => 1.9495 / Math.sqrt(n);
