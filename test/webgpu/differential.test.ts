// The webgpu backend against the cpu backend on the same programs: random fused programs
// (elementwise chains with broadcasting and strided views, reductions, concatenation,
// matmul), integer programs compared exactly, float ones within float32 tolerance. The
// programs are shared with the wasm backend's tests (test/helpers/backend-cases.ts).

import { describe, it } from "vitest";
import { webgpuAvailable } from "./setup.js";
import { backendCompare } from "../helpers/backend-compare.js";
import { randomProgramCases } from "../helpers/backend-cases.js";

const gpu = backendCompare("webgpu");

describe.runIf(webgpuAvailable)("webgpu vs cpu: random programs", { timeout: 120_000 }, () => {
  for (const c of randomProgramCases) it(c.name, () => c.run(gpu));
});
