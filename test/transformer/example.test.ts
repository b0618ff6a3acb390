// examples/branch-errors: `npm run build` fails on the seed's `if (x > threshold)` with
// TS990001 and its fix, and passes (and runs) once the fix is applied. The example is copied
// to a temporary directory whose node_modules link to this repository's packages, as
// `npm install` would lay them out.

import { cpSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyExample, runCommand } from "./fixture.js";

const run = runCommand;

describe("examples/branch-errors", { timeout: 120_000 }, () => {
  let dir: string;
  beforeAll(() => {
    dir = copyExample("branch-errors", ["package.json", "tsconfig.json", "src", "fixed"]);
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
