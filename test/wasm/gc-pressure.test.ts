// Arrays on the wasm backend are freed when their JS objects are collected, but V8 sees only
// those small objects. The arena asks for a collection every 128 MiB it grows (Node), so a
// loop that awaits now and then can allocate far more than the memory's 2 GiB maximum; a
// long synchronous loop still needs dispose() and gets an error that says so.

import { describe, expect, it } from "vitest";
import { jit, np, type NDArray } from "tsjit";

describe("wasm memory under allocation pressure", () => {
  it("an awaiting loop allocating 4.8 GiB in total stays within the memory", { timeout: 120_000 }, async () => {
    const f = jit((x: NDArray) => x.mul(2), { backend: "wasm" });
    const x = np.ones([1 << 20]); // 4 MiB per result
    for (let i = 0; i < 1200; i++) {
      f(x);
      if (i % 20 === 19) await new Promise((r) => setImmediate(r));
    }
    // The check is that no call threw "memory is full" (without collections it does, at ~500).
    expect(f(x).dataSync()[0]).toBe(2);
  });
});
