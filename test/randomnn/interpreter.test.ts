// nn, tree, np stats and random on the CPU interpreter (where code generation is forbidden):
// the same results as the CPU codegen backend, and the same random statistics.

import { describe, expect, it } from "vitest";
import { jit, random, type NDArray } from "tsjit";
import { forceInterpreter } from "../../runtime/backend/cpu/index.js";
import { PROGRAMS, ksCritical, ksStatistic, normalCdf, sampler } from "./programs.js";

const leaves = (r: unknown) => ([] as NDArray[]).concat(r as NDArray | NDArray[]);

function interpreted<T>(f: () => T): T {
  forceInterpreter(true);
  try {
    return f();
  } finally {
    forceInterpreter(undefined);
  }
}

describe("nn / tree / stats / random on the interpreter", () => {
  for (const p of PROGRAMS) {
    it(`${p.name}: the codegen backend's results`, () => {
      const want = leaves(jit(p.fn)(...p.args()));
      const got = interpreted(() => leaves(jit((...a: unknown[]) => p.fn(...a))(...p.args())));
      expect(got.length).toBe(want.length);
      got.forEach((g, i) => {
        expect(g.shape).toEqual(want[i]!.shape);
        expect(g.dtype).toBe(want[i]!.dtype);
        const a = Array.from(g.dataSync() as ArrayLike<number>), b = Array.from(want[i]!.dataSync() as ArrayLike<number>);
        if (p.exact || g.dtype !== "float32") expect(a, `${p.name} output ${i}`).toEqual(b);
        else a.forEach((v, k) => expect(Math.abs(v - b[k]!), `${p.name} output ${i}[${k}]: ${v} vs ${b[k]}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(b[k]!))));
      });
    });
  }

  it("random samples pass the KS test there (and equal the codegen backend's bits)", () => {
    const k = random.key(9);
    const [u, z] = interpreted(() => jit((key: NDArray) => sampler(key))(k)) as NDArray[];
    const [u2, z2] = jit(sampler)(k) as NDArray[];
    expect(Array.from(u!.dataSync())).toEqual(Array.from(u2!.dataSync()));
    expect(Array.from(z!.dataSync())).toEqual(Array.from(z2!.dataSync()));
    expect(ksStatistic(u!.dataSync() as Float32Array, (x) => Math.min(1, Math.max(0, x)))).toBeLessThan(ksCritical(2048));
    expect(ksStatistic(z!.dataSync() as Float32Array, normalCdf)).toBeLessThan(ksCritical(2048));
  });
});
