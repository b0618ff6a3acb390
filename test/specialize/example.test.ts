// examples/prebuilt end to end: `tspc` prebuilds a kernel per known static value into the
// output, and the program then runs under --disallow-code-generation-from-strings with
// every call served by a prebuilt kernel (no tracing, no code generation).

import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO } from "../transformer/harness.js";

const require = createRequire(import.meta.url);

function run(command: string, args: string[], cwd: string): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, output }));
  });
}

describe("examples/prebuilt", { timeout: 120_000 }, () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "tsjit-prebuilt-example-"));
    for (const entry of ["package.json", "tsconfig.json", "src"]) cpSync(join(REPO, "examples/prebuilt", entry), join(dir, entry), { recursive: true });
    mkdirSync(join(dir, "node_modules/.bin"), { recursive: true });
    symlinkSync(REPO, join(dir, "node_modules/tsjit"), "dir");
    for (const pkg of ["typescript", "ts-patch"]) symlinkSync(dirname(require.resolve(`${pkg}/package.json`)), join(dir, "node_modules", pkg), "dir");
    symlinkSync("../ts-patch/bin/tspc.js", join(dir, "node_modules/.bin/tspc"));
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
