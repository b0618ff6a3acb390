// lax control flow on webgpu against the cpu backend: branches guarded on the device (no
// readback), scan/foriLoop as host loops over device buffers, whileLoop with its
// predicate read back after batches of 1, 2, 4, ... 64 iterations. The programs compared
// with cpu are shared with the wasm backend (test/helpers/backend-cases.ts).

import v8 from "node:v8";
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { jit, lax, np, type NDArray } from "tsjit";
import { webgpuAvailable } from "./setup.js";
import { expectSame } from "./compare.js";
import { backendCompare } from "../helpers/backend-compare.js";
import { controlCases } from "../helpers/backend-cases.js";
import { webgpuStats } from "../../runtime/backend/webgpu/index.js";

/** Host syncs (predicate readbacks) while running `fn` on webgpu to completion. */
async function syncsOf(fn: (...xs: NDArray[]) => unknown, ...args: NDArray[]): Promise<number> {
  const f = jit(fn, { backend: "webgpu" });
  await (([] as NDArray[]).concat(f(...args) as NDArray)[0]!).data(); // compile and warm up
  const before = webgpuStats.hostSyncs;
  await (([] as NDArray[]).concat(f(...args) as NDArray)[0]!).data();
  return webgpuStats.hostSyncs - before;
}

const gpu = backendCompare("webgpu");

describe.runIf(webgpuAvailable)("webgpu control flow vs cpu", { timeout: 120_000 }, () => {
  const x = np.sin(np.arange(12).astype("float32")).reshape(3, 4);

  for (const c of controlCases) it(c.name, () => c.run(gpu));

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
});
