// Comparison of another backend's result with the cpu backend's: exact for int32/bool/uint32,
// float32 within a relative tolerance scaled by the result's magnitude; NaN and infinities
// exactly. `backendCompare(name)` runs programs on both backends and compares every output.

import { expect } from "vitest";
import { jit, type NDArray } from "tsjit";
import type { BackendName } from "../../runtime/backend/backend.js";

export async function expectSame(got: NDArray, cpu: NDArray, what: string, backend = "webgpu"): Promise<void> {
  expect(got.shape, what).toEqual(cpu.shape);
  expect(got.dtype, what).toBe(cpu.dtype);
  const values = await got.data(), want = cpu.dataSync();
  if (cpu.dtype !== "float32") {
    expect(Array.from(values), what).toEqual(Array.from(want));
    return;
  }
  let scale = 0;
  for (const v of want) if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < want.length; i++) {
    const a = values[i]!, b = want[i]!;
    if (Number.isNaN(b) || !Number.isFinite(b)) {
      expect(Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b)), `${what}: element ${i}: ${a} vs ${b}`).toBe(true);
      continue;
    }
    const tol = 1e-4 * Math.abs(b) + 1e-5 * (1 + scale);
    if (!(Math.abs(a - b) <= tol)) expect.fail(`${what}: element ${i}: ${backend} ${a}, cpu ${b} (tolerance ${tol})`);
  }
}

export type Fn = (...xs: NDArray[]) => NDArray;

/** Runs programs on `backend` and on cpu and compares their outputs. */
export interface BackendCompare {
  readonly backend: BackendName;
  /** One program, any number of outputs (a pytree of arrays is flattened by concat). */
  both<A extends unknown[]>(name: string, fn: (...xs: A) => unknown, ...args: A): Promise<void>;
  /** A table of functions as one jitted program per backend (one compile each). */
  table(fns: Record<string, Fn>, ...args: NDArray[]): Promise<void>;
}

export function backendCompare(backend: BackendName): BackendCompare {
  return {
    backend,
    async both(name, fn, ...args) {
      const cpu = ([] as NDArray[]).concat(jit(fn)(...args) as NDArray | NDArray[]);
      const other = ([] as NDArray[]).concat(jit(fn, { backend })(...args) as NDArray | NDArray[]);
      expect(other.length).toBe(cpu.length);
      for (let i = 0; i < cpu.length; i++) await expectSame(other[i]!, cpu[i]!, cpu.length > 1 ? `${name}, output ${i}` : name, backend);
    },
    async table(fns, ...args) {
      const names = Object.keys(fns);
      const all = (...xs: NDArray[]) => names.map((n) => fns[n]!(...xs)) as unknown as NDArray;
      const cpu = jit(all)(...args) as unknown as NDArray[];
      const other = jit(all, { backend })(...args) as unknown as NDArray[];
      for (let i = 0; i < names.length; i++) await expectSame(other[i]!, cpu[i]!, names[i]!, backend);
    },
  };
}
