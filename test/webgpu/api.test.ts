// The webgpu backend's user-facing contract: asynchronous readback only, blockUntilReady,
// lower().asText("wgsl"), setBackend/getBackend and eager ops, arrays uploaded once,
// buffers recycled, shader errors reported with their WGSL line.

import v8 from "node:v8";
import vm from "node:vm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { BackendError, getBackend, jit, np, setBackend, type NDArray } from "tsjit";
import { webgpuAvailable } from "./setup.js";
import { createPipeline, webgpuBackend } from "../../runtime/backend/webgpu/index.js";
import { currentDevice } from "../../runtime/backend/webgpu/device.js";
import { bufferStats, f16Bits, fromF16Bits } from "../../runtime/backend/webgpu/buffers.js";
import type { ConcreteArray } from "../../runtime/array/concrete.js";

const backendOf = (x: NDArray) => (x as ConcreteArray).backend.name;
const tick = () => new Promise((r) => setTimeout(r, 0));

describe.runIf(webgpuAvailable)("webgpu API", { timeout: 120_000 }, () => {
  afterEach(() => setBackend("cpu"));

  it("reads back with await x.data(); dataSync/item/tolist throw naming it", async () => {
    const f = jit((x: NDArray) => x.mul(2), { backend: "webgpu" });
    const y = f(np.array([1, 2, 3]));
    expect(Array.from(await y.data())).toEqual([2, 4, 6]);
    for (const read of [() => y.dataSync(), () => y.sum().item(), () => y.tolist(), () => +y.sum()]) {
      expect(read).toThrow(BackendError);
      expect(read).toThrow(/await x\.data\(\)/);
    }
    expect(String(y)).toBe("NDArray(f32[3]) on webgpu (read it with await x.data())");
    expect(await y.blockUntilReady()).toBe(y);
    const b = jit((x: NDArray) => x.gt(1), { backend: "webgpu" })(np.array([1, 2, 3]));
    expect(await b.data()).toEqual(Uint8Array.of(0, 1, 1));
  });

  it("JS number and boolean arguments, returned inputs, scalars and constants", async () => {
    const f = jit((x: NDArray, s: number, b: boolean) => [x, s, b, x.mul(s), np.where(b, x, 0), np.array(3) as NDArray, x], { backend: "webgpu" });
    const x = np.array([1, 2]);
    const outs = f(x, 2.5, true) as unknown as NDArray[];
    const got = await Promise.all(outs.map(async (o) => Array.from(await o.data())));
    expect(got).toEqual([[1, 2], [2.5], [1], [2.5, 5], [1, 2], [3], [1, 2]]);
    // Returned inputs are copies: disposing one leaves the other intact.
    outs[0]!.dispose();
    expect(Array.from(await outs[6]!.data())).toEqual([1, 2]);
    const g = jit((x: NDArray, k: NDArray) => x.add(k), { backend: "webgpu" });
    const w = jit((x: NDArray) => x.sum(), { backend: "webgpu" })(x); // a rank-0 webgpu array as an argument
    expect(Array.from(await g(x, w).data())).toEqual([4, 5]);
  });

  it("captured arrays (cpu and webgpu) become constants owned by the program; empty arrays", async () => {
    const w = np.array([[1, 2], [3, 4]]);
    const onDevice = jit((v: NDArray) => v.mul(10), { backend: "webgpu" })(np.array([1, 1]));
    const f = jit((x: NDArray) => [np.matmul(x, w).add(onDevice), w], { backend: "webgpu" });
    const [y, wOut] = f(np.array([[1, 0], [0, 1]])) as unknown as NDArray[];
    expect(Array.from(await y!.data())).toEqual([11, 12, 13, 14]);
    expect(Array.from(await wOut!.data())).toEqual([1, 2, 3, 4]);
    const e = jit((x: NDArray) => [x.add(1), x.sum(0), x.max(1)], { backend: "webgpu" })(np.zeros([0, 3])) as unknown as NDArray[];
    expect(e.map((a) => a.shape)).toEqual([[0, 3], [3], [0]]);
    expect(Array.from(await e[1]!.data())).toEqual([0, 0, 0]);
    expect(Array.from(await e[0]!.data())).toEqual([]);
  });

  it("an array over maxStorageBufferBindingSize is a clear BackendError", () => {
    const limit = currentDevice().maxBinding;
    const n = limit / 4 + 1;
    const f = jit((v: NDArray) => np.broadcastTo(v, [n]).add(1), { backend: "webgpu" });
    expect(() => f(np.ones([1]))).toThrow(BackendError);
    expect(() => f(np.ones([1]))).toThrow(/more than this WebGPU device's maxStorageBufferBindingSize/);
  });

  it("lower().asText('wgsl') prints one compute shader per fused kernel", () => {
    const f = jit((x: NDArray, w: NDArray) => np.tanh(np.matmul(x, w)).sum(1));
    const text = f.lower(np.ones([4, 8]), np.ones([8, 16])).asText("wgsl");
    expect(text.match(/@compute/g)).toHaveLength(2);
    expect(text).toContain("// kernel 0: matmul 1x4x8 @ 8x16");
    expect(text).toContain("tanh_(");
  });

  it("setBackend('webgpu') makes new arrays and eager ops run there; mixed operands run on the device", async () => {
    setBackend("webgpu");
    expect(getBackend()).toBe("webgpu");
    const a = np.array([1, 2, 3]);
    expect(backendOf(a)).toBe("webgpu");
    const b = a.add(1).mul(a);
    expect(backendOf(b)).toBe("webgpu");
    expect(Array.from(await b.data())).toEqual([2, 6, 12]);
    setBackend("cpu");
    const c = np.array([10, 20, 30]);
    const mixed = c.add(b);
    expect(backendOf(mixed)).toBe("webgpu");
    expect(Array.from(await mixed.data())).toEqual([12, 26, 42]);
  });

  it("a cpu array used by webgpu programs is uploaded once", async () => {
    const upload = vi.spyOn(webgpuBackend, "fromHost");
    try {
      const x = np.arange(8).astype("float32");
      const f = jit((v: NDArray) => v.add(1), { backend: "webgpu" });
      const g = jit((v: NDArray) => v.sum(), { backend: "webgpu" });
      for (let i = 0; i < 3; i++) {
        await f(x).data();
        await g(x).data();
        await x.mul(2).data(); // eager, on cpu: no upload
      }
      expect(upload).toHaveBeenCalledTimes(1);
    } finally {
      upload.mockRestore();
    }
  });

  it("10,000 calls of a small function recycle their buffers (pool fed by garbage collection)", async () => {
    // V8 does not see device memory, so how often it collects depends on the program's own
    // garbage; a full collection every 500 calls stands for that here.
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc") as () => void;
    const f = jit((v: NDArray) => v.mul(2).add(1), { backend: "webgpu" });
    const x = np.ones([16]);
    await f(x).data();
    const before = bufferStats.created;
    for (let i = 0; i < 10_000; i++) {
      f(x);
      if (i % 500 === 0) {
        gc();
        await tick(); // finalizers run from the event loop
      }
    }
    await f(x).data();
    // At most the calls between two collections hold buffers (measured: 1,000-1,500 of 10,000).
    expect(bufferStats.created - before).toBeLessThan(2_500);
    // dispose() returns a buffer at once: a disposing loop creates none at all.
    const again = bufferStats.created;
    for (let i = 0; i < 1000; i++) f(x).dispose();
    expect(bufferStats.created - again).toBeLessThanOrEqual(1);
  });

  it("a shader that does not compile is a BackendError quoting the WGSL line", async () => {
    const src = { code: "@compute @workgroup_size(1)\nfn main() {\n  let x = 1.0 + ;\n}", buffers: [], writes: undefined, usesScalars: false, writesScalars: false, workgroups: 1, label: "broken" };
    const err = await createPipeline(currentDevice(), src).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect(String((err as Error).message)).toMatch(/line 3: .*\n\s+let x = 1.0 \+ ;/);
  });

  it("float16 (shader-f16): stored as half, computed in f32, rounded on store", async () => {
    const r16 = (v: number) => fromF16Bits(f16Bits(v));
    const data = [0.1, 1.5, -2.25, 65504, 70000, 1e-5, -0, NaN, 1 / 3];
    const x = np.array(data, { dtype: "float16" });
    const f = jit((v: NDArray, s: NDArray) => [v, v.mul(2).add(s), v.slice([0, 4]).sum(), s, v.astype("float32"), np.array([0.1, 0.2]).astype("float16")], { backend: "webgpu" });
    const s = np.array(0.5, { dtype: "float16" });
    const [same, affine, total, sOut, wide, narrowed] = f(x, s) as unknown as NDArray[];
    expect(same!.dtype).toBe("float16");
    expect(Array.from(await same!.data())).toEqual(data.map(r16));
    expect(Array.from(await affine!.data())).toEqual(data.map((v) => r16(r16(v) * 2 + 0.5)));
    expect(Array.from(await total!.data())).toEqual([r16(r16(0.1) + 1.5 - 2.25 + 65504)]);
    expect(Array.from(await sOut!.data())).toEqual([0.5]);
    expect(wide!.dtype).toBe("float32");
    expect(Array.from(await narrowed!.data())).toEqual([r16(0.1), r16(Math.fround(0.2))]);
    // (Eager ops on a cpu float16 array would fail: the cpu backend has no float16.)
    const a = np.array([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]], { dtype: "float16" });
    const b = np.array([[0, 1], [2, 3], [4, 5], [6, 7]], { dtype: "float16" });
    const mm = jit((p: NDArray, q: NDArray) => np.matmul(p, q), { backend: "webgpu" })(a, b);
    expect(Array.from(await mm.data())).toEqual([28, 34, 76, 98, 124, 162]);
    const long = np.array(Array.from({ length: 300 }, (_, i) => Math.sin(i)), { dtype: "float16" }); // tree reductions
    const [mx, am] = jit((v: NDArray) => [v.max(), v.argmax()], { backend: "webgpu" })(long) as unknown as NDArray[];
    const halves = Array.from({ length: 300 }, (_, i) => r16(Math.sin(i)));
    expect(Array.from(await mx!.data())).toEqual([Math.max(...halves)]);
    expect(Array.from(await am!.data())).toEqual([halves.indexOf(Math.max(...halves))]);
  });
});
