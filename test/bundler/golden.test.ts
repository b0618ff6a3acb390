// Golden outputs of tsjit's bundler plugin: the same module bundled by Vite (tsjit/vite) and
// by esbuild (tsjit/esbuild), with tsjit external so that only the user's code is compared.
// UPDATE_GOLDEN=1 rewrites test/bundler/golden/{vite,esbuild}.js (review every change).

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build as esbuild, type Plugin as EsbuildPlugin } from "esbuild";
import { build, type Plugin } from "vite";
import { describe, expect, it } from "vitest";
import tsjitVite from "../../dist/bundler/vite.mjs";
import tsjitEsbuild from "../../dist/bundler/esbuild.mjs";
import { REPO } from "../transformer/harness.js";

const GOLDEN = join(REPO, "test/bundler/golden");

function compare(name: string, actual: string): void {
  const path = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN || !existsSync(path)) writeFileSync(path, actual);
  expect(actual).toBe(readFileSync(path, "utf8"));
}

describe("bundler plugin golden outputs", { timeout: 120_000 }, () => {
  it("vite", async () => {
    const result = await build({
      root: GOLDEN,
      configFile: false,
      logLevel: "silent",
      plugins: [tsjitVite({ specialize: false, tsconfig: join(GOLDEN, "tsconfig.json") }) as Plugin],
      build: { ssr: "src/main.ts", write: false, minify: false },
      ssr: { external: ["tsjit"] },
    });
    const output = (Array.isArray(result) ? result[0]! : result) as { output: { code?: string }[] };
    compare("vite.js", output.output[0]!.code!);
  });

  it("esbuild", async () => {
    const result = await esbuild({
      entryPoints: [join(GOLDEN, "src/main.ts")],
      bundle: true,
      write: false,
      format: "esm",
      platform: "node",
      external: ["tsjit"],
      logLevel: "silent",
      plugins: [tsjitEsbuild({ specialize: false, root: GOLDEN, tsconfig: join(GOLDEN, "tsconfig.json") }) as EsbuildPlugin],
    });
    compare("esbuild.js", result.outputFiles[0]!.text);
  });
});
