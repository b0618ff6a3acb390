// Data-dependent indexing on webgpu against the cpu backend (itself differential-tested
// against a float64 reference in test/runtime/indexing.test.ts): traced scalar indices,
// dynamic update slices, gathers fused into elementwise kernels, and scatters (a serial
// shader: repeated indices accumulate in order, out-of-range updates are dropped).

import { describe, expect, it } from "vitest";
import { jit, lax, np, type NDArray } from "tsjit";
import { webgpuAvailable } from "./setup.js";
import { expectSame } from "./compare.js";

const i32 = (v: number | number[] | number[][]) => np.array(v as never, { dtype: "int32" });

async function both(name: string, fn: (...xs: NDArray[]) => NDArray, ...args: NDArray[]): Promise<void> {
  const cpu = jit(fn)(...args);
  const gpu = jit(fn, { backend: "webgpu" })(...args);
  await expectSame(gpu, cpu, name);
}

describe.runIf(webgpuAvailable)("webgpu indexing vs cpu", { timeout: 120_000 }, () => {
  const x = np.sin(np.arange(60).astype("float32")).reshape([5, 12]);

  it("traced scalar indices and lax dynamic slices (clamped)", async () => {
    for (const i of [-7, -1, 0, 3, 9]) {
      await both(`x.slice(${i})`, (x, i) => x.slice(i).mul(2), x, i32(i));
      await both(`dynamicSlice ${i}`, (x, i) => lax.dynamicSlice(x, [i, i], [2, 5]).exp(), x, i32(i));
      await both(`dynamicUpdateSlice ${i}`, (x, i) => lax.dynamicUpdateSlice(x, np.ones([2, 3]), [i, np.multiply(i, 2)]), x, i32(i));
    }
    await both("foriLoop reading row i", (x) => lax.foriLoop(0, 5, (i, acc: NDArray) => acc.add(x.slice(i)), np.zeros([12])), x);
  });

  it("gathers: advanced indexing, take with fill, takeAlongAxis", async () => {
    const ids = i32([4, -1, 0, 2, 9]);
    await both("x[ids]", (x, k) => x.slice(k).mul(3).add(1), x, ids);
    await both("x[ids, ::2]", (x, k) => x.slice(k, [null, null, 2]), x, ids);
    await both("x[:, ids]", (x, k) => x.slice(":", k), x, ids);
    await both("x[[0,2], ids[:,None]]", (x, k) => x.slice(i32([0, 2]), k.reshape([5, 1])), x, ids);
    await both("take fill", (x, k) => np.take(x, k, { axis: 1, mode: "fill" }), x, i32([11, 12, -12, -13]));
    await both("takeAlongAxis", (x, k) => np.takeAlongAxis(x, k, 1), x, i32([[0], [11], [3], [-1], [5]]));
    await both("int gather", (x, k) => np.take(x, k), np.arange(10), i32([3, 3, -2, 40]));
    // The gather is a read inside the elementwise shader: one kernel.
    const text = jit((x: NDArray, k: NDArray) => x.slice(k).mul(3).exp()).lower(x, ids).asText("wgsl");
    expect(text.match(/@compute/g)).toHaveLength(1);
  });

  it("scatters: every mode, with duplicates and out-of-range rows, float and int32", async () => {
    const rows = i32([1, 3, 1, -1, 7, -9, 1]);
    const u = np.cos(np.arange(7 * 12).astype("float32")).reshape([7, 12]);
    for (const mode of ["set", "add", "multiply", "min", "max"] as const) {
      await both(`scatter ${mode}`, (x, k, u) => x.at(k)[mode](u), x, rows, u);
      await both(`int scatter ${mode}`, (x, k, u) => x.at(k)[mode](u), np.arange(60).reshape([5, 12]), rows, np.arange(84).reshape([7, 12]));
    }
    await both("scatter x.at(:, k) (parallel over rows, transposed updates)", (x, k, u) => x.at(":", k).add(u), x, i32([3, 3, -1, 20]), np.ones([5, 4]));
    await both("scatter x.at(k, :, m)", (z, k, m) => z.at(k, ":", m).max(np.arange(8).astype("float32").reshape([2, 4])),
      np.zeros([3, 4, 5]), i32([1, 1]), i32([2, 2]));
    const par = jit((x: NDArray, k: NDArray, u: NDArray) => x.at(k).add(u)).lower(x, rows, u).asText("wgsl");
    expect(par).toContain("scatter-add over [7, 12] (serial over [7], parallel over [12])");
    const bins = i32(Array.from({ length: 300 }, (_, i) => (i * 7) % 10));
    const hist = jit((h: NDArray, k: NDArray) => h.at(k).add(1), { backend: "webgpu" })(np.zeros([10], { dtype: "int32" }), bins);
    expect(Array.from(await hist.data())).toEqual(new Array(10).fill(30));
    const text = jit((h: NDArray, k: NDArray) => h.at(k).add(1)).lower(np.zeros([10]), bins).asText("wgsl");
    expect(text).toContain("scatter-add over [300] (serial)");
  });
});
