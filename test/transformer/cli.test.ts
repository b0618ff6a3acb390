// End to end: tspc (ts-patch) on a project configured with { "transform": "tsjit/transform",
// "transformProgram": true }, in every CLI mode. Exit codes must be plain tsc's for a project
// with an ordinary type error in the same mode.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROKEN_SOURCE, FIXED_SOURCE, TSC, TSPC, TYPE_ERROR_SOURCE, createFixture, runNode, type Fixture } from "./fixture.js";

const ANNOTATED_SOURCE = `import { jit, np, type NDArray } from "tsjit";

const values = [1, 2, 3].map(() => power(np.array([2]), 3).item());
console.log(values.join(" "));

/**
 * @jit
 * @static n
 */
export function power(x: NDArray, n: number): NDArray {
  console.log(\`tracing power n=\${n}\`);
  let y = x;
  for (let i = 1; i < n; i++) y = y.mul(x);
  return y;
}

console.log(power(np.array([2]), 2).item());

const double = jit((x: number) => np.multiply(x, 2));
console.log("double:", double(3).item());
`;

const ALWAYS_TRUTHY_SOURCE = `import { np } from "tsjit";

export function positive(v: number[]): boolean {
  if (np.array(v).sum().gt(0)) return true;
  return false;
}
`;

const FIX_TEXT = "Use np.where(cond, a, b) for elementwise selection or lax.cond(pred, trueFn, falseFn, ...operands) for control flow, or mark 'x' static";

let broken: Fixture;
let control: Fixture;

beforeAll(() => {
  broken = createFixture({ "src/main.ts": BROKEN_SOURCE });
  control = createFixture({ "src/main.ts": TYPE_ERROR_SOURCE }, []);
});

afterAll(() => {
  broken?.cleanup();
  control?.cleanup();
});

function fresh(fixture: Fixture) {
  fixture.remove("out");
  fixture.remove("tsconfig.tsbuildinfo");
}

/** Runs tspc on the broken project and plain tsc on the control project with the same flags. */
async function both(args: string[]) {
  fresh(broken);
  fresh(control);
  const [ours, theirs] = await Promise.all([runNode(TSPC, args, broken.dir), runNode(TSC, args, control.dir)]);
  expect(theirs.output).toContain("TS2322");
  return { ours, theirs };
}

describe("tspc with tsjit/transform", { timeout: 120_000 }, () => {
  it("reports TS990001 with the fix and emits the rewritten site (exit code as tsc's)", async () => {
    const { ours, theirs } = await both(["-p", "."]);
    expect(ours.output).toContain("src/main.ts(4,7): error TS990001: Traced value 'x' used as an 'if' condition");
    expect(ours.output).toContain(FIX_TEXT);
    expect(ours.status).toBe(theirs.status);
    expect(ours.status).toBe(2);
    const js = readFileSync(join(broken.dir, "out/main.js"), "utf8");
    expect(js).toContain(`{ params: ["x", "threshold"], site: "src/main.ts:8:23" }`);
  });

  it("--noEmit reports the diagnostics and writes nothing", async () => {
    const { ours, theirs } = await both(["-p", ".", "--noEmit"]);
    expect(ours.output).toContain("error TS990001");
    expect(ours.status).toBe(theirs.status);
    expect(existsSync(join(broken.dir, "out"))).toBe(false);
  });

  it("--noEmitOnError writes nothing", async () => {
    const { ours, theirs } = await both(["-p", ".", "--noEmitOnError"]);
    expect(ours.output).toContain("error TS990001");
    expect(ours.status).toBe(theirs.status);
    expect(existsSync(join(broken.dir, "out"))).toBe(false);
  });

  it("-b reports the diagnostics", async () => {
    const { ours, theirs } = await both(["-b", "."]);
    expect(ours.output).toContain("error TS990001");
    expect(ours.status).toBe(theirs.status);
  });

  it("--incremental reports them again from the build info", async () => {
    fresh(broken);
    const first = await runNode(TSPC, ["-p", ".", "--incremental"], broken.dir);
    expect(first.output).toContain("error TS990001");
    expect(existsSync(join(broken.dir, "tsconfig.tsbuildinfo"))).toBe(true);
    const second = await runNode(TSPC, ["-p", ".", "--incremental"], broken.dir);
    expect(second.output).toContain("error TS990001");
    expect(second.output).toContain(FIX_TEXT);
    expect(second.status).toBe(first.status);
  });

  it("passes with exit code 0 once fixed", async () => {
    const fixed = createFixture({ "src/main.ts": FIXED_SOURCE });
    try {
      const result = await runNode(TSPC, ["-p", "."], fixed.dir);
      expect(result.output).toBe("");
      expect(result.status).toBe(0);
    } finally {
      fixed.cleanup();
    }
  });

  it("emitted code runs: sites carry metadata, @jit functions are jitted and stay hoisted", async () => {
    const project = createFixture({ "src/main.ts": ANNOTATED_SOURCE });
    try {
      const build = await runNode(TSPC, ["-p", "."], project.dir);
      expect(build.output).toBe("");
      expect(build.status).toBe(0);
      const run = await runNode(join(project.dir, "out/main.js"), [], project.dir);
      expect(run.status).toBe(0);
      // Called before its declaration; traced once per static n, then served from the cache.
      expect(run.output.trim().split("\n")).toEqual(["tracing power n=3", "8 8 8", "tracing power n=2", "4", "double: 6"]);
    } finally {
      project.cleanup();
    }
  });

  it("--watch reports, then clears the error when the file is fixed", async () => {
    const watched = createFixture({ "src/main.ts": BROKEN_SOURCE });
    const child = spawn(process.execPath, [TSPC, "-p", ".", "--watch", "--preserveWatchOutput"], { cwd: watched.dir, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const waitFor = (text: string, timeoutMs = 30_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${JSON.stringify(text)}; output:\n${output}`)), timeoutMs);
        const check = () => {
          if (output.includes(text)) {
            clearTimeout(timer);
            resolve();
          }
        };
        child.stdout.on("data", (d) => {
          output += d;
          check();
        });
        check();
      });
    try {
      await waitFor("Found 1 error. Watching for file changes.");
      expect(output).toContain("error TS990001");
      watched.write("src/main.ts", FIXED_SOURCE);
      await waitFor("Found 0 errors. Watching for file changes.");
    } finally {
      child.kill();
      watched.cleanup();
    }
  });

  it("reports TS990007 (an NDArray as a condition, outside jit) in every mode", async () => {
    const eager = createFixture({ "src/main.ts": ALWAYS_TRUTHY_SOURCE });
    try {
      for (const args of [["-p", "."], ["-p", ".", "--noEmit"], ["-p", ".", "--noEmitOnError"], ["-b", "."], ["-p", ".", "--incremental"], ["-p", ".", "--incremental"]]) {
        const result = await runNode(TSPC, args, eager.dir);
        expect(result.output, args.join(" ")).toContain("src/main.ts(4,7): error TS990007: An NDArray used as an 'if' condition is always truthy");
        expect(result.status, args.join(" ")).not.toBe(0);
      }
    } finally {
      eager.cleanup();
    }
  });
});
