// Temporary projects built with tsjit's bundler plugin through Vite's and esbuild's JS APIs.
// The project depends on tsjit through node_modules/tsjit -> this repository (see
// test/transformer/fixture.ts); the plugin is the built one (dist/bundler, `npm run build`).

import { createFixture, type Fixture } from "../transformer/fixture.js";
import { build, type InlineConfig, type Logger, type Plugin } from "vite";
import tsjit, { type TsjitPluginOptions } from "../../dist/bundler/vite.mjs";

export const TSCONFIG = JSON.stringify({
  compilerOptions: {
    target: "ES2022",
    module: "ESNext",
    moduleResolution: "Bundler",
    strict: true,
    types: [],
    lib: ["ES2023", "DOM"],
    skipLibCheck: true,
    noEmit: true,
  },
  include: ["src"],
});

export function createProject(files: Record<string, string>): Fixture {
  return createFixture({ "tsconfig.json": TSCONFIG, ...files }, []);
}

export interface ViteBuild {
  readonly warnings: string[];
}

/** Builds `entry` for Node (one self-contained out/main.js with a source map). */
export async function viteBuild(dir: string, entry: string, options: TsjitPluginOptions | false = {}, extra: InlineConfig = {}): Promise<ViteBuild> {
  const warnings: string[] = [];
  const logger: Logger = {
    info() {},
    warn: (msg) => void warnings.push(msg),
    warnOnce: (msg) => void warnings.push(msg),
    error() {},
    clearScreen() {},
    hasErrorLogged: () => false,
    hasWarned: false,
  };
  await build({
    root: dir,
    configFile: false,
    logLevel: "silent",
    customLogger: logger,
    plugins: options === false ? [] : [tsjit(options) as Plugin],
    build: {
      ssr: entry,
      outDir: "out",
      emptyOutDir: true,
      sourcemap: true,
      minify: false,
      rollupOptions: { output: { entryFileNames: "main.js" } },
    },
    ssr: { noExternal: true },
    ...extra,
  });
  return { warnings };
}
