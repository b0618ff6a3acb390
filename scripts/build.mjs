// Build: the ESM runtime, examples and benchmarks through tsc into dist/; the build-time
// transformer and editor plugin bundled by esbuild into CommonJS (ts-patch and tsserver load
// them with require; TypeScript itself stays external: they use the instance they are given).
// The package ships dist/runtime and the two bundles only (`files` in package.json): the
// examples and benchmarks are built here for `npm start` and `npm run bench`, not published.
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
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

// The worker thread that runs build-time traces under a time budget (transformer/specialize/tracer.ts).
await build({ ...common, entryPoints: { "specialize-worker": "transformer/specialize/worker.ts" } });

await build({
  ...common,
  entryPoints: { transform: "transformer/transform/index.ts", ls: "transformer/ls/index.ts" },
  // `module.exports` is the entry's default export itself (tsserver calls it directly;
  // ts-patch accepts a function or `.default`).
  footer: { js: "module.exports = Object.assign(module.exports.default, module.exports);" },
});
