// tsjit/vite's module selection and build cache: a module that reaches tsjit only through a
// re-export (no tsjit name in its text) is still analysed; a second build with unchanged
// sources takes each module's result from the cache, and a changed helper in another module
// makes the next build analyse again (an error planted there fails it).

import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCommand } from "../transformer/fixture.js";
import { createProject, viteBuild } from "./project.js";

// A re-export module and a wrapper: main.ts names neither tsjit nor any of its functions.
const LIB = `export { jit as compile, np } from "tsjit";
export type { NDArray as Arr } from "tsjit";
`;

const HELPER = `import { np, type Arr } from "./lib";

export function shift(x: Arr, by: number): Arr {
  return np.add(x, by);
}
`;

const HELPER_BAD = `import { np, type Arr } from "./lib";

export function shift(x: Arr, by: number): Arr {
  if (by > 0) return np.add(x, by);
  return x;
}
`;

const MAIN = `import { compile, np, type Arr } from "./lib";
import { shift } from "./helper";

export const step = compile((x: Arr<"float32", [3]>, by: number) => shift(x, by).mul(2));
export const twice = compile((x: Arr<"float32", [3]>) => x.mul(2));
const x = np.array([1, 2, 3]);
console.log(JSON.stringify([...step(x, 1).dataSync(), ...twice(x).dataSync(), twice.stats.prebuiltHits]));
`;

const cacheFiles = (dir: string) => {
  try {
    return readdirSync(join(dir, "node_modules/.cache/tsjit")).filter((f) => f.endsWith(".json"));
  } catch {
    return [];
  }
};

describe("tsjit/vite module selection and build cache", { timeout: 120_000 }, () => {
  const project = createProject({ "src/lib.ts": LIB, "src/helper.ts": HELPER, "src/main.ts": MAIN });
  afterAll(() => project.cleanup());

  it("analyses a module that reaches tsjit only through a re-export", async () => {
    expect(MAIN).not.toMatch(/jit|grad|vmap|vjp|jvp|jacfwd|jacrev|hessian|NDArray/);
    await viteBuild(project.dir, "src/main.ts", { cache: false });
    const out = readFileSync(join(project.dir, "out/main.js"), "utf8");
    expect(out).toContain('site: "src/main.ts:4:21"');
    expect(out).toMatch(/kernel: function ?\(rt, consts\)/);
    const run = await runCommand(process.execPath, ["out/main.js"], project.dir);
    expect(run.output.trim()).toBe("[4,6,8,2,4,6,1]");

    const bad = createProject({ "src/lib.ts": LIB, "src/helper.ts": HELPER_BAD, "src/main.ts": MAIN });
    try {
      const error = await viteBuild(bad.dir, "src/main.ts", { cache: false }).then(() => undefined, (e: Error) => e);
      expect(error?.message).toMatch(/src\/main\.ts\(4,69\): error TS990001: In 'shift' \(src\/helper\.ts:4:7\): Traced value 'by' used as an 'if' condition/);
    } finally {
      bad.cleanup();
    }
  });

  it("reuses cached results while the sources are unchanged, and analyses again after a dependency changes", async () => {
    await viteBuild(project.dir, "src/main.ts");
    const [name] = cacheFiles(project.dir);
    expect(name).toBeDefined();
    const path = join(project.dir, "node_modules/.cache/tsjit", name!);
    const first = readFileSync(join(project.dir, "out/main.js"), "utf8");

    // Mark main.ts's cached result: the next build must serve it from the cache.
    const cache = JSON.parse(readFileSync(path, "utf8")) as { entries: Record<string, { code: string | null }> };
    const key = Object.keys(cache.entries).find((k) => k.endsWith("/src/main.ts"))!;
    expect(cache.entries[key]!.code).toContain('site: "src/main.ts:4:21"');
    cache.entries[key]!.code += '\nconsole.log("from the cache");\n';
    writeFileSync(path, JSON.stringify(cache));
    await viteBuild(project.dir, "src/main.ts");
    const second = readFileSync(join(project.dir, "out/main.js"), "utf8");
    expect(second).toContain('console.log("from the cache");');
    expect(second.replace('console.log("from the cache");\n', "")).toBe(first);

    // main.ts is unchanged, but the helper its jit site calls now branches on a traced value.
    project.write("src/helper.ts", HELPER_BAD);
    const error = await viteBuild(project.dir, "src/main.ts").then(() => undefined, (e: Error) => e);
    expect(error?.message).toMatch(/src\/main\.ts\(4,69\): error TS990001: In 'shift'/);

    project.write("src/helper.ts", HELPER);
    await viteBuild(project.dir, "src/main.ts");
    expect(readFileSync(join(project.dir, "out/main.js"), "utf8")).toBe(first);

    // Other plugin options, other output: a cache of their own, the first one left as it is.
    const before = readFileSync(path, "utf8");
    await viteBuild(project.dir, "src/main.ts", { specialize: false });
    expect(readFileSync(join(project.dir, "out/main.js"), "utf8")).not.toMatch(/kernel: function ?\(rt, consts\) \{\s*"use strict"/);
    expect(cacheFiles(project.dir)).toHaveLength(2);
    expect(readFileSync(path, "utf8")).toBe(before);
  });
});
