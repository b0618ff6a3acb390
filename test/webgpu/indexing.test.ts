// Data-dependent indexing on webgpu against the cpu backend (itself differential-tested
// against a float64 reference in test/runtime/indexing.test.ts): traced scalar indices,
// dynamic update slices, gathers fused into elementwise kernels, and scatters (a serial
// shader: repeated indices accumulate in order, out-of-range updates are dropped). The
// programs compared with cpu are shared with the wasm backend (test/helpers/backend-cases.ts).

import { describe, expect, it } from "vitest";
import { jit, lax, np, type NDArray } from "tsjit";
import { webgpuAvailable } from "./setup.js";
import { backendCompare } from "../helpers/backend-compare.js";
import { indexingCases } from "../helpers/backend-cases.js";

const i32 = (v: number | number[]) => np.array(v as never, { dtype: "int32" });
const gpu = backendCompare("webgpu");

describe.runIf(webgpuAvailable)("webgpu indexing vs cpu", { timeout: 120_000 }, () => {
  const x = np.sin(np.arange(60).astype("float32")).reshape([5, 12]);

  for (const c of indexingCases) it(c.name, () => c.run(gpu));

  it("a gather is a read inside the elementwise shader: one kernel", () => {
    const text = jit((x: NDArray, k: NDArray) => x.slice(k).mul(3).exp()).lower(x, i32([4, -1, 0, 2, 9])).asText("wgsl");
    expect(text.match(/@compute/g)).toHaveLength(1);
  });

  it("scatters run serial over the indexed axes and parallel over the rest; a histogram", async () => {
    const rows = i32([1, 3, 1, -1, 7, -9, 1]);
    const u = np.cos(np.arange(7 * 12).astype("float32")).reshape([7, 12]);
    const par = jit((x: NDArray, k: NDArray, u: NDArray) => x.at(k).add(u)).lower(x, rows, u).asText("wgsl");
    expect(par).toContain("scatter-add over [7, 12] (serial over [7], parallel over [12])");
    const bins = i32(Array.from({ length: 300 }, (_, i) => (i * 7) % 10));
    const hist = jit((h: NDArray, k: NDArray) => h.at(k).add(1), { backend: "webgpu" })(np.zeros([10], { dtype: "int32" }), bins);
    expect(Array.from(await hist.data())).toEqual(new Array(10).fill(30));
    const text = jit((h: NDArray, k: NDArray) => h.at(k).add(1)).lower(np.zeros([10]), bins).asText("wgsl");
    expect(text).toContain("scatter-add over [300] (serial)");
  });
});
