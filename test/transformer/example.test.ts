// examples/branch-errors: `npm run build` fails on the seed's `if (x > threshold)` with
// TS990001 and its fix, and passes (and runs) once the fix is applied. The example is copied
// to a temporary directory whose node_modules link to this repository's packages, as
// `npm install` would lay them out.

import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO } from "./harness.js";
import type { RunResult } from "./fixture.js";

const require = createRequire(import.meta.url);
const EXAMPLE = join(REPO, "examples/branch-errors");

function run(command: string, args: string[], cwd: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, output }));
  });
}

describe("examples/branch-errors", { timeout: 120_000 }, () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "tsjit-example-"));
    for (const entry of ["package.json", "tsconfig.json", "src", "fixed"]) cpSync(join(EXAMPLE, entry), join(dir, entry), { recursive: true });
    mkdirSync(join(dir, "node_modules/.bin"), { recursive: true });
    symlinkSync(REPO, join(dir, "node_modules/tsjit"), "dir");
    for (const pkg of ["typescript", "ts-patch"]) symlinkSync(dirname(require.resolve(`${pkg}/package.json`)), join(dir, "node_modules", pkg), "dir");
    symlinkSync("../ts-patch/bin/tspc.js", join(dir, "node_modules/.bin/tspc"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("npm run build fails with TS990001 and the fix", async () => {
    const result = await run("npm", ["run", "build"], dir);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain("src/conditional-double.ts(8,7): error TS990001: Traced value 'x' used as an 'if' condition");
    expect(result.output).toContain("Use np.where(cond, a, b) for elementwise selection or lax.cond(pred, trueFn, falseFn, ...operands) for control flow, or mark 'x' static");
  });

  it("passes once fixed, and the program runs", async () => {
    cpSync(join(dir, "fixed/conditional-double.ts"), join(dir, "src/conditional-double.ts"));
    const build = await run("npm", ["run", "build"], dir);
    expect(build.output).not.toContain("error");
    expect(build.status).toBe(0);
    const start = await run(process.execPath, ["out/conditional-double.js"], dir);
    expect(start.status).toBe(0);
    expect(start.output).toContain("conditionalDouble(5, 0) = 10");
    expect(start.output).toContain("conditionalDouble(-2, 0) = -2");
    expect(start.output).toContain("conditionalDouble(5, 10) = 5");
  });
});
