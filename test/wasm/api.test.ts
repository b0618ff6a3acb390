// The wasm backend's user-facing contract: setBackend/jit option/TSJIT_BACKEND, eager ops,
// arrays moving between backends, lower().asText("wasm"), the arena (outputs own their
// bytes, dispose/GC return them, memory growth keeps earlier results readable), dataSync
// views, loops compiled as wasm loops, and errors.

import v8 from "node:v8";
import vm from "node:vm";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { ArgumentError, DTypeError, getBackend, jit, lax, np, setBackend, type NDArray } from "tsjit";
import type { ConcreteArray } from "../../runtime/array/concrete.js";
import { wasmArena } from "../../runtime/backend/wasm/index.js";
import { IMPORTS } from "../../runtime/backend/wasm/imports.js";

const backendOf = (x: NDArray) => (x as ConcreteArray).backend.name;
const root = fileURLToPath(new URL("../..", import.meta.url));

function gc(): void {
  v8.setFlagsFromString("--expose-gc");
  (vm.runInNewContext("gc") as () => void)();
}
const tick = () => new Promise((r) => setTimeout(r, 0));

describe("wasm backend API", () => {
  afterEach(() => setBackend("cpu"));

  it("setBackend('wasm') makes eager ops and jit run on wasm; jit's option overrides it", () => {
    setBackend("wasm");
    expect(getBackend()).toBe("wasm");
    const x = np.array([1, 2, 3, 4, 5]);
    expect(backendOf(x)).toBe("wasm");
    const y = np.exp(x.mul(2)).sum();
    expect(backendOf(y)).toBe("wasm");
    expect(y.item()).toBeCloseTo([1, 2, 3, 4, 5].reduce((s, v) => s + Math.exp(2 * v), 0), -1);
    const z = jit((a: NDArray) => a.mul(3))(x);
    expect(backendOf(z)).toBe("wasm");
    expect(backendOf(jit((a: NDArray) => a.mul(3), { backend: "cpu" })(x))).toBe("cpu");
    expect(Array.from(z.dataSync())).toEqual([3, 6, 9, 12, 15]);
  });

  it("arrays move between cpu and wasm on use (copied in once), both ways", () => {
    const c = np.arange(100).astype("float32");
    const f = jit((a: NDArray) => a.add(1), { backend: "wasm" });
    const w = f(c);
    expect(backendOf(w)).toBe("wasm");
    const used = wasmArena().used;
    f(c); // the cached copy of c is reused: only the new output is allocated
    expect(wasmArena().used - used).toBe(400);
    const back = jit((a: NDArray) => a.mul(2))(w);
    expect(backendOf(back)).toBe("cpu");
    expect(Array.from(back.dataSync())).toEqual(Array.from({ length: 100 }, (_, i) => 2 * (i + 1)));
    // Small arrays (≤ 64 bytes) live on the JS heap: no arena bytes, no finalizer.
    const small = jit((a: NDArray) => a.add(1), { backend: "wasm" });
    small(np.array([0, 0, 0])); // compiles (the executable's slots for small buffers are allocated once)
    const u0 = wasmArena().used;
    const s = small(np.array([1, 2, 3]));
    expect(wasmArena().used).toBe(u0);
    expect(Array.from(s.dataSync())).toEqual([2, 3, 4]);
  });

  it("TSJIT_BACKEND=wasm selects it in a fresh process; an unknown name lists wasm", () => {
    const out = execFileSync(process.execPath, ["--input-type=module", "-e",
      `import { getBackend, np } from "./dist/runtime/index.js"; const y = np.array([1, 2]).mul(2); console.log(getBackend(), y.backend?.name ?? "", Array.from(y.dataSync()).join(","));`],
    { cwd: root, env: { ...process.env, TSJIT_BACKEND: "wasm" }, encoding: "utf8" });
    expect(out.trim()).toMatch(/^wasm .*2,4$/);
    expect(() => setBackend("wams" as never)).toThrow(ArgumentError);
    expect(() => setBackend("wams" as never)).toThrow(/cpu, webgpu, wasm/);
  });

  it("lower(...).asText('wasm') prints the module: SIMD body, scalar tail, polynomial helper", () => {
    const f = (x: NDArray) => np.tanh(x.mul(2).add(1)).mul(0.5).add(x);
    const text = jit(f, { backend: "wasm" }).lower(np.zeros([1002])).asText("wasm");
    expect(text).toMatch(/^\(module/);
    expect(text).toContain('(import "env" "memory"');
    expect(text).toContain("f32x4.mul");
    expect(text).toContain("v128.store");
    expect(text).toContain("f32.store"); // the scalar tail
    // A math helper: the first function after the host imports and `run`.
    expect(text).toMatch(new RegExp(`\\(func ${IMPORTS.length + 1} \\(type \\d+\\) \\(param v128\\) \\(result v128\\)`));
    expect(() => jit(f).lower(np.zeros([3])).asText("wat" as never)).toThrow(/"wasm"/);
  });

  it("a 10,000-step foriLoop and a scan are wasm loops (no JS per iteration) and agree with cpu", () => {
    const f = (x: NDArray) => lax.foriLoop(0, 10000, (_i: NDArray, c: NDArray) => c.mul(0.999).add(0.001), x);
    const x = np.linspace(0, 1, 7);
    const w = jit(f, { backend: "wasm" });
    expect(Array.from(w(x).dataSync())).toEqual(Array.from(jit(f)(x).dataSync()));
    const text = w.lower(x).asText("wasm");
    expect(text).toContain("i32.const 10000");
    expect(text).not.toContain("call 0"); // no host calls in the loop
  });

  it("every output owns its bytes: returning an input or one value twice copies", () => {
    const x = np.array([1, 2, 3], { backend: "wasm" });
    const [a, b, c] = jit((v: NDArray) => [v, v.mul(2), v.mul(2)], { backend: "wasm" })(x) as unknown as NDArray[];
    a!.dispose();
    b!.dispose();
    const d = np.array([9, 9, 9], { backend: "wasm" });
    const e = np.array([8, 8, 8], { backend: "wasm" });
    expect(Array.from(x.dataSync())).toEqual([1, 2, 3]);
    expect(Array.from(c!.dataSync())).toEqual([2, 4, 6]);
    expect(Array.from(d.dataSync()).concat(Array.from(e.dataSync()))).toEqual([9, 9, 9, 8, 8, 8]);
  });

  it("dispose() and garbage collection return bytes to the arena; a live dataSync view pins them", async () => {
    const arena = wasmArena();
    const x = np.array(new Array(1000).fill(1), { backend: "wasm" });
    expect(backendOf(x)).toBe("wasm");
    const before = arena.used;
    let y: NDArray | undefined = np.exp(x);
    expect(arena.used - before).toBe(4000);
    y.dispose();
    expect(arena.used - before).toBe(0);
    // Arrays dropped without dispose() are returned by garbage collection.
    (() => {
      for (let i = 0; i < 200; i++) np.exp(x);
    })();
    expect(arena.used - before).toBeGreaterThanOrEqual(190 * 4000);
    for (let i = 0; i < 3; i++) {
      gc();
      await tick();
    }
    expect(arena.used - before).toBeLessThan(20 * 4000);
    if (arena.shared) {
      const z = np.exp(x);
      let view: Float32Array | undefined = z.dataSync() as Float32Array;
      expect(view.buffer).toBeInstanceOf(SharedArrayBuffer); // no copy
      const u0 = arena.used;
      z.dispose();
      expect(arena.used).toBe(u0); // not returned: the view still reads those bytes
      expect(view[999]).toBeCloseTo(Math.E, 5);
      const pinned = arena.used;
      view = undefined;
      for (let i = 0; i < 3; i++) {
        gc();
        await tick();
      }
      expect(arena.used).toBeLessThan(pinned);
    }
  });

  it("memory growth keeps earlier arrays and views readable", () => {
    const w = jit((a: NDArray) => a.add(0.5), { backend: "wasm" })(np.arange(10).astype("float32"));
    const view = w.dataSync();
    const big = jit((a: NDArray) => a.add(1), { backend: "wasm" })(np.zeros([8 * 1024 * 1024])); // 32 MiB: the memory grows
    expect(big.shape).toEqual([8 * 1024 * 1024]);
    expect(Array.from(view)).toEqual(Array.from({ length: 10 }, (_, i) => i + 0.5));
    expect(Array.from(w.dataSync())).toEqual(Array.from({ length: 10 }, (_, i) => i + 0.5));
    expect(big.dataSync()[8 * 1024 * 1024 - 1]).toBe(1);
  });

  it("reductions along a contiguous axis are vectorized (f64x2 accumulators for float sums)", () => {
    const text = jit((x: NDArray) => [x.sum(1), x.max(1)], { backend: "wasm" }).lower(np.zeros([3, 21])).asText("wasm");
    expect(text).toContain("f64x2.promote_low_f32x4");
    expect(text).toContain("f32x4.max");
  });

  it("running out of wasm memory is a BackendError naming the size and a fix, and later calls still work", () => {
    const f = jit((x: NDArray) => np.broadcastTo(x, [700_000_000]).add(1), { backend: "wasm" });
    expect(() => f(np.array(1))).toThrow(/memory is full: \d+ bytes needed.*dispose\(\)/s);
    expect(jit((x: NDArray) => x.add(1), { backend: "wasm" })(np.array([1])).item()).toBe(2);
  });

  it("float16 is refused with a DTypeError that names wasm and the fix", () => {
    const h = np.array([1, 2], { dtype: "float16" }); // float16 arrays exist on cpu; only wasm refuses them
    const f = jit((x: NDArray) => x.add(1), { backend: "wasm" });
    expect(() => f(h)).toThrow(DTypeError);
    expect(() => f(h)).toThrow(/wasm backend has no float16.*webgpu/s);
  });
});

