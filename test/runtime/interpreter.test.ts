// The CPU interpreter (used where `new Function` is forbidden) runs the same schedule as
// the code generator and must give the same results, bit for bit. This file forces the
// interpreter before its first operation, so eager operations here go through it too.

import { afterAll, describe, expect, it } from "vitest";
import { jit, np, type NDArray } from "tsjit";
import { canGenerateCode, forceInterpreter } from "../../runtime/backend/cpu/index.js";
import { Rng } from "../helpers/prng.js";
import { EXACT, F32, expectClose, randomArray } from "../helpers/harness.js";
import { combine, map, reduce } from "../helpers/reference.js";
import { programFn, randomProgram } from "../helpers/programs.js";

// Before any operation runs (imports run none): the eager op cache of this file's module
// instance then only holds interpreted kernels.
forceInterpreter(true);
afterAll(() => forceInterpreter(undefined));

/** Runs `fn` compiled by the code generator, then restores the interpreter. */
function withCodegen<T>(fn: () => T): T {
  forceInterpreter(false);
  try {
    return fn();
  } finally {
    forceInterpreter(true);
  }
}

const bits = (x: NDArray) => Array.from(x.dataSync(), (v) => (Object.is(v, -0) ? "-0" : String(v)));

describe("interpreter", () => {
  it("is what runs here: code generation reports itself unavailable and no source is produced", () => {
    expect(canGenerateCode()).toBe(false);
    const f = jit((x: NDArray) => x.add(1));
    expect(f.lower(np.ones([2])).asText("js")).toBe("(this backend did not generate source text)");
    expect(withCodegen(() => canGenerateCode())).toBe(true);
    expect(withCodegen(() => jit((x: NDArray) => x.add(1)).lower(np.ones([2])).asText("js"))).toContain("function run");
  });

  it("eager operations run through it and match the reference", () => {
    const rng = new Rng(3);
    const a = randomArray(rng, [3, 4], "float32");
    expectClose(np.tanh(a.x.mul(2)), map([a.ref], (v) => Math.tanh(v * 2), "float32"), F32);
    const s = reduce(a.ref, 1, false, combine.sum, "float32");
    expectClose(a.x.sum(1), s.result, { ...F32, magnitude: s.magnitude });
    expectClose(np.argmax(a.x, 0), reduce(a.ref, 0, false, combine.argmax, "int32").result, EXACT);
    expect(np.zeros([2, 2]).dataSync()).toEqual(new Float32Array(4));
  });

  it("gives bit-identical results to generated code on 150 random programs", () => {
    for (let seed = 1; seed <= 150; seed++) {
      const p = randomProgram(new Rng(seed * 7919), seed % 2 ? "float" : "int");
      const args = p.inputs.map((i) => i.x);
      const interp = jit(programFn(p))(...args) as unknown as NDArray[];
      const generated = withCodegen(() => jit(programFn(p))(...args)) as unknown as NDArray[];
      interp.forEach((x, i) => expect(bits(x), `seed ${seed * 7919}, output ${i}`).toEqual(bits(generated[i]!)));
    }
  });

  it("handles matmul (float and int), concatenate, argmax, scalar and constant outputs", () => {
    const fn = (x: NDArray, i: NDArray) => [
      np.matmul(x, x.T), np.matmul(i, i.T), np.concatenate([x, x.mul(2)], 1), np.argmin(x, 1), x.sum(), np.array(7), 3,
    ] as unknown as NDArray;
    const x = np.array([[1, -2, 3], [4, 5, -6]]);
    const i = np.array([[1, 2], [3, 4]], { dtype: "int32" });
    const a = jit(fn)(x, i) as unknown as NDArray[];
    const b = withCodegen(() => jit(fn)(x, i)) as unknown as NDArray[];
    expect(a.map(bits)).toEqual(b.map(bits));
    expect(a.map((v) => v.dtype)).toEqual(["float32", "int32", "float32", "int32", "float32", "float32", "int32"]);
  });

  it("computes a full reduction once per kernel run, not once per element (x - max(x) stays linear)", () => {
    const n = 20000;
    const x = np.arange(n).astype("float32");
    const f = jit((v: NDArray) => np.subtract(v, np.max(v)));
    f(x);
    const t0 = performance.now();
    const out = f(x);
    const ms = performance.now() - t0;
    expect(out.dataSync()[n - 1]).toBe(0);
    expect(out.dataSync()[0]).toBe(-(n - 1));
    // Linear work is ~1 ms here; recomputing the max per element took ~8 s.
    expect(ms).toBeLessThan(500);
  });
});
