// Very long chains of elementwise ops in one program (a JS loop inside jit): fusion splits
// them into kernels of bounded depth, so code generation, the interpreter and build-time
// specialization neither overflow the stack nor emit one enormous function. Results are
// float32 step by step (+ and * are correctly rounded), so every path is compared bit for bit.

import { describe, expect, it } from "vitest";
import { jit, np, type NDArray } from "tsjit";
import { runMode } from "../helpers/harness.js";
import { LeafSpec, specialize } from "../../runtime/specialize/specialize.js";
import type { PrebuiltKernel } from "../../runtime/jit/prebuilt.js";

const f = Math.fround;

function chain(n: number) {
  return (x: NDArray): NDArray => {
    let y = x;
    for (let i = 0; i < n; i++) y = i % 2 === 0 ? y.mul(0.999) : y.add(0.01);
    return y;
  };
}

function reference(xs: readonly number[], n: number): number[] {
  return xs.map((v) => {
    let y = f(v);
    for (let i = 0; i < n; i++) y = i % 2 === 0 ? f(y * f(0.999)) : f(y + f(0.01));
    return y;
  });
}

const xs = [-3, -0.5, 0, 0.25, 1, 7.5, 100, 1e-3];

describe("long elementwise chains", () => {
  for (const n of [5000, 20000]) {
    it(`${n} chained ops: jit and the interpreter (and eager) agree with float32 step by step`, () => {
      const want = reference(xs, n);
      // Eager mode runs op by op whatever the length: checked once, on the shorter chain.
      for (const mode of n > 5000 ? (["jit", "interpreter"] as const) : (["jit", "interpreter", "eager"] as const)) {
        expect(Array.from(runMode(mode, chain(n), [np.array(xs)]).dataSync()), mode).toEqual(want);
      }
      // Rank 0: the chain runs in scalar locals.
      expect(runMode("jit", chain(n), [np.asarray(xs[5]!)]).item()).toBe(want[5]);
      expect(runMode("interpreter", chain(n), [np.asarray(xs[5]!)]).item()).toBe(want[5]);
    });
  }

  it("20000 chained ops through build-time specialization (a prebuilt kernel)", () => {
    const n = 20000;
    const s = specialize({ fn: chain(n), name: "chain", params: ["x"], staticPositions: new Set(), args: [new LeafSpec("float32", ["n"])] });
    if (!s.ok) throw new Error(s.reason);
    const kernel = new Function(`return (${s.entries[0]!.code});`)() as PrebuiltKernel;
    const fn = jit(chain(n), {}, { params: ["x"], prebuilt: [kernel] });
    expect(Array.from(fn(np.array(xs)).dataSync())).toEqual(reference(xs, n));
    expect(fn.stats.prebuiltHits).toBe(1);
    expect(fn.stats.traces).toBe(0);
  });

  it("the generated source is split into kernels of bounded size", () => {
    const fn = jit(chain(5000));
    const source = fn.lower(np.array(xs)).asText("js");
    const kernels = source.split("// kernel ").length - 1;
    expect(kernels).toBeGreaterThan(5);
    expect(kernels).toBeLessThan(100);
  });
});
