// Temporary projects for end-to-end runs of tspc, tsc and tsserver. The project depends on
// tsjit through node_modules/tsjit -> this repository (as `npm install` of a local path
// would), so `"transform": "tsjit/transform"` and `import ... from "tsjit"` resolve as they
// do for users. dist/ must be current: vitest's global setup builds it, and the harness
// import below fails with the reason when it is stale.

import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { REPO } from "./harness.js";

const require = createRequire(import.meta.url);
export const TSPC = join(dirname(require.resolve("ts-patch/package.json")), "bin/tspc.js");
export const TSC = require.resolve("typescript/bin/tsc");
export const TSSERVER = require.resolve("typescript/lib/tsserver.js");

export const PLUGIN_TRANSFORM = { transform: "tsjit/transform", transformProgram: true };
export const PLUGIN_LS = { name: "tsjit/ls" };

export function compilerOptions(plugins: object[]): Record<string, unknown> {
  return {
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    types: [],
    lib: ["ES2023", "DOM"],
    outDir: "out",
    rootDir: "src",
    skipLibCheck: true,
    plugins,
  };
}

export interface Fixture {
  readonly dir: string;
  write(path: string, text: string): void;
  remove(path: string): void;
  cleanup(): void;
}

export function createFixture(files: Record<string, string>, plugins: object[] = [PLUGIN_TRANSFORM]): Fixture {
  const dir = mkdtempSync(join(tmpdir(), "tsjit-e2e-"));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(REPO, join(dir, "node_modules/tsjit"), "dir");
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  write("package.json", JSON.stringify({ name: "fixture", private: true, type: "module" }));
  write("tsconfig.json", JSON.stringify({ compilerOptions: compilerOptions(plugins), include: ["src"] }, null, 2));
  for (const [path, text] of Object.entries(files)) write(path, text);
  return {
    dir,
    write,
    remove: (path) => rmSync(join(dir, path), { recursive: true, force: true }),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface RunResult {
  readonly status: number | null;
  readonly output: string;
}

/** Runs a Node script (tspc, tsc) in `cwd`, collecting stdout and stderr. */
export function runNode(script: string, args: readonly string[], cwd: string): Promise<RunResult> {
  return runCommand(process.execPath, [script, ...args], cwd);
}

/** Runs a command (`npm run build`) in `cwd`, collecting stdout and stderr. */
export function runCommand(command: string, args: readonly string[], cwd: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, output }));
  });
}

/** The seed's mistake, and the same program done right. */
export const BROKEN_SOURCE = `import { jit, np } from "tsjit";

function conditionalDouble(x: number, threshold: number) {
  if (x > threshold) return np.multiply(x, 2);
  return np.asarray(x);
}

export const jitted = jit(conditionalDouble, { staticArgnames: ["threshold"] });
`;

export const FIXED_SOURCE = `import { jit, np } from "tsjit";

function conditionalDouble(x: number, threshold: number) {
  return np.where(np.greater(x, threshold), np.multiply(x, 2), x);
}

export const jitted = jit(conditionalDouble, { staticArgnames: ["threshold"] });
`;

/** An ordinary TypeScript error, for comparing tspc's exit codes with plain tsc's. */
export const TYPE_ERROR_SOURCE = `export const n: number = "not a number";\n`;

/**
 * A copy of `examples/<name>` (the given entries) in a temporary directory whose
 * node_modules link tsjit, typescript and ts-patch as `npm install` would, so `npm run
 * build` (tspc) and `npm start` work there.
 */
export function copyExample(name: string, entries: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), `tsjit-${name}-`));
  for (const entry of entries) cpSync(join(REPO, "examples", name, entry), join(dir, entry), { recursive: true });
  mkdirSync(join(dir, "node_modules/.bin"), { recursive: true });
  symlinkSync(REPO, join(dir, "node_modules/tsjit"), "dir");
  for (const pkg of ["typescript", "ts-patch"]) symlinkSync(dirname(require.resolve(`${pkg}/package.json`)), join(dir, "node_modules", pkg), "dir");
  symlinkSync("../ts-patch/bin/tspc.js", join(dir, "node_modules/.bin/tspc"));
  return dir;
}
