// tsjit/vite in Vite's dev server: modules are rewritten on request; a traced branch planted
// while the server runs is reported (the error Vite's overlay shows) in tsc's format, also
// for the importer whose jit site calls the edited helper, with the position the overlay's code
// frame shows; fixing it serves the module again. With HMR on, the hot update alone re-checks
// the importer.

import { createServer, type ViteDevServer, type Plugin } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import tsjit from "../../dist/bundler/vite.mjs";
import { createProject } from "./project.js";

const HELPER = `import { np, type NDArray } from "tsjit";

export function shift(x: NDArray, by: number): NDArray {
  return np.add(x, by);
}
`;

const HELPER_BAD = `import { np, type NDArray } from "tsjit";

export function shift(x: NDArray, by: number): NDArray {
  if (by > 0) return np.add(x, by);
  return x;
}
`;

const MAIN = `import { jit, type NDArray } from "tsjit";
import { shift } from "./helper.js";

export const step = jit((x: NDArray, by: number) => shift(x, by));
`;

/** The project with HELPER and MAIN, and a dev server over it (HMR on or off) for the tests of one describe. */
function devServer(hmr: boolean): { project: ReturnType<typeof createProject>; server: () => ViteDevServer } {
  const project = createProject({ "src/helper.ts": HELPER, "src/main.ts": MAIN });
  let server: ViteDevServer | undefined;
  beforeAll(async () => {
    server = await createServer({
      root: project.dir,
      configFile: false,
      logLevel: "silent",
      plugins: [tsjit() as Plugin],
      server: { middlewareMode: true, ws: false, ...(hmr ? {} : { hmr: false }) },
      optimizeDeps: { noDiscovery: true, include: [] },
    });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    project.cleanup();
  });
  return { project, server: () => server! };
}

describe("tsjit/vite dev server", { timeout: 120_000 }, () => {
  const { project, server } = devServer(false);

  it("serves rewritten modules, reports an error planted in a helper, and recovers", async () => {
    const first = await server().transformRequest("/src/main.ts");
    expect(first!.code).toContain('site: "src/main.ts:4:21"');

    project.write("src/helper.ts", HELPER_BAD);
    await server().watcher.emit("change", `${project.dir}/src/helper.ts`);
    server().moduleGraph.invalidateAll();
    const error = await server().transformRequest("/src/main.ts").then(() => undefined, (e: Error) => e);
    expect(error?.message).toMatch(/src\/main\.ts\(4,53\): error TS990001: In 'shift' \(src\/helper\.ts:4:7\): Traced value 'by' used as an 'if' condition/);
    expect((error as { plugin?: string }).plugin).toBe("tsjit");
    // Where the overlay shows its code frame: the first error's position (1-based line, 0-based column).
    expect((error as { loc?: unknown }).loc).toEqual({ file: `${project.dir}/src/main.ts`, line: 4, column: 52 });

    project.write("src/helper.ts", HELPER);
    await server().watcher.emit("change", `${project.dir}/src/helper.ts`);
    server().moduleGraph.invalidateAll();
    const fixed = await server().transformRequest("/src/main.ts");
    expect(fixed!.code).toContain('site: "src/main.ts:4:21"');
  });
});

describe("tsjit/vite dev server with HMR", { timeout: 120_000 }, () => {
  const { project, server } = devServer(true);

  it("re-checks the importer of an edited helper through the hot update alone (no manual invalidation)", async () => {
    await server().transformRequest("/src/helper.ts");
    const first = await server().transformRequest("/src/main.ts");
    expect(first!.code).toContain('site: "src/main.ts:4:21"');
    // Served from the module graph while nothing changes.
    expect(await server().transformRequest("/src/main.ts")).toBe(first);

    project.write("src/helper.ts", HELPER_BAD);
    await server().watcher.emit("change", `${project.dir}/src/helper.ts`);
    await new Promise((r) => setTimeout(r, 200)); // the hot update runs on the watcher event
    const error = await server().transformRequest("/src/main.ts").then(() => undefined, (e: Error) => e);
    expect(error?.message).toMatch(/src\/main\.ts\(4,53\): error TS990001: In 'shift' \(src\/helper\.ts:4:7\)/);

    project.write("src/helper.ts", HELPER);
    await server().watcher.emit("change", `${project.dir}/src/helper.ts`);
    await new Promise((r) => setTimeout(r, 200));
    const fixed = await server().transformRequest("/src/main.ts");
    expect(fixed!.code).toContain('site: "src/main.ts:4:21"');
  });
});
