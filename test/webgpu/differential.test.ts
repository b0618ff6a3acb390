// The webgpu backend against the cpu backend on the same programs: random fused programs
// (elementwise chains with broadcasting and strided views, reductions, concatenation,
// matmul), integer programs compared exactly, float ones within float32 tolerance.

import { describe, expect, it } from "vitest";
import { jit, np, type NDArray } from "tsjit";
import { webgpuAvailable } from "./setup.js";
import { Rng } from "../helpers/prng.js";
import { describeProgram, programFn, randomProgram } from "../helpers/programs.js";

export async function expectSame(gpu: NDArray, cpu: NDArray, what: string): Promise<void> {
  expect(gpu.shape, what).toEqual(cpu.shape);
  expect(gpu.dtype, what).toBe(cpu.dtype);
  const got = await gpu.data(), want = cpu.dataSync();
  if (cpu.dtype !== "float32") {
    expect(Array.from(got), what).toEqual(Array.from(want));
    return;
  }
  let scale = 0;
  for (const v of want) if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < want.length; i++) {
    const a = got[i]!, b = want[i]!;
    if (Number.isNaN(b) || !Number.isFinite(b)) {
      expect(Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b)), `${what}: element ${i}: ${a} vs ${b}`).toBe(true);
      continue;
    }
    const tol = 1e-4 * Math.abs(b) + 1e-5 * (1 + scale);
    if (!(Math.abs(a - b) <= tol)) expect.fail(`${what}: element ${i}: webgpu ${a}, cpu ${b} (tolerance ${tol})`);
  }
}

describe.runIf(webgpuAvailable)("webgpu vs cpu: random programs", () => {
  it("agrees on 40 random programs (float and int)", async () => {
    for (let seed = 1; seed <= 40; seed++) {
      const p = randomProgram(new Rng(seed * 7919), seed % 2 ? "float" : "int");
      const args = p.inputs.map((i) => i.x);
      const cpu = jit(programFn(p))(...args) as unknown as NDArray[];
      const gpu = jit(programFn(p), { backend: "webgpu" })(...args) as unknown as NDArray[];
      for (let i = 0; i < cpu.length; i++) await expectSame(gpu[i]!, cpu[i]!, `seed ${seed * 7919}, output ${i}\n${describeProgram(p)}`);
    }
  });
});
