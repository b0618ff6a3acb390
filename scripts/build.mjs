// Build: the ESM runtime, examples and benchmarks through tsc into dist/; the build-time
// transformer and editor plugin bundled by esbuild into CommonJS (ts-patch and tsserver load
// them with require; TypeScript itself stays external: they use the instance they are given).
// The bundler plugin (tsjit/vite, tsjit/esbuild, tsjit/rollup) is ESM, as unplugin is.
// The package ships dist/runtime, the bundles and dist/bundler only (`files` in package.json):
// the examples and benchmarks are built here for `npm start` and `npm run bench`, not published.
import { execFileSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { build } from "esbuild";

const require = createRequire(import.meta.url);
const tsc = require.resolve("typescript/bin/tsc");

rmSync(new URL("../dist", import.meta.url), { recursive: true, force: true });
execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { stdio: "inherit" });

const common = {
  outdir: "dist",
  outExtension: { ".js": ".cjs" },
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  external: ["typescript"],
  sourcemap: true,
  logLevel: "warning",
  // The bundled runtime (build-time specialization) reads import.meta.url; in CommonJS it is
  // this file's URL.
  define: { "import.meta.url": "__tsjit_module_url" },
  banner: { js: 'const __tsjit_module_url = require("node:url").pathToFileURL(__filename).href;' },
};

// The package's entry (`import "tsjit"`): the tsc-built runtime bundled into one ES module.
// Importing 110 separate files costs Node far more (resolving, reading and linking each)
// than parsing one file: `import` + init is a bench row (bench/import.ts). It sits in
// dist/runtime so that errors.ts still tells the runtime's stack frames from the user's by
// path. The `webgpu` package stays a dynamic import (loaded by `init("webgpu")` only), and
// names are kept (no identifier mangling) so that stack traces and `.name` stay readable.
// dist/runtime/index.js stays as tsc wrote it, for the benchmarks and tests that load
// individual runtime modules; one process must use one of the two, never both.
await build({
  entryPoints: { tsjit: "dist/runtime/index.js" },
  outdir: "dist/runtime",
  bundle: true,
  platform: "neutral",
  format: "esm",
  target: "es2022",
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: true,
  logLevel: "warning",
});

// The worker thread that runs build-time traces under a time budget (transformer/specialize/tracer.ts).
await build({ ...common, entryPoints: { "specialize-worker": "transformer/specialize/worker.ts" } });

await build({
  ...common,
  entryPoints: { transform: "transformer/transform/index.ts", ls: "transformer/ls/index.ts" },
  // `module.exports` is the entry's default export itself (tsserver calls it directly;
  // ts-patch accepts a function or `.default`).
  footer: { js: "module.exports = Object.assign(module.exports.default, module.exports);" },
});

await build({
  entryPoints: { vite: "transformer/bundler/vite.ts", esbuild: "transformer/bundler/esbuild.ts", rollup: "transformer/bundler/rollup.ts" },
  outdir: "dist/bundler",
  outExtension: { ".js": ".mjs" },
  bundle: true,
  splitting: true,
  chunkNames: "[name]-[hash]",
  platform: "node",
  format: "esm",
  target: "node20",
  // rolldown (Vite 8's bundler) is loaded when present, for its fast type stripper.
  external: ["typescript", "unplugin", "rolldown/utils"],
  sourcemap: true,
  logLevel: "warning",
});

// Declarations of the plugin entries (the bundle has none of its own).
const options = `export interface TsjitPluginOptions {
  /** The tsconfig to analyze with (default: the nearest tsconfig.json above the root). */
  readonly tsconfig?: string;
  /** The project root (default: Vite's root, else the working directory). */
  readonly root?: string;
  /** Build-time specialization: \`false\` turns it off; \`notes: true\` reports TS990006 as warnings. */
  readonly specialize?: false | { readonly maxSpecializations?: number; readonly notes?: boolean };
  /** Backends to prebuild kernels for (default ["cpu"]; "webgpu" and "wasm" entries need concrete input shapes). */
  readonly prebuiltBackends?: readonly ("cpu" | "webgpu" | "wasm")[];
  /** The TypeScript module to use (default: the project's \`typescript\`). */
  readonly typescript?: unknown;
  /** The build cache's directory, or \`false\` for none (default: node_modules/.cache/tsjit under the root). */
  readonly cache?: false | string;
  /** Keep each prebuilt kernel's jaxpr as a comment in what the bundler is given (default: only under the dev server). */
  readonly debug?: boolean;
}
`;
writeFileSync(new URL("../dist/bundler/options.d.ts", import.meta.url), options);
for (const [entry, type] of [["vite", "VitePlugin"], ["esbuild", "EsbuildPlugin"], ["rollup", "RollupPlugin"]]) {
  writeFileSync(
    new URL(`../dist/bundler/${entry}.d.mts`, import.meta.url),
    `import type { ${type} } from "unplugin";\nimport type { TsjitPluginOptions } from "./options.js";\nexport type { TsjitPluginOptions };\ndeclare const tsjit: (options?: TsjitPluginOptions) => ${type};\nexport default tsjit;\n`,
  );
}
