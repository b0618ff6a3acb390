// tsjit/vite end to end: a Vite build runs the analysis and the site rewrite with prebuilt
// kernels (served on the first call, with code generation forbidden), fails on a traced
// branch with tsc's message format, reports warnings as warnings, and maps a run-time
// error's position back to the user's source line.

import { existsSync, readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCommand } from "../transformer/fixture.js";
import { createProject, viteBuild } from "./project.js";

const MODEL = `import { jit, np, type NDArray } from "tsjit";

export const activate = jit((x: NDArray<"float32", ["n"]>, kind: "relu" | "double") =>
  kind === "relu" ? np.maximum(x, 0) : x.mul(2), { staticArgnames: ["kind"] });

/** @jit */
export function triple(x: NDArray<"float32", ["n"]>): NDArray {
  return x.mul(3);
}
`;

const MAIN = `import { jit, np, type NDArray } from "tsjit";
import { activate, triple } from "./model.js";

const x = np.array([-1, 2, 3]);
const shifted = jit((v: NDArray<"float32", [3]>) => v.add(1));
shifted(x);
const result = {
  relu: Array.from(activate(x, "relu").dataSync()),
  double: Array.from(activate(x, "double").dataSync()),
  triple: Array.from(triple(x).dataSync()),
  activate: activate.stats,
};
console.log(JSON.stringify(result));
if (process.argv[2] === "throw") {
  throw new Error("planted failure");
}
`;

