// Every elementwise primitive, reduction and matmul form on webgpu against the cpu backend,
// including the edge values whose semantics WGSL does not give by itself (NaN in max/min
// and argmax, integer division by zero, saturating float→int, pow of negative bases).
// The programs are shared with the wasm backend's tests (test/helpers/backend-cases.ts);
// the WGSL-specific plans are checked here.

import { describe, expect, it } from "vitest";
import { jit, np, type NDArray } from "tsjit";
import { webgpuAvailable } from "./setup.js";
import { backendCompare } from "../helpers/backend-compare.js";
import { primitiveCases } from "../helpers/backend-cases.js";

const gpu = backendCompare("webgpu");

// Lavapipe compiles each shader with LLVM on the CPU: generous timeouts on a loaded machine.
describe.runIf(webgpuAvailable)("webgpu primitives vs cpu", { timeout: 120_000 }, () => {
  for (const c of primitiveCases) it(c.name, () => c.run(gpu));

  it("long full reductions run in two passes (partials over many workgroups, then the epilogue)", () => {
    const x = np.sin(np.arange(100_003).astype("float32").mul(0.001));
    expect(jit((a: NDArray) => a.mean()).lower(x).asText("wgsl")).toContain("partial reductions");
  });

  it("matmul sizes in whole vec4s take the vec4 kernel", () => {
    const a4 = np.cos(np.arange(36 * 44).reshape(36, 44).astype("float32")), b4 = np.sin(np.arange(44 * 40).reshape(44, 40).astype("float32"));
    expect(jit((x: NDArray, y: NDArray) => np.matmul(x, y)).lower(a4, b4).asText("wgsl")).toContain("(vec4)");
  });

  it("a fused expression over more arrays than WebGPU binds is split into kernels that fit", async () => {
    const xs = Array.from({ length: 12 }, (_, i) => np.sin(np.arange(6).astype("float32").add(i)));
    const f = (...a: NDArray[]) => a.reduce((acc, v, i) => (i % 2 ? acc.add(v.mul(i)) : acc.sub(np.tanh(v)))).add(a[0]!.sum());
    const kernels = jit(f).lower(...xs).asText("wgsl").split("// kernel ").slice(1);
    expect(kernels.length).toBeGreaterThan(1);
    for (const k of kernels) expect(k.match(/@binding/g)!.length).toBeLessThanOrEqual(8);
  });
});
