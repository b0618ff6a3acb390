// `import "tsjit"` stays cheap (bench/import.ts measures it): the package entry is the
// runtime bundled into one file, and nothing heavy is loaded or run at module evaluation —
// the `webgpu` package (Dawn) only on `init("webgpu")`, worker threads only when the wasm
// backend splits work, the wasm SIMD probe on the first wasm lookup.

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { REPO_ROOT as root } from "../helpers/dist.js";

interface Report {
  readonly url: string;
  readonly webgpuBefore: readonly string[];
  readonly workersBefore: readonly string[];
  readonly webgpuAfter: readonly string[];
  readonly backend: string;
}

// Runs in a fresh process: imports the package by name (as a user does), records what Node
// loaded, then asks for the webgpu backend (the positive control: this does load the package,
// whether or not a GPU adapter is found).
const CHILD = `
import { createRequire } from "node:module";
const require = createRequire(process.cwd() + "/");
const url = import.meta.resolve("tsjit");
const m = await import("tsjit");
const webgpu = () => Object.keys(require.cache).filter((k) => k.includes("/node_modules/webgpu/"));
const webgpuBefore = webgpu();
const workersBefore = process.moduleLoadList.filter((x) => x.includes("worker_threads"));
const backend = m.getBackend();
await m.init("webgpu").catch(() => {});
console.log(JSON.stringify({ url, webgpuBefore, workersBefore, webgpuAfter: webgpu(), backend }));
process.exit(0);
`;

describe("import tsjit", () => {
  it("loads the bundled entry, and neither the webgpu package nor worker_threads until asked", () => {
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", CHILD], {
      cwd: root,
      env: { ...process.env, TSJIT_BACKEND: "" },
      encoding: "utf8",
    });
    const r = JSON.parse(out.trim().split("\n").pop()!) as Report;
    expect(r.url).toMatch(/\/dist\/runtime\/tsjit\.js$/);
    expect(r.backend).toBe("cpu");
    expect(r.webgpuBefore).toEqual([]);
    expect(r.workersBefore).toEqual([]);
    // The control: init("webgpu") does load it (dawn.node), so the check above can fail.
    expect(r.webgpuAfter.length).toBeGreaterThan(0);
  }, 60_000);

  it("the bundle imports nothing statically (the webgpu package is a dynamic import)", () => {
    const src = readFileSync(`${root}/dist/runtime/tsjit.js`, "utf8");
    expect(src).not.toMatch(/(^|[;}\n])\s*import\s*[{*\w][^(]*?from\s*["']/);
    expect(src).not.toMatch(/(^|[;}\n])\s*import\s*["']/);
  });
});
