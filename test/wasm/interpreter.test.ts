// The wasm backend against the CPU interpreter (the backend that serves where code
// generation is forbidden) on random fused programs; and wasm needs no `new Function`: it
// still compiles and runs with the JS code generator forced off.

import { afterEach, describe, expect, it } from "vitest";
import { jit, np, type NDArray } from "tsjit";
import { forceInterpreter } from "../../runtime/backend/cpu/index.js";
import { expectSame } from "../helpers/backend-compare.js";
import { Rng } from "../helpers/prng.js";
import { describeProgram, programFn, randomProgram } from "../helpers/programs.js";

describe("wasm vs the interpreter", { timeout: 120_000 }, () => {
  afterEach(() => forceInterpreter(undefined));

  it("agrees on 60 random programs (int exactly, float within float32 tolerance)", async () => {
    for (let seed = 101; seed <= 160; seed++) {
      const p = randomProgram(new Rng(seed * 104729), seed % 2 ? "float" : "int");
      const args = p.inputs.map((i) => i.x);
      forceInterpreter(true);
      const interp = ([] as NDArray[]).concat(jit(programFn(p))(...args) as unknown as NDArray[]);
      const wasm = ([] as NDArray[]).concat(jit(programFn(p), { backend: "wasm" })(...args) as unknown as NDArray[]);
      forceInterpreter(undefined);
      for (let i = 0; i < interp.length; i++) await expectSame(wasm[i]!, interp[i]!, `seed ${seed * 104729}, output ${i}\n${describeProgram(p)}`, "wasm");
    }
  });

  it("runs with JavaScript code generation unavailable", () => {
    forceInterpreter(true);
    const f = jit((x: NDArray) => np.exp(x).sum(), { backend: "wasm" });
    expect(f(np.array([0, 0, 0])).item()).toBe(3);
    expect(f.lower(np.array([0, 0, 0])).asText("wasm")).toContain("(module");
  });
});
