// examples/prebuilt end to end: `tspc` prebuilds a kernel per known static value into the
// output, and the program then runs under --disallow-code-generation-from-strings with
// every call served by a prebuilt kernel (no tracing, no code generation).

import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyExample, runCommand as run } from "../transformer/fixture.js";

describe("examples/prebuilt", { timeout: 120_000 }, () => {
  let dir: string;
  beforeAll(() => {
    dir = copyExample("prebuilt", ["package.json", "tsconfig.json", "src"]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("builds with one prebuilt kernel per known static value, and no notes", async () => {
    const build = await run("npm", ["run", "build"], dir);
    expect(build.output).not.toContain("TS9900");
    expect(build.status).toBe(0);
    const model = readFileSync(join(dir, "out/model.js"), "utf8");
    expect(model.match(/kernel: function \(rt, consts\)/g)).toHaveLength(4);
    for (const key of ['key: "s:\\"relu\\""', 'key: "s:\\"gelu\\""', 'key: "b:0"', 'key: "b:1"']) expect(model).toContain(key);
    // The IR travels with each kernel.
    expect(model).toContain("/* { lambda ; a:f32[batch,features]. let b:f32[batch,features] = max a 0.0:f32[] in (b,) }");
  });

  it("runs every call from prebuilt kernels with code generation forbidden", async () => {
    const start = await run("npm", ["start"], dir);
    expect(start.status).toBe(0);
    const stats = JSON.parse(start.output.trim().split("\n").pop()!);
    expect(stats).toEqual({
      codegenBlocked: true,
      activate: { traces: 0, compiles: 0, hits: 0, prebuiltHits: 3 },
      dense: { traces: 0, compiles: 0, hits: 0, prebuiltHits: 2 },
    });
    expect(start.output).toMatch(/relu\(x\) {3}= Array\(\[\[0\. +, 0\. +, 0\. +, 0\. +\],/);
    const sums = /row sums {2}= Array\(\[([^\]]*)\]/.exec(start.output)![1]!.split(",").map(Number);
    expect(sums).toHaveLength(3);
    for (const s of sums) expect(s).toBeCloseTo(1, 5);
  });
});
