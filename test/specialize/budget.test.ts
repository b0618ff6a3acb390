// Build-time tracing has a time budget: a jitted function whose loop never ends for a
// static value known at build time used to hang `tspc` forever. Its traces now run in a
// worker that is terminated past `specialize.traceTimeoutMs`: the site is traced at run time
// and a TS990006 warning says why, the build succeeds, and a slow but finite site is still
// prebuilt.

import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLUGIN_TRANSFORM, TSPC, createFixture, runNode, type Fixture } from "../transformer/fixture.js";

const SOURCE = `import { jit, np, type NDArray } from "tsjit";

export const spin = jit((x: NDArray<"float32", [number]>, n: 1 | 2) => {
  let k = 0;
  while (k < n) { k = k * 1; }
  return x.mul(k);
}, { staticArgnames: ["n"] });

export const slow = jit((x: NDArray<"float32", [number]>, n: 1 | 2) => {
  let s = 0;
  for (let i = 0; i < 1e7; i++) s += i % 3;
  return x.mul(n).add(s > 0 ? 1 : 0);
}, { staticArgnames: ["n"] });

console.log(JSON.stringify({ y: slow(np.array([1, 2]), 2).tolist(), stats: slow.stats }));
`;

/** tspc, killed if it runs past `ms` (the old build hung forever). */
function tspcWithin(dir: string, ms: number): Promise<{ status: number | null; output: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [TSPC, "-p", "."], { cwd: dir, stdio: ["ignore", "pipe", "pipe"], timeout: ms, killSignal: "SIGKILL" });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, output, ms: Date.now() - started }));
  });
}

describe("the build-time tracing budget", { timeout: 120_000 }, () => {
  let project: Fixture;
  beforeAll(() => {
    project = createFixture({ "src/main.ts": SOURCE }, [{ ...PLUGIN_TRANSFORM, specialize: { traceTimeoutMs: 4000 } }]);
  });
  afterAll(() => project?.cleanup());

  it("stops a trace that never ends with a warning at the site, and still prebuilds a slow but finite one", async () => {
    const build = await tspcWithin(project.dir, 90_000);
    expect(build.status, build.output).toBe(0);
    expect(build.output).toContain("src/main.ts(3,21): warning TS990006: 'spin' for n=1 is traced at run time: tracing it did not finish within 4 s");
    expect(build.output).toContain("its 1 other static combination is not tried");
    const js = readFileSync(join(project.dir, "out/main.js"), "utf8");
    const slowSite = js.slice(js.indexOf("export const slow"));
    expect(slowSite.match(/kernel: function \(rt, consts\)/g)).toHaveLength(2);
    expect(js.slice(0, js.indexOf("export const slow"))).not.toContain("kernel: function");
    // The program runs, served by the slow site's prebuilt kernel.
    const run = await runNode(join(project.dir, "out/main.js"), [], project.dir);
    expect(JSON.parse(run.output)).toEqual({ y: [3, 5], stats: { traces: 0, compiles: 0, hits: 0, prebuiltHits: 1 } });
  });
});
