// What the package test needs: the README's marked code blocks, the packed tarball, and
// commands run the way a user's shell runs them, in a temporary project outside the repo.

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../helpers/dist.js";

/**
 * The README's code blocks marked `<!-- readme-test: NAME -->` on the line before the
 * fence, by name. The test runs exactly these, so the README cannot drift from the package.
 */
export function readmeBlocks(markdown: string): Map<string, string> {
  const blocks = new Map<string, string>();
  const marked = /<!-- readme-test: ([^>]+?) -->\n```[\w-]*\n([\s\S]*?)```/g;
  for (const [, name, body] of markdown.matchAll(marked)) {
    if (blocks.has(name!)) throw new Error(`README: two blocks are marked '${name}'`);
    blocks.set(name!, body!);
  }
  return blocks;
}

export function block(blocks: Map<string, string>, name: string): string {
  const body = blocks.get(name);
  if (body === undefined) throw new Error(`README: no code block marked <!-- readme-test: ${name} --> (found: ${[...blocks.keys()].join(", ")})`);
  return body;
}

/** The commands of a shell block: one a line, comments and blank lines dropped. */
export function commands(body: string): string[] {
  return body
    .split("\n")
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter((line) => line && !line.startsWith("#"));
}

export interface Run {
  readonly status: number | null;
  readonly output: string;
}

/** The environment minus what an outer `npm test` sets for its own package (its prefix, its scripts). */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  const keep = /^npm_config_(registry|cache|userconfig|globalconfig|cafile|noproxy|proxy|https_proxy|strict_ssl)$/i;
  for (const [key, value] of Object.entries(process.env)) {
    if ((/^npm_/i.test(key) && !keep.test(key)) || key === "INIT_CWD") continue;
    env[key] = value;
  }
  // No colors and no progress output in what the assertions read.
  return { ...env, NO_COLOR: "1", FORCE_COLOR: "0", npm_config_progress: "false", npm_config_update_notifier: "false" };
}

export function sh(command: string, cwd: string, timeoutMs = 120_000): Run {
  const result = spawnSync("sh", ["-c", command], { cwd, env: userEnv(), encoding: "utf8", timeout: timeoutMs });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

export function mustRun(command: string, cwd: string, timeoutMs?: number): string {
  const run = sh(command, cwd, timeoutMs);
  if (run.status !== 0) throw new Error(`\`${command}\` in ${cwd} exited with status ${run.status}:\n${run.output}`);
  return run.output;
}

/** `npm pack` of this repository into `dest` (dist/ is already current: the global setup). */
export function pack(dest: string): { readonly tarball: string; readonly files: { path: string; size: number }[] } {
  const out = mustRun(`npm pack --ignore-scripts --json --pack-destination ${JSON.stringify(dest)}`, REPO_ROOT);
  const [info] = JSON.parse(out.slice(out.indexOf("["))) as { filename: string; files: { path: string; size: number }[] }[];
  return { tarball: join(dest, info!.filename), files: info!.files };
}

const NETWORK_ERROR = /ENOTCACHED|EAI_AGAIN|ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|network/i;

/**
 * Runs an `npm install` line of the README with `tsjit` standing for the tarball. Packages
 * come from npm's cache when it has them (`--prefer-offline`), else from the registry. With
 * no registry at all, the pinned build tools are linked from this repository's own
 * node_modules instead, when they are the versions the README pins.
 */
export function npmInstall(line: string, project: string, tarball: string): string {
  const args = line.split(/\s+/).slice(2);
  const withTarball = args.map((a) => (a === "tsjit" ? JSON.stringify(tarball) : a));
  const flags = "--prefer-offline --no-audit --no-fund --fetch-retries=0 --fetch-timeout=20000";
  const run = sh(`npm install ${flags} ${withTarball.join(" ")}`, project);
  if (run.status === 0) return run.output;
  if (!NETWORK_ERROR.test(run.output)) throw new Error(`\`${line}\` failed:\n${run.output}`);
  console.warn(`[readme test] no npm registry or cache for \`${line}\`: linking this repository's node_modules instead`);
  const local = args.map((a) => (a.startsWith("-") || a === "tsjit" ? (a === "tsjit" ? JSON.stringify(tarball) : a) : localCopy(a)));
  return `(no registry: installed from this repository's node_modules)\n${mustRun(`npm install --offline --no-audit --no-fund ${local.join(" ")}`, project)}`;
}

function localCopy(spec: string): string {
  const at = spec.lastIndexOf("@");
  const [name, version] = at > 0 ? [spec.slice(0, at), spec.slice(at + 1)] : [spec, ""];
  const manifest = join(REPO_ROOT, "node_modules", name, "package.json");
  if (!existsSync(manifest)) throw new Error(`no registry, and ${name} is not in this repository's node_modules`);
  const installed = (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version;
  if (version && installed !== version && !installed.startsWith(`${version}.`)) {
    throw new Error(`no registry, and this repository has ${name}@${installed}, not ${spec}`);
  }
  return JSON.stringify(join(REPO_ROOT, "node_modules", name));
}
