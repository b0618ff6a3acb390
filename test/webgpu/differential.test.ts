// The webgpu backend against the cpu backend on the same programs: random fused programs
// (elementwise chains with broadcasting and strided views, reductions, concatenation,
// matmul), integer programs compared exactly, float ones within float32 tolerance.

import { describe, it } from "vitest";
import { jit, lax, np, type NDArray } from "tsjit";
import { webgpuAvailable } from "./setup.js";
import { expectSame } from "./compare.js";
import { Rng } from "../helpers/prng.js";
import { describeProgram, programFn, randomProgram } from "../helpers/programs.js";

describe.runIf(webgpuAvailable)("webgpu vs cpu: random programs", { timeout: 120_000 }, () => {
  it("agrees on 40 random programs (float and int)", async () => {
    for (let seed = 1; seed <= 40; seed++) {
      const p = randomProgram(new Rng(seed * 7919), seed % 2 ? "float" : "int");
      const args = p.inputs.map((i) => i.x);
      const cpu = jit(programFn(p))(...args) as unknown as NDArray[];
      const gpu = jit(programFn(p), { backend: "webgpu" })(...args) as unknown as NDArray[];
      for (let i = 0; i < cpu.length; i++) await expectSame(gpu[i]!, cpu[i]!, `seed ${seed * 7919}, output ${i}\n${describeProgram(p)}`);
    }
  });

  it("agrees on 8 random programs mapped over a stacked batch (scan bodies read and write through dynamic offsets)", async () => {
    for (let seed = 41; seed <= 48; seed++) {
      const p = randomProgram(new Rng(seed * 7919), seed % 2 ? "float" : "int");
      const stacked = p.inputs.map((i) => np.stack([i.x, i.x.mul(2).astype(i.x.dtype), i.x]));
      const body = programFn(p);
      const mapped = (...xs: NDArray[]) => lax.map((slices: NDArray[]) => body(...slices), xs) as unknown as NDArray;
      const cpu = ([] as NDArray[]).concat(jit(mapped)(...stacked));
      const gpu = ([] as NDArray[]).concat(jit(mapped, { backend: "webgpu" })(...stacked));
      for (let i = 0; i < cpu.length; i++) await expectSame(gpu[i]!, cpu[i]!, `mapped seed ${seed * 7919}, output ${i}\n${describeProgram(p)}`);
    }
  });
});
