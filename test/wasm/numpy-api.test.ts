// The np additions on wasm against the cpu backend and the float64 erf reference
// (test/helpers/numpy-backend-cases.ts); the float64 reference suites in test/runtime run
// on wasm too (the harness's MODES include "wasm").

import { describe, it } from "vitest";
import { backendCompare } from "../helpers/backend-compare.js";
import { numpyCases } from "../helpers/numpy-backend-cases.js";

const wasm = backendCompare("wasm");

describe("np additions on wasm", { timeout: 120_000 }, () => {
  for (const c of numpyCases) it(c.name, () => c.run(wasm));
});
