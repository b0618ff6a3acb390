// Moving arrays between the cpu and webgpu backends: devicePut / x.to, both directions,
// each copy made once (cached on the source), never a synchronous read of the device.

import { afterEach, describe, expect, it, vi } from "vitest";
import { BackendError, devicePut, jit, np, type NDArray } from "tsjit";
import { webgpuAvailable } from "./setup.js";
import { webgpuBackend } from "../../runtime/backend/webgpu/index.js";
import type { ConcreteArray } from "../../runtime/array/concrete.js";

const backendOf = (x: NDArray) => (x as ConcreteArray).backend.name;

describe.runIf(webgpuAvailable)("devicePut between cpu and webgpu", { timeout: 120_000 }, () => {
  afterEach(() => vi.restoreAllMocks());

  it("cpu -> webgpu uploads once; the copy serves later moves and webgpu functions", async () => {
    const upload = vi.spyOn(webgpuBackend, "fromHost");
    const c = np.array([[1, -2, 3], [4, 5, -6]]).astype("int32");
    const g = await devicePut(c, "webgpu");
    expect(backendOf(g)).toBe("webgpu");
    expect(g.shape).toEqual([2, 3]);
    expect(g.dtype).toBe("int32");
    expect(Array.from(await g.data())).toEqual([1, -2, 3, 4, 5, -6]);
    expect(await c.to("webgpu")).toBe(g);
    const f = jit((v: NDArray) => v.mul(2), { backend: "webgpu" });
    expect(Array.from(await f(c).data())).toEqual([2, -4, 6, 8, 10, -12]);
    expect(upload).toHaveBeenCalledTimes(1);
  });

  it("webgpu -> cpu reads asynchronously once; then the source works on the cpu synchronously", async () => {
    const readSync = vi.spyOn(webgpuBackend, "readSync");
    const read = vi.spyOn(webgpuBackend, "read");
    const g = jit((v: NDArray) => [v.add(0.5), v.gt(1)], { backend: "webgpu" })(np.array([0, 1, 2])) as unknown as NDArray[];
    const cpuFn = jit((v: NDArray) => v.mul(2));
    const err = (() => { try { cpuFn(g[0]!); } catch (e) { return e as Error; } })();
    expect(err).toBeInstanceOf(BackendError);
    expect(err!.message).toContain("cannot move to the cpu backend synchronously");
    expect(err!.message).toContain('await devicePut(x, "cpu")');
    const [f, b] = [await devicePut(g[0]!, "cpu"), await g[1]!.to("cpu")];
    expect(backendOf(f)).toBe("cpu");
    expect(Array.from(f.dataSync())).toEqual([0.5, 1.5, 2.5]);
    expect(b.tolist()).toEqual([false, false, true]);
    expect(await devicePut(g[0]!, "cpu")).toBe(f);
    expect(Array.from(cpuFn(g[0]!).dataSync())).toEqual([1, 3, 5]);
    expect(read).toHaveBeenCalledTimes(2);
    expect(readSync).not.toHaveBeenCalled();
  });

  it("the dataSync error on a webgpu array names devicePut as the way to the cpu", () => {
    const g = jit((v: NDArray) => v.add(1), { backend: "webgpu" })(np.array([1]));
    expect(() => g.dataSync()).toThrow(/await devicePut\(x, "cpu"\)/);
  });
});
