// Arrays over the device's maxStorageBufferBindingSize, with a small artificial limit:
// elementwise kernels run in chunks that bind a range of each large array; any other kernel
// that would bind one whole is a BackendError naming the array, its size, the limit and a
// fix, raised at compile time, never a WebGPU validation failure later.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BackendError, devicePut, jit, np, type NDArray } from "tsjit";
import { expectSame } from "./compare.js";
import { webgpuAvailable } from "./setup.js";
import { currentDevice } from "../../runtime/backend/webgpu/device.js";
import { webgpuStats } from "../../runtime/backend/webgpu/index.js";

const LIMIT = 4096; // bytes: 1024 float32 elements

function errorOf(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
}

describe.runIf(webgpuAvailable)("maxStorageBufferBindingSize", { timeout: 120_000 }, () => {
  let saved = 0;
  const dev = () => currentDevice() as { maxBinding: number };
  beforeEach(() => {
    saved = dev().maxBinding;
    dev().maxBinding = LIMIT;
  });
  afterEach(() => {
    dev().maxBinding = saved;
  });

  it("arrays within the limit run", async () => {
    const f = jit((v: NDArray) => v.mul(2).sum(), { backend: "webgpu" });
    expect(Array.from(await f(np.ones([1024])).data())).toEqual([2048]);
  });

  it("an output over the limit is an error naming it, its bytes, the limit and a fix", () => {
    const f = jit((v: NDArray) => np.broadcastTo(v, [2048]).add(1), { backend: "webgpu" });
    const e = errorOf(() => f(np.ones([1])));
    expect(e).toBeInstanceOf(BackendError);
    expect(e.message).toContain("output 0 (f32[2048])");
    expect(e.message).toContain("8192 bytes");
    expect(e.message).toContain(`maxStorageBufferBindingSize (${LIMIT} bytes)`);
    expect(e.message).toMatch(/parts of at most 1024 elements/);
    expect(e.message).toMatch(/backend: "cpu"/);
    // Named by its position among the function's outputs, whatever order they are computed in.
    // (`s` is used twice, so its buffer is made first.)
    const two = jit((v: NDArray) => { const s = v.sum(); return [np.broadcastTo(v, [2048]).add(s), s]; }, { backend: "webgpu" });
    expect(errorOf(() => two(np.ones([1]))).message).toContain("output 0 (f32[2048])");
  });

  it("an intermediate over the limit is named too; the same program within the limit works", async () => {
    const f = jit((v: NDArray) => np.broadcastTo(v, [2, 1024]).add(1).sum(1), { backend: "webgpu" });
    // The reduction's input is fused, not stored: nothing over the limit is bound.
    expect(Array.from(await f(np.ones([1024])).data())).toEqual([2048, 2048]);
    const g = jit((v: NDArray) => { const w = np.broadcastTo(v, [2, 1024]).add(1); return [w.sum(1), w.max(0)]; }, { backend: "webgpu" });
    const e = errorOf(() => g(np.ones([1024])));
    expect(e.message).toContain("intermediate f32[2048]");
    expect(e.message).toContain("8192 bytes");
  });

  it("elementwise kernels over larger arrays run in chunks (ranges of each array), matching the cpu", async () => {
    const n = 2500; // 2.4 chunks of 1024 elements
    const x = np.sin(np.arange(n).astype("float32")).reshape(50, 50), w = np.cos(np.arange(n).astype("float32")).reshape(50, 50);
    const f = (a: NDArray, b: NDArray, s: NDArray) => [a.mul(s).add(b), a.gt(b), np.where(a.gt(0), a.mul(100).astype("int32"), 7)] as unknown as NDArray;
    const s = jit((v: NDArray) => v.sum(), { backend: "webgpu" })(np.array([0.5, 1]));
    const before = webgpuStats.dispatches;
    const gpu = jit(f, { backend: "webgpu" })(x, w, s) as unknown as NDArray[];
    for (const g of gpu) await g.blockUntilReady();
    expect(webgpuStats.dispatches - before).toBeGreaterThanOrEqual(9); // 3 kernels x 3 chunks
    const cpu = jit(f)(x, w, np.array(1.5)) as unknown as NDArray[];
    for (let i = 0; i < 3; i++) await expectSame(gpu[i]!, cpu[i]!, `output ${i}`);
    // Eager operations and devicePut: the large array is uploaded whole, then bound in ranges.
    const onDevice = await devicePut(x, "webgpu");
    await expectSame(onDevice.mul(s).add(1), x.mul(1.5).add(1), "eager");
  });

  it("a non-elementwise kernel over a larger array is an error naming it, its bytes, the limit and a fix", () => {
    const e = errorOf(() => jit((v: NDArray) => v.sum(), { backend: "webgpu" })(np.ones([2048])));
    expect(e).toBeInstanceOf(BackendError);
    expect(e.message).toMatch(/The input 0 \(f32\[2048\]\) of this .* on webgpu needs 8192 bytes/);
    expect(e.message).toContain(`maxStorageBufferBindingSize (${LIMIT} bytes)`);
    expect(e.message).toContain("not elementwise");
    expect(e.message).toMatch(/parts of at most 1024 elements/);
  });
});
