// The tutorial's `conditional_double`, done right in TypeScript.
//
// The tutorial claims that making `threshold` static makes `if x > threshold` legal. It
// does not: `x` is still traced, so `x > threshold` is a traced boolean, and JavaScript
// would silently treat it as always true. tsjit's build step rejects that line (TS990001);
// the working form selects elementwise with np.where. Making `threshold` static is still
// useful — it becomes a compile-time constant — and it is part of the cache key, so a new
// threshold value recompiles.

import { jit, np, type NDArray } from "tsjit";

function conditionalDouble(x: NDArray, threshold: number): NDArray {
  // Not `if (x > threshold) ...`: that is a branch on a traced value.
  return np.where(np.greater(x, threshold), x.mul(2), x);
}

const jitted = jit(conditionalDouble, { staticArgnames: ["threshold"] });

const calls: [string, NDArray, number][] = [
  ["First call (threshold=0)", np.array([5.0]), 0], // compiles for threshold 0
  ["Second call (threshold=0)", np.array([-2.0]), 0], // reuses the compiled code
  ["Third call (threshold=10)", np.array([5.0]), 10], // new static value: recompiles
  ["Fourth call (threshold=10)", np.array([1.0]), 10], // reuses the threshold=10 code
];

for (const [label, x, threshold] of calls) {
  const result = jitted(x, threshold);
  const { compiles, hits } = jitted.stats;
  console.log(`${label}: ${result.toString()}  (compiles: ${compiles}, cache hits: ${hits})`);
}

console.log("\nThe traced program for threshold = 0:");
console.log(jitted.lower(np.array([5.0]), 0).asText());
console.log(`\nstats: ${JSON.stringify(jitted.stats)}  (2 compiles for 2 threshold values, 2 hits)`);
