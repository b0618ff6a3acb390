// lax control flow on webgpu against the cpu backend: branches guarded on the device (no
// readback), scan/foriLoop as host loops over device buffers, whileLoop with its
// predicate read back after batches of 1, 2, 4, ... 64 iterations.

import v8 from "node:v8";
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { jit, lax, np, type NDArray } from "tsjit";
import { webgpuAvailable } from "./setup.js";
import { expectSame } from "./compare.js";
import { webgpuStats } from "../../runtime/backend/webgpu/index.js";

/** Host syncs (predicate readbacks) while running `fn` on webgpu to completion. */
async function syncsOf(fn: (...xs: NDArray[]) => unknown, ...args: NDArray[]): Promise<number> {
  const f = jit(fn, { backend: "webgpu" });
  await (([] as NDArray[]).concat(f(...args) as NDArray)[0]!).data(); // compile and warm up
  const before = webgpuStats.hostSyncs;
  await (([] as NDArray[]).concat(f(...args) as NDArray)[0]!).data();
  return webgpuStats.hostSyncs - before;
}

async function both<A extends unknown[]>(name: string, fn: (...xs: A) => unknown, ...args: A): Promise<void> {
  const cpu = ([] as NDArray[]).concat(jit(fn)(...args) as NDArray | NDArray[]);
  const gpu = ([] as NDArray[]).concat(jit(fn, { backend: "webgpu" })(...args) as NDArray | NDArray[]);
  expect(gpu.length).toBe(cpu.length);
  for (let i = 0; i < cpu.length; i++) await expectSame(gpu[i]!, cpu[i]!, `${name}, output ${i}`);
}

