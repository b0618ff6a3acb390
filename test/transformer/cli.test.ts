// End to end: tspc (ts-patch) on a project configured with { "transform": "tsjit/transform",
// "transformProgram": true }, in every CLI mode. Exit codes must be plain tsc's for a project
// with an ordinary type error in the same mode.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROKEN_SOURCE, FIXED_SOURCE, PLUGIN_TRANSFORM, TSC, TSPC, TYPE_ERROR_SOURCE, createFixture, runNode, type Fixture } from "./fixture.js";

const ANNOTATED_SOURCE = `import { asJitted, jit, np, type NDArray } from "tsjit";

// The jitted function's members are there before the declaration runs (typed through asJitted).
console.log("cache", asJitted(power).cacheSize());
const values = [1, 2, 3].map(() => power(np.array([2]), 3).item());
console.log(values.join(" "));
console.log("stats", JSON.stringify(asJitted(power).stats));

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

export function outer(x: NDArray) {
  "use strict";
  const before = asJitted(inner).lower(x).asText();
  /** @jit */
  function inner(y: NDArray) { return y.add(1); }
  inner(x);
  return [before.split("\\n")[0], asJitted(inner).stats.traces, asJitted(inner).stats.prebuiltHits, asJitted(inner).fn.name];
}
console.log(JSON.stringify(outer(np.ones([2]))));
try { asJitted((x: number) => x); } catch (e) { console.log((e as Error).message.split("\\n")[0]); }
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
      // inner (one plain NDArray parameter) is served by its prebuilt flat elementwise kernel.
      expect(run.output.trim().split("\n")).toEqual([
        "cache 0",
        "tracing power n=3",
        "8 8 8",
        'stats {"traces":1,"compiles":1,"hits":2,"prebuiltHits":0}',
        "tracing power n=2",
        "4",
        "double: 6",
        '["{ lambda ; a:f32[2]. let b:f32[2] = add a 1.0:f32[] in (b,) }",0,1,"inner"]',
        "asJitted: '<anonymous>' is not a jitted function.",
      ]);
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

  /** Runs tspc --watch until `text` appears; returns the output. */
  async function watchUntil(dir: string, text: string, timeoutMs = 60_000): Promise<string> {
    const child = spawn(process.execPath, [TSPC, "-p", ".", "--watch", "--preserveWatchOutput"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${JSON.stringify(text)}; output:\n${output}`)), timeoutMs);
        child.stdout.on("data", (d) => {
          output += d;
          if (output.includes(text)) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
    } finally {
      child.kill();
    }
    return output;
  }

  describe("a warning does not fail the build (tsc fails on any diagnostic it is given)", () => {
    let warned: Fixture;
    beforeAll(() => {
      warned = createFixture({ "src/main.ts": WARNING_SOURCE });
    });
    afterAll(() => warned?.cleanup());

    const modes: [string, string[]][] = [
      ["plain", ["-p", "."]],
      ["--noEmit", ["-p", ".", "--noEmit"]],
      ["--noEmitOnError", ["-p", ".", "--noEmitOnError"]],
      ["-b", ["-b", "."]],
      ["--incremental", ["-p", ".", "--incremental"]],
    ];
    for (const [mode, args] of modes) {
      it(`${mode}: exit 0 with the warning printed`, async () => {
        fresh(warned);
        const result = await runNode(TSPC, args, warned.dir);
        expect(result.output).toContain(WARNING_TEXT);
        expect(result.output).not.toContain("error");
        expect(result.status).toBe(0);
        if (mode !== "--noEmit") expect(existsSync(join(warned.dir, "out/main.js"))).toBe(true);
      });
    }

    it("--watch: the warning printed, and 'Found 0 errors'", async () => {
      fresh(warned);
      const output = await watchUntil(warned.dir, "Found 0 errors. Watching for file changes.");
      expect(output).toContain(WARNING_TEXT);
    });

    it("a warning with an error: exit status as tsc's with an error, both printed", async () => {
      const both = createFixture({ "src/main.ts": WARNING_SOURCE, "src/broken.ts": BROKEN_SOURCE });
      try {
        for (const args of [["-p", "."], ["-p", ".", "--noEmit"], ["-b", "."]]) {
          both.remove("out");
          both.remove("tsconfig.tsbuildinfo");
          fresh(control);
          const [result, theirs] = await Promise.all([runNode(TSPC, args, both.dir), runNode(TSC, args, control.dir)]);
          expect(result.output).toContain(WARNING_TEXT);
          expect(result.output).toContain("error TS990001");
          expect(result.status, args.join(" ")).toBe(theirs.status);
          expect(result.status).not.toBe(0);
        }
      } finally {
        both.cleanup();
      }
    });

    it("TS990006 notes show with --noEmit too, and do not fail it", async () => {
      const noted = createFixture({ "src/main.ts": NOTED_SOURCE }, [{ ...PLUGIN_TRANSFORM, specialize: { notes: true } }]);
      try {
        for (const args of [["-p", ".", "--noEmit"], ["-p", "."], ["-b", "."]]) {
          noted.remove("out");
          noted.remove("tsconfig.tsbuildinfo");
          const result = await runNode(TSPC, args, noted.dir);
          expect(result.output, args.join(" ")).toContain("message TS990006: 'scale': no call site shows the shapes of plain NDArray 'x'; prebuilding one elementwise kernel for any shape and dtype float32 they share.");
          expect(result.status).toBe(0);
        }
      } finally {
        noted.cleanup();
      }
    });
  });
});

const WARNING_SOURCE = `import { jit, np, type NDArray } from "tsjit";

export function sums(xs: NDArray[]): number[] {
  const out: number[] = [];
  for (const x of xs) {
    const total = jit((v: NDArray) => v.sum());
    out.push(total(x).item() as number);
  }
  return out;
}
`;

const WARNING_TEXT = "src/main.ts(6,19): warning TS990003: jit(...) is created inside a loop";

const NOTED_SOURCE = `import { jit, type NDArray } from "tsjit";

export const scale = jit((x: NDArray) => x.mul(2));
`;
