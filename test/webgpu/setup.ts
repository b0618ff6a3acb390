// Acquires the WebGPU device once per test file. Without an adapter the WebGPU tests skip
// with one line saying how to enable them — except under TSJIT_REQUIRE_WEBGPU=1 (CI, after
// scripts/setup-webgpu.sh), where a missing adapter fails them.

import { init } from "tsjit";

export const requireWebgpu = process.env.TSJIT_REQUIRE_WEBGPU === "1";

let failure: unknown;
try {
  await init("webgpu");
} catch (e) {
  failure = e;
}

export const webgpuAvailable = failure === undefined;

if (!webgpuAvailable) {
  if (requireWebgpu) throw failure;
  console.log(`WebGPU tests skipped: no WebGPU adapter (${(failure as Error).message.split("\n")[0]}); run scripts/setup-webgpu.sh to enable them.`);
}
