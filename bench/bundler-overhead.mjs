// Build-time cost of tsjit's bundler plugin: `vite build` of a generated 200-file project
// with and without tsjit/vite, in one process (Vite's JS API), median of several runs.
// The plugin type-checks what the analysis needs through one LanguageService and prebuilds
// kernels; the build without it only strips types. "cold": no build cache (the first build,
// or any build after a source changed); "warm": the cache the previous build wrote (the
// sources unchanged: a CI rebuild, a second `vite build`).
//
//   npm run build && node bench/bundler-overhead.mjs [files=200] [runs=5]

import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { createRequire } from "node:module";
import { build } from "vite";

const ts = createRequire(import.meta.url)("typescript");

const REPO = fileURLToPath(new URL("..", import.meta.url));
const { default: tsjit } = await import(join(REPO, "dist/bundler/vite.mjs"));

const FILES = Number(process.argv[2] ?? 200);
const RUNS = Number(process.argv[3] ?? 5);

function moduleSource(i) {
  const previous = i > 0 ? `import { helper${i - 1} } from "./mod${i - 1}";\n` : "";
  return `import { jit, lax, np, type NDArray } from "tsjit";
${previous}
export interface Config${i} {
  readonly scale: number;
  readonly name: string;
}

function normalize${i}(x: NDArray): NDArray {
  const mean = np.mean(x);
  const centered = x.sub(mean);
  return centered.div(np.sqrt(np.mean(centered.mul(centered))).add(1e-5));
}

export function helper${i}(x: NDArray, k: number): NDArray {
  let y = x;
  for (let j = 0; j < k; j++) y = y.mul(1.5).add(j);
  return y;
}

export const layer${i} = jit((x: NDArray<"float32", ["batch", 8]>, w: NDArray<"float32", [8, 4]>, training: boolean) => {
  let h = normalize${i}(x.matmul(w));
  if (training) h = h.mul(0.9);
  return lax.cond(h.sum().gt(0), (a) => a.mul(2), (a) => a.neg(), h);
}, { staticArgnames: ["training"] });

export const step${i} = jit((x: NDArray, n: number) => helper${i}(${i > 0 ? `helper${i - 1}(x, 1)` : "x"}, n), { staticArgnums: [1] });

export class Model${i} {
  private readonly history: number[] = [];
  constructor(readonly config: Config${i}) {}
  describe(): string {
    return \`\${this.config.name} (scale \${this.config.scale})\`;
  }
  record(value: number): number {
    this.history.push(value);
    return this.history.reduce((a, b) => a + b, 0) / this.history.length;
  }
}

export function run${i}(x: NDArray): NDArray {
  return step${i}(layer${i}(x, np.ones([8, 4]), false), 2);
}
`;
}

function createProject() {
  const dir = mkdtempSync(join(tmpdir(), "tsjit-bundler-bench-"));
  mkdirSync(join(dir, "src"));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(REPO, join(dir, "node_modules/tsjit"), "dir");
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "bench", private: true, type: "module" }));
  const compilerOptions = {
    target: "ES2022", module: "ESNext", moduleResolution: "Bundler", strict: true, types: [],
    lib: ["ES2023", "DOM"], skipLibCheck: true, noEmit: true,
  };
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, include: ["src"] }, null, 2));
  for (let i = 0; i < FILES; i++) writeFileSync(join(dir, `src/mod${i}.ts`), moduleSource(i));
  const imports = Array.from({ length: FILES }, (_, i) => `import { run${i} } from "./mod${i}";`).join("\n");
  const calls = Array.from({ length: FILES }, (_, i) => `run${i}`).join(", ");
  writeFileSync(join(dir, "src/main.ts"), `${imports}\nexport const all = [${calls}];\n`);
  return dir;
}

async function timeBuild(dir, withPlugin, options = {}) {
  const start = performance.now();
  await build({
    root: dir,
    configFile: false,
    logLevel: "silent",
    plugins: withPlugin ? [tsjit(options)] : [],
    build: { ssr: "src/main.ts", outDir: withPlugin ? "out-with" : "out-without", emptyOutDir: true, sourcemap: true, minify: false },
    ssr: { noExternal: true },
  });
  return performance.now() - start;
}

/** `tsc --noEmit` on the same project, in process: what Vite's template runs before `vite build`. */
function timeTypecheck(dir) {
  const start = performance.now();
  const config = ts.getParsedCommandLineOfConfigFile(join(dir, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic() {} });
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
  const diagnostics = ts.getPreEmitDiagnostics(program);
  if (diagnostics.length) throw new Error(ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => dir, getNewLine: () => "\n" }));
  return performance.now() - start;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const dir = createProject();
try {
  await timeBuild(dir, false); // warm the file system cache and Vite's own start-up
  const times = { with: [], warm: [], without: [], unspecialized: [], typecheck: [] };
  for (let r = 0; r < RUNS; r++) {
    times.without.push(await timeBuild(dir, false));
    times.with.push(await timeBuild(dir, true, { cache: false }));
    await timeBuild(dir, true); // writes the cache
    times.warm.push(await timeBuild(dir, true));
    times.unspecialized.push(await timeBuild(dir, true, { specialize: false, cache: false }));
    times.typecheck.push(timeTypecheck(dir));
  }
  const a = median(times.without), b = median(times.with), w = median(times.warm), c = median(times.unspecialized), t = median(times.typecheck);
  console.log(`${FILES} files, ${FILES * 2} jit sites, median of ${RUNS} runs`);
  console.log(`vite build without tsjit/vite:          ${a.toFixed(0)} ms`);
  console.log(`vite build with tsjit/vite, cold:       ${b.toFixed(0)} ms -> ${(b / a).toFixed(2)}x`);
  console.log(`vite build with tsjit/vite, warm cache: ${w.toFixed(0)} ms -> ${(w / a).toFixed(2)}x`);
  console.log(`  cold with { specialize: false }:      ${c.toFixed(0)} ms -> ${(c / a).toFixed(2)}x`);
  console.log(`tsc --noEmit && vite build (template):  ${(t + a).toFixed(0)} ms; tsjit/vite cold instead of tsc: ${(b / (t + a)).toFixed(2)}x`);
} finally {
  if (process.env.TSJIT_BENCH_KEEP) console.log(`project kept: ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
