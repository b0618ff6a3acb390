// Prebuilt entries in production bundles (tsjit/vite): each entry lives in a module of its
// own, so identical entries of different modules are bundled once, an entry whose jitted
// function is unused is dropped with it, and the jaxpr comment is kept only with `debug: true`.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Plugin } from "vite";
import { afterAll, describe, expect, it } from "vitest";
import tsjit, { type TsjitPluginOptions } from "../../dist/bundler/vite.mjs";
import { runCommand } from "../transformer/fixture.js";
import { createProject, viteBuild } from "./project.js";

const layer = (name: string, factor: number) => `import { jit, type NDArray } from "tsjit";
export const ${name} = jit((x: NDArray<"float32", ["n"]>) => x.mul(${factor}).add(1));
`;

const MAIN = `import { np } from "tsjit";
import { a } from "./a.js";
import { b } from "./b.js";
import { c } from "./c.js"; // never called: its jitted function and entry are dropped
const x = np.array([1, 2, 3]);
console.log(JSON.stringify({ a: Array.from(a(x).dataSync()), b: Array.from(b(x).dataSync()), hits: a.stats.prebuiltHits + b.stats.prebuiltHits }));
`;

const KERNEL = /kernel: function ?\(rt, consts\) \{\s*"use strict"/g;

describe("tsjit/vite prebuilt entries", { timeout: 120_000 }, () => {
  // a and b prebuild the same entry; c (imported, never called) its own.
  const project = createProject({ "src/a.ts": layer("a", 2), "src/b.ts": layer("b", 2), "src/c.ts": layer("c", 5), "src/main.ts": MAIN });
  afterAll(() => project.cleanup());

  it("bundles identical entries once, drops unused ones, and strips the jaxpr comment", async () => {
    await viteBuild(project.dir, "src/main.ts", { cache: false });
    const out = readFileSync(join(project.dir, "out/main.js"), "utf8");
    expect(out.match(KERNEL)).toHaveLength(1);
    expect(out).not.toContain('site: "src/c.ts'); // c's kernel is gone with c
    expect(out).toContain('site: "src/a.ts');
    const run = await runCommand(process.execPath, ["--disallow-code-generation-from-strings", "out/main.js"], project.dir);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.output.trim())).toEqual({ a: [3, 5, 7], b: [3, 5, 7], hits: 2 });
  });

  // The bundler drops plain comments from its output: what it is given (the entry modules) is compared.
  const entryModules = async (options: TsjitPluginOptions) => {
    const seen: string[] = [];
    const observer: Plugin = { name: "observer", transform(code, id) { if (id.includes("tsjit-prebuilt:")) seen.push(code); } };
    await viteBuild(project.dir, "src/main.ts", options, { plugins: [tsjit(options) as Plugin, observer] });
    return seen;
  };

  it("gives the bundler the jaxpr comment only with debug: true", async () => {
    const plain = await entryModules({ cache: false });
    expect(plain).toHaveLength(1);
    expect(plain[0]).toMatch(/^export default \{/);
    expect(plain[0]).not.toContain("{ lambda");
    const debug = await entryModules({ cache: false, debug: true });
    expect(debug).toHaveLength(1);
    expect(debug[0]).toMatch(/^export default \/\* \{ lambda ; a:f32\[n\]\. let/);
  });
});
