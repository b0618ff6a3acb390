// The np additions on webgpu against the cpu backend and the float64 erf reference
// (test/helpers/numpy-backend-cases.ts).

import { describe, it } from "vitest";
import { webgpuAvailable } from "./setup.js";
import { backendCompare } from "../helpers/backend-compare.js";
import { numpyCases } from "../helpers/numpy-backend-cases.js";

const webgpu = backendCompare("webgpu");

// Lavapipe compiles each shader with LLVM on the CPU: generous timeouts on a loaded machine.
describe.runIf(webgpuAvailable)("np additions on webgpu", { timeout: 180_000 }, () => {
  for (const c of numpyCases) it(c.name, () => c.run(webgpu));
});
