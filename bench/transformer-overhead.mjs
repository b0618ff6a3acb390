// Build-time cost of tsjit's transformer: compiles a generated 200-file project with and
// without { "transform": "tsjit/transform", "transformProgram": true } and reports the ratio.
// Two measurements: whole `tspc` processes (what a build sees, TypeScript's start-up
// included) and in-process compiles (parse + check + emit only, the stricter ratio).
//
//   npm run build && node bench/transformer-overhead.mjs [files=200] [runs=5]

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";

const require = createRequire(import.meta.url);
const REPO = fileURLToPath(new URL("..", import.meta.url));
const TSPC = join(dirname(require.resolve("ts-patch/package.json")), "bin/tspc.js");
const ts = require("typescript");
const { attach } = require(join(REPO, "dist/transform.cjs"));

const FILES = Number(process.argv[2] ?? 200);
const RUNS = Number(process.argv[3] ?? 5);

function moduleSource(i) {
  const previous = i > 0 ? `import { helper${i - 1} } from "./mod${i - 1}.js";\n` : "";
  const usePrevious = i > 0 ? `helper${i - 1}(x, 1)` : "x";
  return `import { jit, lax, np, type NDArray } from "tsjit";
${previous}
export interface Config${i} {
  readonly scale: number;
  readonly layers: readonly number[];
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

export const layer${i} = jit((x: NDArray, w: NDArray, training: boolean) => {
  let h = normalize${i}(x.matmul(w));
  if (training) h = h.mul(0.9);
  if (h.ndim > 1 && h.shape[0]! > 4) h = np.sum(h, 0);
  const [rows] = h.shape;
  const scaled = rows !== undefined && rows > 2 ? h.mul(2) : h;
  return lax.cond(scaled.sum().gt(0), (a) => a.mul(2), (a) => a.neg(), scaled);
}, { staticArgnames: ["training"] });

export const step${i} = jit((x: NDArray, n: number) => helper${i}(${usePrevious}, n), { staticArgnums: [1] });

export const loop${i} = jit((x: NDArray, steps: number) =>
  lax.foriLoop(0, steps, (t, acc) => acc.add(t).mul(0.5), x));

export class Model${i} {
  private readonly history: number[] = [];
  constructor(readonly config: Config${i}) {}
  describe(): string {
    return \`\${this.config.name}: \${this.config.layers.join("x")} (scale \${this.config.scale})\`;
  }
  record(value: number): number {
    this.history.push(value);
    return this.history.reduce((a, b) => a + b, 0) / this.history.length;
  }
}

export function plain${i}(values: readonly number[], threshold: number): number {
  let sum = 0;
  for (const v of values) {
    if (v > threshold) sum += v;
    else if (v < -threshold) sum -= v;
  }
  return values.length ? sum / values.length : 0;
}

export const table${i}: Record<string, (v: number) => number> = {
  double: (v) => v * 2,
  square: (v) => v * v,
  clamp: (v) => Math.min(Math.max(v, 0), ${i + 1}),
};
`;
}

function createProject(withPlugin) {
  const dir = mkdtempSync(join(tmpdir(), "tsjit-bench-"));
  mkdirSync(join(dir, "src"));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(REPO, join(dir, "node_modules/tsjit"), "dir");
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "bench", private: true, type: "module" }));
  const compilerOptions = {
    target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, types: [],
    lib: ["ES2023", "DOM"], skipLibCheck: true, rootDir: "src", outDir: "out",
    plugins: withPlugin ? [{ transform: "tsjit/transform", transformProgram: true }] : [],
  };
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, include: ["src"] }, null, 2));
  for (let i = 0; i < FILES; i++) writeFileSync(join(dir, `src/mod${i}.ts`), moduleSource(i));
  return dir;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeProcess(dir) {
  rmSync(join(dir, "out"), { recursive: true, force: true });
  const start = performance.now();
  const result = spawnSync(process.execPath, [TSPC, "-p", "."], { cwd: dir, encoding: "utf8" });
  const elapsed = performance.now() - start;
  if (result.status !== 0) throw new Error(`tspc failed in ${dir}:\n${result.stdout}${result.stderr}`);
  return elapsed;
}

/**
 * In one process: a plain compile (program, check, emit), then on the same program tsjit's
 * analysis of every file (TypeScript's own diagnostics are cached by then, as they are when
 * the transformer's wrapper runs after them), and an emit through the site rewriter
 * compared with a second plain emit.
 */
function timeInProcess(dir) {
  const config = ts.getParsedCommandLineOfConfigFile(join(dir, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic() {} });
  const t0 = performance.now();
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
  const diagnostics = ts.getPreEmitDiagnostics(program);
  program.emit(undefined, () => {});
  const t1 = performance.now();
  if (diagnostics.length) throw new Error(ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => dir, getNewLine: () => "\n" }));
  // A second plain emit is the baseline for the emit through the rewriter (both warm).
  program.emit(undefined, () => {});
  const t2 = performance.now();
  attach(ts, program);
  const ours = program.getSemanticDiagnostics();
  const t3 = performance.now();
  program.emit(undefined, () => {});
  const t4 = performance.now();
  if (ours.length) throw new Error(`unexpected diagnostics: ${ours.length}`);
  const plainEmit = t2 - t1;
  // The rewriter's cost: the emit through it minus a plain emit (noise can make it negative).
  return { base: t1 - t0, analysis: t3 - t2, rewrite: t4 - t3 - plainEmit };
}

const withDir = createProject(true);
const withoutDir = createProject(false);
try {
  // Warm the file system cache and check that both projects compile cleanly.
  timeProcess(withDir);
  timeProcess(withoutDir);
  const processTimes = { with: [], without: [] };
  const inProcess = [];
  for (let r = 0; r < RUNS; r++) {
    processTimes.without.push(timeProcess(withoutDir));
    processTimes.with.push(timeProcess(withDir));
    inProcess.push(timeInProcess(withDir));
  }
  console.log(`${FILES} files, ${FILES * 3} jit sites, median of ${RUNS} runs`);
  if (RUNS === 0) throw new Error("no runs");
  const a = median(processTimes.without), b = median(processTimes.with);
  console.log(`tspc -p, whole process:   without ${a.toFixed(0)} ms, with ${b.toFixed(0)} ms -> overhead ${((b / a - 1) * 100).toFixed(1)}%`);
  const base = median(inProcess.map((m) => m.base));
  const analysis = median(inProcess.map((m) => m.analysis));
  const rewrite = median(inProcess.map((m) => m.rewrite));
  console.log(`in process: compile ${base.toFixed(0)} ms; tsjit analysis ${analysis.toFixed(0)} ms + emit rewrite ${rewrite.toFixed(0)} ms -> overhead ${(((analysis + rewrite) / base) * 100).toFixed(1)}%`);
} finally {
  if (process.env.TSJIT_BENCH_KEEP) console.log(`projects kept: ${withDir} ${withoutDir}`);
  else {
    rmSync(withDir, { recursive: true, force: true });
    rmSync(withoutDir, { recursive: true, force: true });
  }
}
