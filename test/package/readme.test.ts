// The published package, as a user gets it: the tarball `npm pack` makes, and the README's
// "Using tsjit in your project" section followed from an empty folder (its marked code
// blocks, run as written: install, tsconfig, tspc, node).

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertDistFresh, REPO_ROOT } from "../helpers/dist.js";
import { block, commands, mustRun, npmInstall, pack, readmeBlocks, sh } from "./readme.js";

interface Manifest {
  engines: { node: string };
  main: string;
  types: string;
  exports: Record<string, string | Record<string, string>>;
  files: string[];
}

const README = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
const blocks = readmeBlocks(README);
const manifest = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as Manifest;

let work: string;
let packed: ReturnType<typeof pack>;

beforeAll(() => {
  assertDistFresh();
  work = mkdtempSync(join(tmpdir(), "tsjit-pack-"));
  packed = pack(work);
}, 60_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the tarball", () => {
  it("holds the runtime, the plugin bundles and their manifest, and nothing else", () => {
    const paths = packed.files.map((f) => f.path).sort();
    const shipped = (p: string) =>
      ["package.json", "README.md", "LICENSE", "ls/package.json"].includes(p) ||
      /^dist\/runtime\/.+\.(js|d\.ts|js\.map)$/.test(p) ||
      /^dist\/(transform|ls|specialize-worker)\.cjs(\.map)?$/.test(p) ||
      /^dist\/bundler\/[\w-]+\.(mjs|d\.mts|d\.ts|mjs\.map)$/.test(p);
    expect(paths.filter((p) => !shipped(p))).toEqual([]);
    expect(paths.some((p) => p.startsWith("dist/bench/") || p.startsWith("dist/examples/"))).toBe(false);
    // Every entry point a consumer or a tool resolves is in it.
    const targets = [manifest.main, manifest.types, "ls/package.json", "dist/transform.cjs", "dist/ls.cjs", "dist/specialize-worker.cjs", "dist/runtime/index.d.ts"];
    for (const entry of Object.values(manifest.exports)) targets.push(...(typeof entry === "string" ? [entry] : Object.values(entry)));
    for (const target of targets) expect(paths, target).toContain(target.replace(/^\.\//, ""));
    const ls = JSON.parse(readFileSync(join(REPO_ROOT, "ls/package.json"), "utf8")) as { main: string };
    expect(paths).toContain(join("ls", ls.main));
  });

  it("loads its plugins with a plain require (so ts-patch needs no Node 22 loader hooks)", () => {
    // ts-patch 4.0.1 uses module.registerHooks (Node >= 22.15) only for transformers
    // written in TypeScript; a .cjs entry is require()d, which Node 20 does.
    const ls = JSON.parse(readFileSync(join(REPO_ROOT, "ls/package.json"), "utf8")) as { main: string };
    expect(manifest.exports["./transform"]).toMatch(/\.cjs$/);
    expect(manifest.exports["./ls"]).toMatch(/\.cjs$/);
    expect(ls.main).toMatch(/\.cjs$/);
  });
});

describe("the README", () => {
  it("states the Node.js versions package.json declares, and the one this runs on is among them", () => {
    const minimum = /^>=(\d+)$/.exec(manifest.engines.node)?.[1];
    expect(minimum, `engines.node ${manifest.engines.node}`).toBeDefined();
    expect(README).toContain(`**Node.js ${minimum} or later**`);
    expect(Number(process.versions.node.split(".")[0])).toBeGreaterThanOrEqual(Number(minimum));
    // The pinned build tools are the ones this repository tests with.
    const dev = (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { devDependencies: Record<string, string> }).devDependencies;
    const install = block(blocks, "install");
    expect(install).toContain(`typescript@${dev.typescript}`);
    expect(install).toContain(`ts-patch@${dev["ts-patch"]}`);
  });

  it("refers to no file the package does not ship, and to no issue tracker numbers", () => {
    const shippedPaths = new Set(packed.files.map((f) => f.path));
    const problems: string[] = [];
    for (const [, token] of README.matchAll(/`([^`\s]+)`/g)) {
      // A path of this repository (examples/x.ts, transformer/README.md) that users do not get.
      const path = token!.replace(/^\.\//, "").replace(/\/$/, "");
      if (/[/.]/.test(path) && !path.endsWith(".tgz") && existsSync(join(REPO_ROOT, path)) && !shippedPaths.has(path)) problems.push(token!);
    }
    for (const [match] of README.matchAll(/\bissues? #?\d+|#\d{1,4}\b|DESIGN\.md|\.\.\/|CONTRIBUTING/gi)) problems.push(match);
    expect(problems).toEqual([]);
  });
});

describe("Using tsjit in your project, from an empty folder", () => {
  let project: string;
  let installLog = "";
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(project, path)), { recursive: true });
    writeFileSync(join(project, path), text);
  };

  beforeAll(() => {
    project = join(work, "my-app");
    mkdirSync(project);
    write("package.json", block(blocks, "package.json"));
    for (const line of commands(block(blocks, "install"))) {
      expect(line, "the install block holds npm install commands").toMatch(/^npm (install|i) /);
      installLog += npmInstall(line, project, packed.tarball);
    }
    write("tsconfig.json", block(blocks, "tsconfig.json"));
  }, 120_000);

  it("builds with tspc and prints what the README says", () => {
    write("src/main.ts", block(blocks, "src/main.ts"));
    const output = commands(block(blocks, "run"))
      .map((command) => mustRun(command, project))
      .join("\n");
    for (const line of block(blocks, "output").trim().split("\n")) expect(output).toContain(line);
    // tsjit came from the tarball, not from this repository.
    expect(JSON.parse(readFileSync(join(project, "node_modules/tsjit/package.json"), "utf8"))).toMatchObject({ name: "tsjit" });
    expect(existsSync(join(project, "node_modules/tsjit/dist/bench"))).toBe(false);
  }, 60_000);

  it("installs ts-patch on Node 20 with the EBADENGINE warning the README explains", () => {
    const declared = (JSON.parse(readFileSync(join(project, "node_modules/ts-patch/package.json"), "utf8")) as Manifest).engines.node;
    expect(declared, "ts-patch's engines changed: revisit the README's requirements").toBe(">=22.15.0");
    expect(README.replace(/\s+/g, " ")).toContain("ts-patch 4.0.1 declares Node.js 22.15 or later");
    const [major, minor] = process.versions.node.split(".").map(Number) as [number, number];
    if ((major < 22 || (major === 22 && minor < 15)) && !installLog.includes("(no registry")) {
      expect(installLog).toMatch(/EBADENGINE[\s\S]*ts-patch/);
    }
  });

  it("fails the build with TS990001 on a branch on a traced value", () => {
    write("src/main.ts", block(blocks, "mistake src/main.ts"));
    const [build] = commands(block(blocks, "run"));
    const run = sh(build!, project);
    expect(run.status, run.output).not.toBe(0);
    for (const line of block(blocks, "mistake output").trim().split("\n")) {
      // `…` stands for the rest of the line.
      expect(run.output).toContain(line.replace(/\s*…$/, ""));
    }
    expect(run.output).toMatch(/error TS990001/);
  }, 60_000);
});
