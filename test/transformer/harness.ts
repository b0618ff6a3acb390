// In-process compilation of a golden case through ts-patch's live-patched compiler, with
// tsjit's program transformer configured exactly as a user's tsconfig would (by path here).

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type * as TS from "typescript";
import { assertDistFresh } from "../helpers/dist.js";

const require = createRequire(import.meta.url);
/** TypeScript as ts-patch patches it in memory (what `tspc` runs). */
export const ts: typeof TS = require("ts-patch/compiler");

export const REPO = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");
export const CASES = join(REPO, "test/cases");
export const TRANSFORM = join(REPO, "dist/transform.cjs");
// The cases run the built transformer: a stale build would test yesterday's messages.
assertDistFresh(REPO);

/**
 * Extra options of tsjit's plugin entry for a case, from its `plugin.json`. Cases without
 * one test diagnostics and the site rewrite, so build-time specialization is off for them.
 */
export function pluginOptions(dir: string): Record<string, unknown> {
  const path = join(dir, "plugin.json");
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>) : { specialize: false };
}

export function caseOptions(dir: string): TS.CompilerOptions {
  return {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true,
    skipLibCheck: true,
    types: [],
    lib: ["lib.es2023.d.ts", "lib.dom.d.ts"],
    paths: { tsjit: [join(REPO, "runtime/index.ts")] },
    plugins: [{ transform: TRANSFORM, transformProgram: true, ...pluginOptions(dir) } as unknown as TS.PluginImport],
    // Site strings are relative to the tsconfig's directory: the case directory.
    configFilePath: join(dir, "tsconfig.json"),
    newLine: ts.NewLineKind.LineFeed,
  };
}

// Library and runtime sources parse once for all cases (never the case's own files).
const sharedFiles = new Map<string, TS.SourceFile>();

function createHost(options: TS.CompilerOptions, caseDir: string): TS.CompilerHost {
  const host = ts.createCompilerHost(options, true);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    if (fileName.startsWith(caseDir + "/")) return getSourceFile(fileName, languageVersion, onError, shouldCreate);
    let file = sharedFiles.get(fileName);
    if (!file) {
      file = getSourceFile(fileName, languageVersion, onError, shouldCreate);
      if (file) sharedFiles.set(fileName, file);
    }
    return file;
  };
  return host;
}

export interface CaseResult {
  readonly diagnostics: string;
  readonly output: string;
  readonly program: TS.Program;
}

export function caseFiles(dir: string): string[] {
  const others = readdirSync(dir).filter((f) => f.endsWith(".ts") && f !== "input.ts").sort();
  return ["input.ts", ...others].map((f) => join(dir, f));
}

function displayPath(dir: string, fileName: string): string {
  return fileName.startsWith(dir + "/") ? relative(dir, fileName) : `<repo>/${relative(REPO, fileName)}`;
}

export function renderDiagnostic(dir: string, d: TS.Diagnostic): string {
  const where = (file: TS.SourceFile | undefined, start: number | undefined) => {
    if (!file || start === undefined) return "<global>";
    const { line, character } = file.getLineAndCharacterOfPosition(start);
    return `${displayPath(dir, file.fileName)}:${line + 1}:${character + 1}`;
  };
  const category = ts.DiagnosticCategory[d.category].toLowerCase();
  const lines = [`${where(d.file, d.start)} - ${category} TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`];
  for (const r of d.relatedInformation ?? []) lines.push(`  ${where(r.file, r.start)} - ${ts.flattenDiagnosticMessageText(r.messageText, "\n  ")}`);
  return lines.join("\n");
}

export function compileCase(dir: string): CaseResult {
  const options = caseOptions(dir);
  const rootNames = caseFiles(dir);
  const program = ts.createProgram({ rootNames, options, host: createHost(options, dir) });
  const diagnostics: TS.Diagnostic[] = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  for (const name of rootNames) {
    const file = program.getSourceFile(name)!;
    diagnostics.push(...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file));
  }
  let output = "";
  const input = program.getSourceFile(rootNames[0]!)!;
  const emitted = program.emit(input, (name, text) => {
    if (name.endsWith(".js")) output = text;
  });
  // Emit adds its own diagnostics (build-time specialization notes, rewrite failures).
  diagnostics.push(...emitted.diagnostics);
  const rendered = diagnostics.map((d) => renderDiagnostic(dir, d)).join("\n");
  return { diagnostics: rendered ? rendered + "\n" : "", output, program };
}

export function listCases(): string[] {
  return readdirSync(CASES).filter((name) => existsSync(join(CASES, name, "input.ts"))).sort();
}

export function readIfExists(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}

export { dirname };