describe("tsjit/vite", { timeout: 120_000 }, () => {
  const project = createProject({ "src/model.ts": MODEL, "src/main.ts": MAIN });
  afterAll(() => project.cleanup());

  it("builds with prebuilt kernels that serve the first calls, code generation forbidden", async () => {
    await viteBuild(project.dir, "src/main.ts");
    const out = readFileSync(join(project.dir, "out/main.js"), "utf8");
    expect(out.match(/kernel: function ?\(rt, consts\) \{\s*"use strict"/g)).toHaveLength(4);
    expect(out).toContain('site: "src/model.ts:3:25"');
    const run = await runCommand(process.execPath, ["--disallow-code-generation-from-strings", "out/main.js"], project.dir);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.output.trim())).toEqual({
      relu: [0, 2, 3],
      double: [-2, 4, 6],
      triple: [-3, 6, 9],
      activate: { traces: 0, compiles: 0, hits: 0, prebuiltHits: 2 },
    });
  });

  it("maps a run-time error's stack position to the user's original line", async () => {
    await viteBuild(project.dir, "src/main.ts");
    const run = await runCommand(process.execPath, ["out/main.js", "throw"], project.dir);
    expect(run.status).not.toBe(0);
    const [, line, column] = /out\/main\.js:(\d+):(\d+)/.exec(run.output)!;
    const map = new SourceMap(JSON.parse(readFileSync(join(project.dir, "out/main.js.map"), "utf8")));
    const entry = map.findEntry(Number(line) - 1, Number(column) - 1) as { originalSource: string; originalLine: number; originalColumn: number };
    expect(entry.originalSource).toMatch(/src\/main\.ts$/);
    // main.ts has a jit site (with a prebuilt kernel inserted) above the throw.
    const throwLine = MAIN.split("\n").findIndex((l) => l.includes("new Error"));
    expect(entry.originalLine).toBe(throwLine);
    expect(entry.originalColumn).toBe(MAIN.split("\n")[throwLine]!.indexOf("new Error"));
  });

  it("prebuiltBackends: one entry per listed backend (webgpu and wasm for shapes known at build time)", async () => {
    await viteBuild(project.dir, "src/main.ts", { prebuiltBackends: ["cpu", "webgpu", "wasm"] });
    const out = readFileSync(join(project.dir, "out/main.js"), "utf8");
    expect(out.match(/version: 2,\s*backend: "cpu"/g)).toHaveLength(4);
    // shifted ([3]) directly; activate and triple (["n"]) for the shape of x seen at their calls.
    expect(out.match(/version: 2,\s*backend: "webgpu"/g)).toHaveLength(4);
    expect(out.match(/version: 2,\s*backend: "wasm"/g)).toHaveLength(4);
    expect(out.match(/module: "AGFzbQ/g)).toHaveLength(4); // "\0asm" in base64
    // Each webgpu plan's first input is f32[3] (the bundler may reformat the JSON).
    expect(out.match(/plan: \{\s*"?inputs"?: \[\s*\{\s*"?b"?: 0\s*\}\s*\],\s*"?buffers"?: \[\s*\{\s*"?id"?: 0,\s*"?dtype"?: "float32",\s*"?size"?: 3,/g)).toHaveLength(4);
    const run = await runCommand(process.execPath, ["--disallow-code-generation-from-strings", "out/main.js"], project.dir);
    expect(JSON.parse(run.output.trim()).activate).toEqual({ traces: 0, compiles: 0, hits: 0, prebuiltHits: 2 });
  });

  it("maps positions inside a rewritten module (after the inserted kernels) exactly", async () => {
    // The module's own map, from the plugin's transform: every original token keeps its place.
    await viteBuild(project.dir, "src/main.ts");
    const map = new SourceMap(JSON.parse(readFileSync(join(project.dir, "out/main.js.map"), "utf8")));
    const out = readFileSync(join(project.dir, "out/main.js"), "utf8").split("\n");
    const at = out.findIndex((l) => l.includes("x.mul(3)"));
    expect(at).toBeGreaterThan(0);
    const entry = map.findEntry(at, out[at]!.indexOf("x.mul(3)")) as { originalSource: string; originalLine: number; originalColumn: number };
    expect(entry.originalSource).toMatch(/src\/model\.ts$/);
    expect(entry.originalLine).toBe(7);
    expect(entry.originalColumn).toBe(MODEL.split("\n")[7]!.indexOf("x.mul(3)"));
  });

  it("fails the build on a traced branch with tsc's message format", async () => {
    const bad = createProject({
      "src/main.ts": `import { jit, np, type NDArray } from "tsjit";

export const relu = jit((x: NDArray, threshold: number) => {
  if (x.sum().gt(threshold)) return x;
  return np.maximum(x, 0);
});
`,
    });
    try {
      const error = await viteBuild(bad.dir, "src/main.ts").then(() => undefined, (e: Error) => e);
      expect(error).toBeDefined();
      expect(error!.message).toMatch(/src\/main\.ts\(4,7\): error TS990001: Traced values 'x' and 'threshold' used as an 'if' condition/);
    } finally {
      bad.cleanup();
    }
  });

  it("fails the build on the seed's conditional double, `if (x > threshold)` with threshold static", async () => {
    // The tutorial's example as first written in TypeScript: static `threshold` does not make
    // the branch legal, `x` is still traced (esbuild and Vite strip types, so only tsjit sees it).
    const seed = createProject({
      "src/main.ts": `import { jit, np, type NDArray } from "tsjit";

function conditionalDouble(x: NDArray, threshold: number): NDArray {
  if (x > threshold) return x.mul(2);
  return x;
}

const jitted = jit(conditionalDouble, { staticArgnames: ["threshold"] });
console.log(jitted(np.array([5]), 0).toString());
`,
    });
    try {
      const error = await viteBuild(seed.dir, "src/main.ts").then(() => undefined, (e: Error) => e);
      expect(error?.message).toMatch(/src\/main\.ts\(4,7\): error TS990001: .*'x'.*'if' condition/);
      expect(error?.message).toMatch(/np\.where/);
      expect(existsSync(join(seed.dir, "out/main.js"))).toBe(false);
    } finally {
      seed.cleanup();
    }
  });

  it("reports warnings as warnings and still builds", async () => {
    const warned = createProject({
      "src/main.ts": `import { jit, np, type NDArray } from "tsjit";

const out: number[] = [];
for (let i = 0; i < 2; i++) out.push(jit((x: NDArray) => x.mul(i))(np.array([1])).item());
console.log(JSON.stringify(out));
`,
    });
    try {
      const { warnings } = await viteBuild(warned.dir, "src/main.ts");
      expect(warnings.join("\n")).toMatch(/\[plugin tsjit\] src\/main\.ts\(4,38\): warning TS990003: jit\(\.\.\.\) is created inside a loop/);
      const run = await runCommand(process.execPath, ["out/main.js"], warned.dir);
      expect(run.output.trim()).toBe("[0,1]");
    } finally {
      warned.cleanup();
    }
  });

  it("serves plain-NDArray sites (literal-union mode, boolean gelu, scale(x, 3)) from prebuilt kernels on the first call", async () => {
    const plain = createProject({
      "src/ops.ts": `import { jit, np, type NDArray } from "tsjit";

export const activate = jit((x: NDArray, mode: "relu" | "tanh") =>
  mode === "relu" ? np.maximum(x, 0) : np.tanh(x), { staticArgnames: ["mode"] });

export const gelu = jit((x: NDArray, approximate: boolean) =>
  approximate
    ? x.mul(0.5).mul(np.tanh(x.mul(0.7978845608).mul(x.mul(x).mul(0.044715).add(1))).add(1))
    : x.div(np.exp(x.mul(-1.702)).add(1)), { staticArgnames: ["approximate"] });

export const scale = jit((x: NDArray, k: number) => x.mul(k), { staticArgnums: [1] });
`,
      "src/main.ts": `import { np } from "tsjit";
import { activate, gelu, scale } from "./ops.js";

const x = np.array([[-1, 0.5], [2, -3]]);
const out = {
  relu: Array.from(activate(x, "relu").dataSync()),
  tanh: Array.from(activate(x, "tanh").dataSync(), (v) => Math.round(v * 1e4) / 1e4),
  gelu: Array.from(gelu(x, true).dataSync(), (v) => Math.round(v * 1e4) / 1e4),
  scaled: Array.from(scale(x, 3).dataSync()),
  stats: [activate.stats, gelu.stats, scale.stats],
};
console.log(JSON.stringify(out));
`,
    });
    try {
      const { warnings } = await viteBuild(plain.dir, "src/main.ts", { specialize: { notes: true } });
      expect(warnings.filter((w) => w.includes("is traced at run time"))).toEqual([]);
      const run = await runCommand(process.execPath, ["--disallow-code-generation-from-strings", "out/main.js"], plain.dir);
      expect(run.status).toBe(0);
      const out = JSON.parse(run.output.trim());
      expect(out.relu).toEqual([0, 0.5, 2, 0]);
      expect(out.tanh).toEqual([-0.7616, 0.4621, 0.964, -0.9951]);
      expect(out.gelu).toEqual([-0.1588, 0.3457, 1.9546, -0.0036]);
      expect(out.scaled).toEqual([-3, 1.5, 6, -9]);
      const served = { traces: 0, compiles: 0, hits: 0, prebuiltHits: 1 };
      expect(out.stats).toEqual([{ ...served, prebuiltHits: 2 }, served, served]);
    } finally {
      plain.cleanup();
    }
  });
});
