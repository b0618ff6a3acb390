// nn, tree, np stats and random (choice, batched keys, statistics) on webgpu: the CPU
// backend's results (random bit for bit), small shapes for lavapipe.

import { describe, expect, it } from "vitest";
import { jit, random, type NDArray } from "tsjit";
import { webgpuAvailable } from "./setup.js";
import { expectSame } from "./compare.js";
import { PROGRAMS, ksCritical, ksStatistic, normalCdf, sampler } from "../randomnn/programs.js";

const leaves = (r: unknown) => ([] as NDArray[]).concat(r as NDArray | NDArray[]);

describe.runIf(webgpuAvailable)("webgpu nn / tree / stats / random vs cpu", { timeout: 300_000 }, () => {
  for (const p of PROGRAMS) {
    it(p.name, async () => {
      const want = leaves(jit(p.fn)(...p.args()));
      const got = leaves(jit((...a: unknown[]) => p.fn(...a), { backend: "webgpu" })(...p.args()));
      expect(got.length).toBe(want.length);
      for (let i = 0; i < got.length; i++) {
        if (p.exact) expect(Array.from(await got[i]!.data()), `${p.name} output ${i}`).toEqual(Array.from(want[i]!.dataSync() as ArrayLike<number>));
        else await expectSame(got[i]!, want[i]!, `${p.name} output ${i}`);
      }
    });
  }

  it("random samples pass the KS test on webgpu (uniform bit for bit the CPU's; normal within float32 tolerance: erfinv's log/sqrt)", async () => {
    const k = random.key(9);
    const [u, z] = jit((key: NDArray) => sampler(key), { backend: "webgpu" })(k) as NDArray[];
    const [u2, z2] = jit(sampler)(k) as NDArray[];
    const us = await u!.data(), zs = await z!.data();
    expect(Array.from(us)).toEqual(Array.from(u2!.dataSync()));
    await expectSame(z!, z2!, "normal");
    expect(ksStatistic(us, (x) => Math.min(1, Math.max(0, x)))).toBeLessThan(ksCritical(2048));
    expect(ksStatistic(zs, normalCdf)).toBeLessThan(ksCritical(2048));
  });
});
