// Comparison of a webgpu result with the cpu backend's: exact for int32/bool, float32
// within a relative tolerance scaled by the result's magnitude; NaN and infinities exactly.

import { expect } from "vitest";
import type { NDArray } from "tsjit";

export async function expectSame(gpu: NDArray, cpu: NDArray, what: string): Promise<void> {
  expect(gpu.shape, what).toEqual(cpu.shape);
  expect(gpu.dtype, what).toBe(cpu.dtype);
  const got = await gpu.data(), want = cpu.dataSync();
  if (cpu.dtype !== "float32") {
    expect(Array.from(got), what).toEqual(Array.from(want));
    return;
  }
  let scale = 0;
  for (const v of want) if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < want.length; i++) {
    const a = got[i]!, b = want[i]!;
    if (Number.isNaN(b) || !Number.isFinite(b)) {
      expect(Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b)), `${what}: element ${i}: ${a} vs ${b}`).toBe(true);
      continue;
    }
    const tol = 1e-4 * Math.abs(b) + 1e-5 * (1 + scale);
    if (!(Math.abs(a - b) <= tol)) expect.fail(`${what}: element ${i}: webgpu ${a}, cpu ${b} (tolerance ${tol})`);
  }
}