describe.runIf(webgpuAvailable)("webgpu control flow vs cpu", { timeout: 120_000 }, () => {
  const x = np.sin(np.arange(12).astype("float32")).reshape(3, 4);

  it("cond and switch pick the branch on the device, for every predicate value", async () => {
    const f = (a: NDArray, p: NDArray) => lax.cond(p, (v: NDArray) => v.mul(2).sum(1), (v: NDArray) => v.sub(1).max(1), a);
    for (const p of [true, false]) await both(`cond ${p}`, f, x, np.array(p));
    const g = (a: NDArray, i: NDArray) =>
      lax.switch(i, [(v: NDArray) => v.add(1), (v: NDArray) => np.matmul(v, np.ones([4, 4])), (v: NDArray) => np.exp(v)], a);
    for (const i of [0, 1, 2]) await both(`switch ${i}`, g, x, np.array(i, { dtype: "int32" }));
    // A scalar result of a branch (kept in device scalars) and a scan inside a branch.
    const h = (a: NDArray, p: NDArray) =>
      lax.cond(p, (v: NDArray) => v.sum(), (v: NDArray) => lax.foriLoop(0, 3, (_i: NDArray, c: NDArray) => c.mul(2), v.max()), a);
    for (const p of [true, false]) await both(`cond with scalar results ${p}`, h, x, np.array(p));
  });

  it("foriLoop and scan run with no readback: carries, reverse, stacked outputs, the counter", async () => {
    await both("foriLoop", (a: NDArray) => lax.foriLoop(0, 5, (i: NDArray, c: NDArray) => c.mul(0.9).add(i.astype("float32")), a), x);
    await both("foriLoop of a pair", (a: NDArray) => lax.foriLoop(1, 4, (i: NDArray, [c, s]: [NDArray, NDArray]): [NDArray, NDArray] => [np.tanh(c.add(s)), s.add(i)], [a, np.array(0.5)]), x);
    const f = (a: NDArray) => lax.scan((c: NDArray, row: NDArray) => [c.add(row), c.mul(row).sum()] as const, np.zeros([4]), a);
    await both("scan", f, x);
    await both("scan reverse", (a: NDArray) => lax.scan((c: NDArray, row: NDArray) => [c.mul(2).add(row), c.max()] as const, np.zeros([4]), a, { reverse: true }), x);
    await both("map", (a: NDArray) => lax.map((row: NDArray) => np.exp(row).sum(), a), x);
    await both("scan with length 0", (a: NDArray) => lax.scan((c: NDArray, _r: NDArray) => [c.add(1), c] as const, a.slice(0), a.slice([0, 0])), x);
  });

  it("whileLoop (predicate read back between batches of iterations); traced foriLoop bounds", async () => {
    const w = (a: NDArray) => lax.whileLoop(([c]: [NDArray, NDArray]) => c.sum().lt(50), ([c, n]: [NDArray, NDArray]): [NDArray, NDArray] => [c.mul(1.5).add(1), n.add(1)], [a, np.array(0, { dtype: "int32" })]);
    await both("whileLoop", w, x);
    await both("zero iterations", (a: NDArray) => lax.whileLoop((c: NDArray) => c.sum().lt(-100), (c: NDArray) => c.add(1), a), x);
    await both("traced bounds", (a: NDArray, n: NDArray) => lax.foriLoop(0, n, (_i: NDArray, c: NDArray) => c.add(c.mean()), a), x, np.array(4, { dtype: "int32" }));
    // A while loop inside a branch that is not taken must not spin.
    const nested = (a: NDArray, p: NDArray) => lax.cond(p, (v: NDArray) => lax.whileLoop((c: NDArray) => c.sum().lt(100), (c: NDArray) => c.add(1), v), (v: NDArray) => v, a);
    for (const p of [true, false]) await both(`while in a branch ${p}`, nested, x, np.array(p));
  });

  it("only whileLoop syncs with the host, after batches of iterations", async () => {
    expect(await syncsOf((a: NDArray) => lax.foriLoop(0, 6, (_i: NDArray, c: NDArray) => c.add(1), a), x)).toBe(0);
    expect(await syncsOf((a: NDArray) => lax.scan((c: NDArray, r: NDArray) => [c.add(r), c] as const, np.zeros([4]), a)[1], x)).toBe(0);
    expect(await syncsOf((a: NDArray, p: NDArray) => lax.cond(p, (v: NDArray) => v.add(1), (v: NDArray) => v.sub(1), a), x, np.array(true))).toBe(0);
    // Readbacks after batches of 1, 2, 4, ... 64 iterations: until 1+2+...+batch ≥ the count.
    const batches = (n: number) => {
      let done = 0, syncs = 0;
      for (let b = 1; ; b = Math.min(2 * b, 64)) {
        done += b;
        syncs++;
        if (done >= n) return syncs;
      }
    };
    const counter = (n: NDArray, hi: NDArray) => lax.whileLoop(([c]: [NDArray, NDArray]) => c.lt(hi), ([c, v]: [NDArray, NDArray]): [NDArray, NDArray] => [c.add(1), v.mul(1.01)], [n, np.ones([3])]);
    for (const hi of [0, 5, 300]) {
      expect(await syncsOf(counter, np.array(0, { dtype: "int32" }), np.array(hi, { dtype: "int32" }))).toBe(batches(hi));
      await both(`while, ${hi} iterations`, counter, np.array(0, { dtype: "int32" }), np.array(hi, { dtype: "int32" }));
    }
    expect(batches(300)).toBe(10);
  });

  it("programs queued behind a while loop run in order; eager ops on its results wait for it", async () => {
    const w = jit((a: NDArray) => lax.whileLoop((c: NDArray) => c.max().lt(20), (c: NDArray) => c.add(1), a), { backend: "webgpu" });
    const g = jit((a: NDArray) => a.mul(2), { backend: "webgpu" });
    const r = g(w(x));
    const eager = r.add(1);
    // w(x)'s array is garbage while g still waits in the queue: collecting it frees its
    // buffer to the pool, and g must still read it.
    v8.setFlagsFromString("--expose-gc");
    (vm.runInNewContext("gc") as () => void)();
    await new Promise((resolve) => setTimeout(resolve, 0));
    const want = jit((a: NDArray) => lax.whileLoop((c: NDArray) => c.max().lt(20), (c: NDArray) => c.add(1), a))(x).mul(2);
    await expectSame(r, want, "queued");
    await expectSame(eager, want.add(1), "eager after queued");
  });

  it("a concrete int32 bound made on webgpu is read without a readback: a counted loop that grad goes through", async () => {
    const { grad, setBackend } = await import("tsjit");
    setBackend("webgpu");
    try {
      const n = np.array(3, { dtype: "int32" }); // on webgpu; its host value is known
      const sum = lax.foriLoop(0, n, (i: NDArray, c: NDArray) => c.add(i), np.zeros([]));
      expect(Array.from(await sum.data())).toEqual([3]);
      // Reverse mode needs a static trip count: d/dx x^3 = 3x^2 at 2.
      const g = grad((v: NDArray) => lax.foriLoop(0, n, (_i: NDArray, c: NDArray) => c.mul(v), np.ones([])))(np.array(2));
      expect(Array.from(await g.data())).toEqual([12]);
      // A bound computed on the device is not known without a readback: it stays dynamic (forward works).
      const m = np.add(np.array(2, { dtype: "int32" }), 2);
      const r = lax.foriLoop(1, m, (i: NDArray, c: NDArray) => c.add(i), np.zeros([]));
      expect(Array.from(await r.data())).toEqual([6]);
      const lowered = jit((v: NDArray) => lax.foriLoop(0, n, (_i: NDArray, c: NDArray) => c.mul(v), np.ones([]))).lower(np.array(2)).asText();
      expect(lowered).toContain("scan");
    } finally {
      setBackend("cpu");
    }
  });
});
