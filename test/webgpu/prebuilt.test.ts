// Prebuilt webgpu entries: the build-time specializer writes WGSL shaders and their bindings
// (concrete shapes only), and a webgpu call matching the guard runs them without tracing —
// only the pipelines are created. Results against the cpu backend's traced path.

import { describe, expect, it } from "vitest";
import { jit, lax, np, type NDArray } from "tsjit";
import { webgpuAvailable } from "./setup.js";
import { expectSame } from "./compare.js";
import { LeafSpec, type SpecializeRequest } from "../../runtime/specialize/specialize.js";
import { entrySources, evaluateEntries, f32, mlp, mlpArgs, mlpEntries } from "../helpers/prebuilt.js";

const entries = (req: SpecializeRequest) => evaluateEntries(entrySources(req));

describe.runIf(webgpuAvailable)("prebuilt webgpu entries", { timeout: 120_000 }, () => {
  it("an MLP with a captured constant and a static activation: served prebuilt (no trace), same numbers as cpu", async () => {
    const [x, w] = mlpArgs();
    for (const act of ["relu", "tanh"] as const) {
      const prebuilt = mlpEntries(act, ["cpu", "webgpu"]);
      const gpu = jit(mlp, { staticArgnames: ["act"], backend: "webgpu" }, { params: ["x", "w", "act"], prebuilt });
      const want = jit(mlp, { staticArgnames: ["act"] })(x, w, act);
      await expectSame(gpu(x, w, act), want, `mlp ${act}`);
      await expectSame(gpu(x, w, act), want, `mlp ${act}, again`);
      expect(gpu.stats).toEqual({ traces: 0, compiles: 0, hits: 0, prebuiltHits: 2 });
      // The same entries serve the cpu backend from its own payload.
      const cpu = jit(mlp, { staticArgnames: ["act"] }, { params: ["x", "w", "act"], prebuilt });
      expect(Array.from(cpu(x, w, act).dataSync())).toEqual(Array.from(want.dataSync()));
      expect(cpu.stats.prebuiltHits).toBe(1);
    }
  });

  it("host loops and device branches (scan, cond) from a prebuilt plan", async () => {
    const f = (xs: NDArray, p: NDArray) => {
      const [last, ys] = lax.scan((c: NDArray, v: NDArray) => [c.add(v), c.mul(v)] as const, np.zeros([3]), xs);
      return lax.cond(p, (a: NDArray) => a.mul(2), (a: NDArray) => a.sub(1), last).add(ys.sum(0));
    };
    const prebuilt = entries({ fn: f, name: "f", params: ["xs", "p"], staticPositions: new Set(), args: [f32(4, 3), new LeafSpec("bool", [])], backends: ["webgpu"] });
    const gpu = jit(f, { backend: "webgpu" }, { params: ["xs", "p"], prebuilt });
    const xs = np.linspace(-1, 1, 12).reshape(4, 3);
    for (const p of [true, false]) await expectSame(gpu(xs, np.array(p)), jit(f)(xs, np.array(p)), `scan+cond ${p}`);
    expect(gpu.stats).toEqual({ traces: 0, compiles: 0, hits: 0, prebuiltHits: 2 });
  });

  it("a webgpu call whose shapes differ from the entry's traces as usual", async () => {
    const g = (x: NDArray) => np.exp(x).mul(2);
    const prebuilt = entries({ fn: g, name: "g", params: ["x"], staticPositions: new Set(), args: [f32(5)], backends: ["webgpu"] });
    const gpu = jit(g, { backend: "webgpu" }, { params: ["x"], prebuilt });
    await expectSame(gpu(np.linspace(0, 1, 6)), g(np.linspace(0, 1, 6)), "other shape");
    await expectSame(gpu(np.linspace(0, 1, 5)), g(np.linspace(0, 1, 5)), "entry's shape");
    expect(gpu.stats).toEqual({ traces: 1, compiles: 1, hits: 0, prebuiltHits: 1 });
  });
});
