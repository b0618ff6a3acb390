// One LanguageService over the project's tsconfig, kept for the life of the bundler process.
// The bundler hands us each module's source; a file whose text changed gets a new version, so
// the service re-parses and re-checks only what changed (as an editor does), and a build whose
// files match the disk reuses one Program for every module.

import type * as TS from "typescript";
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { TypeScript } from "../analysis/index.js";
import { createReachability } from "./reach.js";

export interface ProjectService {
  /** The tsconfig the service was built from (undefined: defaults, no config found). */
  readonly configFile: string | undefined;
  readonly root: string;
  /** Records `text` as the current content of `fileName` (a no-op when unchanged). */
  update(fileName: string, text: string): void;
  /** Forgets an override: the file is read from disk again (on change or delete). */
  invalidate(fileName: string): void;
  program(): TS.Program;
  /** Whether the module can reach tsjit's API through its imports (see reach.ts). */
  reachesTsjit(fileName: string, text: string): boolean;
  /** Every file the service has read: the programs' sources, the tsconfig, the modules seen. */
  dependencies(): Set<string>;
}

interface Entry {
  version: number;
  text: string | undefined;
  snapshot: TS.IScriptSnapshot | undefined;
}

export function createProjectService(ts: TypeScript, root: string, tsconfig?: string): ProjectService {
  const configFile = tsconfig ? resolve(root, tsconfig) : ts.findConfigFile(root, ts.sys.fileExists, "tsconfig.json");
  let options: TS.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, strict: true, skipLibCheck: true };
  let rootNames: string[] = [];
  if (configFile) {
    const parsed = ts.getParsedCommandLineOfConfigFile(configFile, {}, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(`tsjit: cannot read ${configFile}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
      },
    });
    if (parsed) {
      options = parsed.options;
      rootNames = parsed.fileNames;
    }
  }
  const files = new Map<string, Entry>();
  const roots = new Set(rootNames.map(normalize));
  let projectVersion = 0;

  const entry = (fileName: string): Entry => {
    let e = files.get(fileName);
    if (!e) files.set(fileName, (e = { version: 0, text: undefined, snapshot: undefined }));
    return e;
  };

  const host: TS.LanguageServiceHost = {
    getProjectVersion: () => String(projectVersion),
    getCompilationSettings: () => options,
    getScriptFileNames: () => [...roots],
    getScriptVersion: (fileName) => String(files.get(normalize(fileName))?.version ?? 0),
    getScriptSnapshot: (fileName) => {
      const e = entry(normalize(fileName));
      if (!e.snapshot) {
        const text = e.text ?? readText(fileName);
        if (text === undefined) return undefined;
        e.text = text;
        e.snapshot = ts.ScriptSnapshot.fromString(text);
      }
      return e.snapshot;
    },
    getCurrentDirectory: () => (configFile ? dirname(configFile) : root),
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: (f) => files.get(normalize(f))?.text !== undefined || ts.sys.fileExists(f),
    readFile: (f) => files.get(normalize(f))?.text ?? ts.sys.readFile(f),
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
    realpath: ts.sys.realpath,
    useCaseSensitiveFileNames: () => ts.sys.useCaseSensitiveFileNames,
    // As tsc parses: JSDoc only where types can come from it (JavaScript files). An editor's
    // service parses every comment of every declaration file (lib.dom.d.ts...) for quick info;
    // the analysis reads its `@jit` annotations from the comment text (annotations.ts).
    jsDocParsingMode: ts.JSDocParsingMode?.ParseForTypeErrors,
  };
  const currentText = (fileName: string): string | undefined => {
    const e = entry(normalize(fileName));
    return (e.text ??= readText(fileName));
  };
  const reachability = createReachability(ts, () => options, currentText);

  const registry = ts.createDocumentRegistry(ts.sys.useCaseSensitiveFileNames, host.getCurrentDirectory(), host.jsDocParsingMode);
  const service = ts.createLanguageService(host, registry);

  return {
    configFile,
    root,
    update(fileName, text) {
      const name = normalize(fileName);
      const e = entry(name);
      if (!roots.has(name)) {
        roots.add(name);
        projectVersion++;
      }
      if (e.text === undefined && e.snapshot === undefined) {
        // First sight: the service may not have read it yet; take the bundler's text.
        e.text = text;
        return;
      }
      if (e.text === text) return;
      e.text = text;
      e.snapshot = undefined;
      e.version++;
      projectVersion++;
    },
    invalidate(fileName) {
      reachability.invalidate(fileName);
      const e = files.get(normalize(fileName));
      if (!e) return;
      e.text = undefined;
      e.snapshot = undefined;
      e.version++;
      projectVersion++;
    },
    program() {
      const program = service.getProgram();
      if (!program) throw new Error("tsjit: the TypeScript language service has no program");
      return program;
    },
    reachesTsjit: (fileName, text) => reachability.reaches(normalize(fileName), text),
    dependencies() {
      const out = new Set<string>(reachability.read);
      if (configFile) out.add(normalize(configFile));
      for (const f of (options.configFile as { extendedSourceFiles?: string[] } | undefined)?.extendedSourceFiles ?? []) out.add(normalize(f));
      // Every source the programs read came through getScriptSnapshot (or the reachability).
      for (const [name, e] of files) if (e.text !== undefined) out.add(name);
      return out;
    },
  };
}

function normalize(fileName: string): string {
  return fileName.replace(/\\/g, "/");
}

function readText(fileName: string): string | undefined {
  try {
    return readFileSync(fileName, "utf8");
  } catch {
    return undefined;
  }
}
