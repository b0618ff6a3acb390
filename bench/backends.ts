// tsjit's CPU-side backends in the peer comparisons: the `wasm` backend when this build has
// one (it is then the "tsjit" contender, the one the targets are about) with the `cpu`
// backend as a further baseline; otherwise the `cpu` backend alone.

import { init, jit, np, type BackendName, type NDArray } from "../runtime/index.js";
import type { Context } from "./group.js";
import type { Contender } from "./harness.js";

/** Why the wasm backend is not compared, or undefined when it runs here. */
export async function probeWasmBackend(): Promise<string | undefined> {
  try {
    await init("wasm");
    const f = jit((x: NDArray) => x.mul(2).add(1), { backend: "wasm" });
    const got = f(np.array([1, 2, 3])).dataSync();
    if (got[0] !== 3 || got[1] !== 5 || got[2] !== 7) return `smoke test gave [${Array.from(got).join(", ")}]`;
    return undefined;
  } catch (e) {
    return String(e instanceof Error ? e.message : e).split("\n")[0];
  }
}

export const CPU_BASELINE = "tsjit, cpu backend";

/** The backend of the "tsjit" contender in this run. */
export function primaryBackend(ctx: Context): BackendName {
  return ctx.wasm === undefined ? "wasm" : "cpu";
}

/**
 * tsjit contenders for `fn` called on `args` (each call reads its result back): "tsjit" on
 * the primary backend, then the cpu backend when the primary one is wasm.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function tsjitContenders(ctx: Context, fn: (...args: any[]) => NDArray, args: readonly NDArray[]): Contender[] {
  const primary = primaryBackend(ctx);
  const f = jit(fn, { backend: primary });
  const out: Contender[] = [{ name: "tsjit", run: () => f(...args).dataSync() }];
  if (primary !== "cpu") {
    const g = jit(fn, { backend: "cpu" });
    out.push({ name: CPU_BASELINE, run: () => g(...args).dataSync() });
  }
  return out;
}
