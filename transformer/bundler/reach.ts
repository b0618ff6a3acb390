// Which modules the analysis must see, from the import graph rather than from names: a module
// can hold a jit site, a transformation root or an NDArray condition only when tsjit's API can
// reach it: it imports tsjit itself ("tsjit", "tsjit/..."), imports (transitively) a project
// module that does (a re-export `export { jit as compile } from "tsjit"`, a wrapper), or
// has a `@jit` annotation. Everything else is left untouched without building a program.
// Imports are read syntactically (ts.preProcessFile) and resolved with the project's options.

import type * as TS from "typescript";
import type { TypeScript } from "../analysis/index.js";

export interface Reachability {
  /** Whether the module `fileName` with text `text` can reach tsjit's API. */
  reaches(fileName: string, text: string): boolean;
  /** Forget what is known of a file (it changed). */
  invalidate(fileName: string): void;
  /** The files whose text was read to answer. */
  readonly read: ReadonlySet<string>;
}

interface Node {
  readonly text: string;
  /** Imports tsjit or has a @jit annotation. */
  readonly direct: boolean;
  /** Resolved project modules it imports (not in node_modules, not declarations). */
  readonly imports: readonly string[];
}

const ANNOTATION = /@jit\b/;

export function createReachability(
  ts: TypeScript,
  options: () => TS.CompilerOptions,
  readText: (fileName: string) => string | undefined,
): Reachability {
  const nodes = new Map<string, Node>();
  const reaching = new Set<string>();
  const read = new Set<string>();
  let resolutionCache: TS.ModuleResolutionCache | undefined;
  const host: TS.ModuleResolutionHost = {
    fileExists: (f) => readText(f) !== undefined || ts.sys.fileExists(f),
    readFile: (f) => readText(f) ?? ts.sys.readFile(f),
    directoryExists: ts.sys.directoryExists,
    realpath: ts.sys.realpath,
    getCurrentDirectory: ts.sys.getCurrentDirectory,
    getDirectories: ts.sys.getDirectories,
  };

  const nodeOf = (fileName: string, text: string): Node => {
    const known = nodes.get(fileName);
    if (known && known.text === text) return known;
    const o = options();
    resolutionCache ??= ts.createModuleResolutionCache(ts.sys.getCurrentDirectory(), (f) => f, o);
    let direct = ANNOTATION.test(text);
    const imports: string[] = [];
    for (const ref of ts.preProcessFile(text, true, true).importedFiles) {
      const spec = ref.fileName;
      if (spec === "tsjit" || spec.startsWith("tsjit/")) {
        direct = true;
        break;
      }
      const resolved = ts.resolveModuleName(spec, fileName, o, host, resolutionCache).resolvedModule;
      if (!resolved) continue;
      if (resolved.packageId?.name === "tsjit") {
        direct = true;
        break;
      }
      const target = resolved.resolvedFileName.replace(/\\/g, "/");
      if (resolved.isExternalLibraryImport || /[\\/]node_modules[\\/]/.test(target) || /\.d\.[cm]?ts$/.test(target)) continue;
      imports.push(target);
    }
    const node = { text, direct, imports };
    nodes.set(fileName, node);
    return node;
  };

  return {
    read,
    reaches(fileName, text) {
      if (reaching.has(fileName) && nodes.get(fileName)?.text === text) return true;
      // Breadth-first over the module's project imports; every module on a path found is reaching too.
      const from = new Map<string, string | undefined>([[fileName, undefined]]);
      const queue: [string, string][] = [[fileName, text]];
      for (let i = 0; i < queue.length; i++) {
        const [file, source] = queue[i]!;
        const node = nodeOf(file, source);
        if (node.direct || (file !== fileName && reaching.has(file))) {
          for (let f: string | undefined = file; f !== undefined; f = from.get(f)) reaching.add(f);
          return true;
        }
        for (const next of node.imports) {
          if (from.has(next)) continue;
          const nextText = readText(next);
          if (nextText === undefined) continue;
          read.add(next);
          from.set(next, file);
          queue.push([next, nextText]);
        }
      }
      return false;
    },
    invalidate(fileName) {
      nodes.delete(fileName.replace(/\\/g, "/"));
      // What reached through it may not any more.
      reaching.clear();
      resolutionCache?.clear();
    },
  };
}
