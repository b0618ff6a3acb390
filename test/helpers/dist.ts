// Is dist/ built from the current sources? Tests that load the built package (the golden,
// CLI and tsserver tests through dist/transform.cjs, the CSP test through dist/runtime, the
// pack test through the tarball) would otherwise pass against yesterday's build. The vitest
// global setup rebuilds a stale dist/; the harnesses assert it, so a stale build is a clear
// error instead of a silently old result.

import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");

/**
 * What the shipped outputs are built from: source folders (their .ts files) and the build's
 * configuration. (The examples and benchmarks the build also compiles are not shipped, and
 * no test loads their built form.)
 */
export const BUILD_INPUTS: readonly string[] = ["runtime", "transformer", "scripts/build.mjs", "tsconfig.json", "tsconfig.build.json"];

/** What the tests load. The build removes dist/ first, so the oldest of these dates the build. */
export const BUILD_OUTPUTS: readonly string[] = ["dist/runtime/index.js", "dist/transform.cjs", "dist/ls.cjs"];

interface Stamp {
  readonly path: string;
  readonly mtimeMs: number;
}

function newestInput(root: string, path: string, newest: Stamp | undefined): Stamp | undefined {
  const full = join(root, path);
  if (!existsSync(full)) return newest;
  const st = statSync(full);
  if (st.isDirectory()) {
    for (const name of readdirSync(full)) {
      if (name === "node_modules" || name.startsWith(".")) continue;
      const child = join(path, name);
      if (statSync(join(root, child)).isDirectory() || /\.[mc]?ts$/.test(name)) newest = newestInput(root, child, newest);
    }
    return newest;
  }
  return !newest || st.mtimeMs > newest.mtimeMs ? { path, mtimeMs: st.mtimeMs } : newest;
}

/**
 * Why `root/dist` does not match its sources, or `undefined` when it does: an output is
 * missing, or an input was modified after the oldest output was written.
 */
export function distStaleness(
  root: string = REPO_ROOT,
  inputs: readonly string[] = BUILD_INPUTS,
  outputs: readonly string[] = BUILD_OUTPUTS,
): string | undefined {
  let oldest: Stamp | undefined;
  for (const path of outputs) {
    const full = join(root, path);
    if (!existsSync(full)) return `${path} is missing`;
    const mtimeMs = statSync(full).mtimeMs;
    if (!oldest || mtimeMs < oldest.mtimeMs) oldest = { path, mtimeMs };
  }
  let newest: Stamp | undefined;
  for (const path of inputs) newest = newestInput(root, path, newest);
  if (oldest && newest && newest.mtimeMs > oldest.mtimeMs) {
    const seconds = ((newest.mtimeMs - oldest.mtimeMs) / 1000).toFixed(1);
    return `${relative(root, join(root, newest.path))} was modified ${seconds} s after ${oldest.path} was built`;
  }
  return undefined;
}

/** Throws when dist/ is missing or older than its sources, naming the file and the fix. */
export function assertDistFresh(root: string = REPO_ROOT): void {
  const reason = distStaleness(root);
  if (reason) {
    throw new Error(`dist/ is stale: ${reason}. Run \`npm run build\` (vitest rebuilds it on start and on rerun).`);
  }
}

/** Rebuilds dist/ when it is missing or stale; returns whether it built. */
export function ensureDistFresh(root: string = REPO_ROOT): boolean {
  const reason = distStaleness(root);
  if (!reason) return false;
  console.log(`[tsjit] rebuilding dist/: ${reason}`);
  execFileSync(process.execPath, [join(root, "scripts/build.mjs")], { cwd: root, stdio: "inherit" });
  assertDistFresh(root);
  return true;
}
