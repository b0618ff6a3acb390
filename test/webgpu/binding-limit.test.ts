// Arrays over the device's maxStorageBufferBindingSize, with a small artificial limit: a
// BackendError naming the array, its size, the limit and a fix, raised before anything runs
// (at upload or compile), never a WebGPU validation failure later.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BackendError, devicePut, jit, np, type NDArray } from "tsjit";
import { webgpuAvailable } from "./setup.js";
import { currentDevice } from "../../runtime/backend/webgpu/device.js";

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

  it("an input over the limit names it (jit argument, eager operation or devicePut)", async () => {
    const big = np.ones([2048]);
    const e = errorOf(() => jit((v: NDArray) => v.add(1).mul(3), { backend: "webgpu" })(big));
    expect(e).toBeInstanceOf(BackendError);
    expect(e.message).toContain("The input 0 (f32[2048]) of this function on webgpu needs 8192 bytes");
    expect(e.message).toContain(`(${LIMIT} bytes)`);
    const small = jit((v: NDArray) => v.sum(), { backend: "webgpu" })(np.ones([4]));
    // Eager: the cpu operand is uploaded first, and the upload names it.
    expect(() => small.add(big)).toThrow(/A f32\[2048\] array \(8192 bytes\) cannot go to webgpu/);
    await expect(devicePut(big, "webgpu")).rejects.toThrow(/f32\[2048\] array \(8192 bytes\)/);
  });
});
