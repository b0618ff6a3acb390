// Without a WebGPU adapter, init("webgpu") fails with how to get one (this runs everywhere:
// the adapter is stubbed away). Before init, webgpu use names init.

import { afterEach, describe, expect, it, vi } from "vitest";

describe("webgpu without an adapter", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it("init('webgpu') is a BackendError with the Debian install command", async () => {
    vi.stubGlobal("navigator", { gpu: { requestAdapter: async () => null } });
    vi.resetModules();
    const { init, BackendError } = await import("tsjit");
    const err = await init("webgpu").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as Error).message).toMatch(/found no GPU adapter/);
    expect((err as Error).message).toContain("apt-get install -t bookworm-backports mesa-vulkan-drivers");
  });

  it("TSJIT_BACKEND=webgpu selects it; using it before init says to call init", async () => {
    vi.stubEnv("TSJIT_BACKEND", "webgpu");
    vi.resetModules();
    const { getBackend, np } = await import("tsjit");
    expect(getBackend()).toBe("webgpu");
    expect(() => np.ones([2])).toThrow(/await init\("webgpu"\)/);
  });
});
