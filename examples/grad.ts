// Autodiff with tsjit: fit a linear regression by gradient descent, then train a small MLP
// on a two-moons dataset generated with tsjit's `random` — each training step is one
// compiled program, jit(valueAndGrad(...)).

import { grad, jit, np, random, valueAndGrad, vmap, type NDArray } from "tsjit";

// A seeded generator, so the example prints the same numbers every run.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    return s / 4294967296;
  };
}
const rand = rng(2026);
const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());

// --- 1. Linear regression: y = 3x - 2 + noise --------------------------------------------
const n = 200;
const xData = Float32Array.from({ length: n }, () => rand() * 4 - 2);
const X = np.array(xData).reshape(n, 1);
const Y = np.array(Float32Array.from(xData, (x) => 3 * x - 2 + 0.1 * gauss())).reshape(n, 1);

const mse = (w: NDArray, b: NDArray, x: NDArray, y: NDArray) => np.mean(np.square(np.add(np.matmul(x, w), b).sub(y)));

const fitStep = jit((w: NDArray, b: NDArray, x: NDArray, y: NDArray) => {
  const [loss, [gw, gb]] = valueAndGrad(mse, { argnums: [0, 1] })(w, b, x, y) as [NDArray, NDArray[]];
  return { w: w.sub(gw!.mul(0.1)), b: b.sub(gb!.mul(0.1)), loss };
});

let w = np.zeros([1, 1]), b = np.zeros([1]);
for (let step = 0; step <= 100; step++) {
  const r = fitStep(w, b, X, Y);
  ({ w, b } = r);
  if (step % 25 === 0) console.log(`linear regression step ${String(step).padStart(3)}  loss ${(r.loss.item() as number).toFixed(5)}`);
}
console.log(`fitted y = ${(w.item() as number).toFixed(3)} x + ${(b.item() as number).toFixed(3)}  (true: 3x - 2); traces: ${fitStep.stats.traces}\n`);

// --- 2. An MLP on two moons, trained with SGD + momentum -----------------------------------
// The data and the initial weights come from explicit PRNG keys (random.split, as in JAX).
const m = 256;
const [kAngle, kNoise, kW1, kW2] = np.unstack(random.split(random.key(2026), 4));
const angle = random.uniform(kAngle!, [m], { maxval: Math.PI });
const upper = np.equal(np.mod(np.arange(m), 2), 0); // alternate moons
const moonX = np.where(upper, np.cos(angle), np.subtract(1, np.cos(angle)));
const moonY = np.where(upper, np.sin(angle), np.subtract(0.5, np.sin(angle)));
const P = np.add(np.stack([moonX, moonY], 1), random.normal(kNoise!, [m, 2]).mul(0.1));
const L = upper.astype("float32");

type Params = { w1: NDArray; b1: NDArray; w2: NDArray; b2: NDArray };
let params: Params = { w1: random.normal(kW1!, [2, 32]), b1: np.zeros([32]), w2: random.normal(kW2!, [32]).mul(0.3), b2: np.zeros([]) };
let velocity: Params = { w1: np.zeros([2, 32]), b1: np.zeros([32]), w2: np.zeros([32]), b2: np.zeros([]) };

const logits = (p: Params, x: NDArray) => np.add(np.matmul(np.tanh(np.add(np.matmul(x, p.w1), p.b1)), p.w2), p.b2);
// Binary cross-entropy with logits, written stably: softplus(z) - y z.
const bce = (p: Params, x: NDArray, y: NDArray) => {
  const z = logits(p, x);
  const softplus = np.add(np.maximum(z, 0), np.log1p(np.exp(np.negative(np.abs(z)))));
  return np.mean(np.subtract(softplus, np.multiply(y, z)));
};

const trainStep = jit((p: Params, v: Params, x: NDArray, y: NDArray) => {
  const [loss, g] = valueAndGrad(bce)(p, x, y) as [NDArray, Params];
  const keys = ["w1", "b1", "w2", "b2"] as const;
  const nv = Object.fromEntries(keys.map((k) => [k, v[k].mul(0.9).add(g[k])])) as Params;
  const np2 = Object.fromEntries(keys.map((k) => [k, p[k].sub(nv[k].mul(0.5))])) as Params;
  return { params: np2, velocity: nv, loss };
});
const accuracy = jit((p: Params, x: NDArray, y: NDArray) => np.mean(np.equal(np.greater(logits(p, x), 0).astype("float32"), y).astype("float32")));

for (let epoch = 0; epoch <= 400; epoch++) {
  const r = trainStep(params, velocity, P, L);
  ({ params, velocity } = r);
  if (epoch % 50 === 0) console.log(`mlp epoch ${String(epoch).padStart(3)}  loss ${(r.loss.item() as number).toFixed(4)}`);
}
console.log(`two-moons training accuracy: ${((accuracy(params, P, L).item() as number) * 100).toFixed(1)}%  (trainStep traced ${trainStep.stats.traces}x)`);

// Per-example gradient norms with vmap(grad): one batched program.
const perExample = jit(vmap(grad((p: Params, x: NDArray, y: NDArray) => bce(p, x.reshape(1, 2), y.reshape(1))), { inAxes: [null, 0, 0] }));
const g = perExample(params, P.slice([0, 4]), L.slice([0, 4])) as Params;
console.log(`per-example |dL/dw2| for 4 points: ${Array.from(np.sqrt(np.sum(np.square(g.w2), 1)).dataSync() as Float32Array, (v) => v.toFixed(4)).join(", ")}`);
