// A lost device is reported as a tsjit error, and the next use after init gets a new one
// (its own file: it destroys the process's device).

import { describe, expect, it } from "vitest";
import { BackendError, init, jit, np, type NDArray } from "tsjit";
import { webgpuAvailable } from "./setup.js";
import { currentDevice } from "../../runtime/backend/webgpu/device.js";

describe.runIf(webgpuAvailable)("webgpu device loss", { timeout: 120_000 }, () => {
  it("reports the loss, then recovers on a new device (cpu arrays are uploaded again)", async () => {
    const f = jit((v: NDArray) => v.mul(3), { backend: "webgpu" });
    const x = np.array([1, 2]);
    const before = f(x);
    expect(Array.from(await before.data())).toEqual([3, 6]);
    const dev = currentDevice().device;
    dev.destroy();
    await dev.lost;
    expect(() => f(x)).toThrow(BackendError);
    expect(() => f(x)).toThrow(/lost|no device/);
    await expect(before.data()).rejects.toThrow(/lost/);
    await init("webgpu");
    expect(currentDevice().device).not.toBe(dev);
    expect(Array.from(await f(x).data())).toEqual([3, 6]);
  });
});
