// tsjit's bundler plugin (unplugin: `tsjit/vite`, `tsjit/esbuild`, `tsjit/rollup`). A thin
// host over the same core as the ts-patch host: the analysis (transformer/analysis) reports
// TS990001-5 for each TypeScript module, errors failing the build in tsc's format through
// `this.error` (Vite's dev server shows them in its overlay) and warnings through
// `this.warn`; the site rewrite with build-time specialization (transform/specialization.ts)
// inserts metadata and prebuilt kernels as magic-string edits with a high-resolution map.
// Runs before other transforms (`enforce: "pre"`), on the TypeScript source.

import type * as TS from "typescript";
import { existsSync, readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { availableParallelism } from "node:os";
import { createUnplugin, type UnpluginFactory, type UnpluginInstance } from "unplugin";
import { programAnalysis } from "../analysis/program-analysis.js";
import type { JitSite, TypeScript } from "../analysis/index.js";
import { createSpecializer, readSpecializationOptions, SPECIALIZATION_NOTE, type Specializer } from "../transform/specialization.js";
import { failure } from "../transform/diagnostics.js";
import { createProjectService, type ProjectService } from "./service.js";
import { rewriteSites } from "./rewrite.js";
import type { TypeStripper } from "../specialize/extract.js";
import { bundledWorkerScript, defaultTracer, type Tracer } from "../specialize/tracer.js";
import { createTraceBook, createTracePool, type TraceBook, type TracePool } from "./trace-pool.js";
import { openBuildCache, stamp, type BuildCache, type CachedTransform } from "./cache.js";

export interface TsjitPluginOptions {
  /** The tsconfig to analyze with (default: the nearest tsconfig.json above `root`). */
  readonly tsconfig?: string;
  /** The project root (default: Vite's root, else the working directory). */
  readonly root?: string;
  /** Build-time specialization: `false` turns it off; `notes: true` reports TS990006 as warnings. */
  readonly specialize?: false | { readonly maxSpecializations?: number; readonly notes?: boolean };
  /** Backends to prebuild kernels for (default ["cpu"]; "webgpu" and "wasm" entries need concrete input shapes). */
  readonly prebuiltBackends?: readonly ("cpu" | "webgpu" | "wasm")[];
  /** The TypeScript module to use (default: the project's `typescript`, else tsjit's). */
  readonly typescript?: TypeScript;
  /**
   * The build cache (see cache.ts): a directory, or `false` for none. Default:
   * node_modules/.cache/tsjit under the root, when the root has a node_modules folder.
   */
  readonly cache?: false | string;
  /**
   * Keep each prebuilt kernel's jaxpr as a comment in the bundled code (default: only under
   * the dev server). Production bundles drop it: it is text for readers, and the bundler
   * parses it with every build.
   */
  readonly debug?: boolean;
}

/** The trace pool (trace-pool.ts) is used on machines with at least this many cores. */
const POOL_MIN_CORES = 4;

type SourceMapOutput = NonNullable<ReturnType<typeof rewriteSites>>["map"];

const TS_MODULE = /\.[cm]?tsx?$/;

/**
 * Prebuilt entries live in modules of their own, `tsjit-prebuilt:<hash>` (`\0`-prefixed once
 * resolved), whose default export is the entry: identical entries (the same kernel for the
 * same guard, at sites of different modules) are parsed and emitted once, and a bundler drops
 * an entry with the last jitted function that imports it (the module has no side effects).
 */
const ENTRY_PREFIX = "tsjit-prebuilt:";
const ENTRY_ID = `\0${ENTRY_PREFIX}`;
const ENTRY_IMPORT = /^tsjit-prebuilt:/;
const ENTRY_RESOLVED = /^\0tsjit-prebuilt:/;
/** TypeScript module ids (with a query or hash), the transform hook's filter. */
const TS_ID = /\.[cm]?tsx?(?:$|[?#])/;

/** An entry's code without its leading jaxpr comment (runtime/specialize/specialize.ts writes it first). */
function withoutJaxpr(code: string): string {
  return code.startsWith("/*") ? code.slice(code.indexOf("*/") + 2).replace(/^\n/, "") : code;
}

/** `/src/a.ts?v=1` -> `/src/a.ts`; virtual (`\0`) ids and dependencies are not ours. */
function moduleFile(id: string): string | undefined {
  if (id.startsWith("\0")) return undefined;
  const file = id.replace(/[?#].*$/, "");
  if (!TS_MODULE.test(file) || /\.d\.[cm]?ts$/.test(file) || /[\\/]node_modules[\\/]/.test(file)) return undefined;
  return file;
}

/** TypeScript's version without loading it (the cache's key; loading costs a build's worth of time). */
function typeScriptVersion(root: string, given: TypeScript | undefined): string {
  if (given) return given.version;
  for (const from of [resolve(root, "package.json"), import.meta.url]) {
    try {
      const path = createRequire(from).resolve("typescript/package.json");
      return (JSON.parse(readFileSync(path, "utf8")) as { version: string }).version;
    } catch {
      // next
    }
  }
  return "none";
}

function loadTypeScript(root: string): TypeScript {
  for (const from of [resolve(root, "package.json"), import.meta.url]) {
    try {
      return createRequire(from)("typescript") as TypeScript;
    } catch {
      // next
    }
  }
  throw new Error("tsjit: the bundler plugin needs the `typescript` package (npm install -D typescript)");
}

/**
 * Oxc's type stripper through rolldown (Vite 8's bundler), when it can be loaded: build-time
 * specialization strips the types of each extracted function, and TypeScript's
 * transpileModule costs tens of milliseconds a call where this costs a fraction of one.
 */
async function loadTypeStripper(): Promise<TypeStripper | undefined> {
  try {
    const { transformSync } = (await import("rolldown/utils")) as unknown as {
      transformSync: (file: string, code: string, o: object) => { code: string; map: unknown; errors: readonly unknown[] };
    };
    return (code) => {
      const out = transformSync("extraction.ts", code, { lang: "ts", sourcemap: true });
      return out.errors.length || !out.map ? undefined : { code: out.code, map: out.map };
    };
  } catch {
    return undefined;
  }
}

/** tsc's one-line format: `src/a.ts(3,7): error TS990001: message`. */
export function formatDiagnostic(ts: TypeScript, d: TS.Diagnostic, cwd: string): string {
  return ts.formatDiagnostic(d, { getCurrentDirectory: () => cwd, getCanonicalFileName: (f) => f, getNewLine: () => "\n" }).trimEnd();
}

export const factory: UnpluginFactory<TsjitPluginOptions | undefined> = (options = {}) => {
  let root = options.root ? resolve(options.root) : process.cwd();
  // Under the dev server (Vite's `serve`): entries stay inline, with their jaxpr comments.
  let dev = false;
  // Prebuilt entries by hash, for `load` (see ENTRY_PREFIX).
  const entries = new Map<string, string>();
  let ts: TypeScript | undefined;
  let project: ProjectService | undefined;
  let specialization = readSpecializationOptions({ specialize: options.specialize, prebuiltBackends: options.prebuiltBackends });
  // Memoized per Program: a build whose sources match the disk reuses one for every module.
  const specializers = new WeakMap<TS.Program, Specializer>();
  // Traces run in a worker pool, overlapped with the analysis (see trace-pool.ts): a recording
  // pass per module gives its requests, the real pass is answered from their results.
  let pool: TracePool | undefined;
  let book: TraceBook | null | undefined;
  const recorders = new WeakMap<TS.Program, { specializer: Specializer; take: () => ReturnType<ReturnType<TraceBook["recorder"]>["take"]> }>();
  const traceBook = (): TraceBook | null => {
    if (book !== undefined) return book;
    const script = bundledWorkerScript();
    // Running from source: traces in process, as the ts-patch host does. With fewer than
    // four cores the recording pass costs the main thread more than the overlap gives back
    // (measured on 2 cores: no gain): the synchronous worker of the ts-patch host instead.
    if (!script || availableParallelism() < POOL_MIN_CORES) return (book = null);
    let sync: Tracer | undefined;
    pool = createTracePool(script, specialization.traceTimeoutMs);
    return (book = createTraceBook(pool, () => (sync ??= defaultTracer(specialization.traceTimeoutMs)), specialization.traceTimeoutMs));
  };
  const specializerFor = (t: TypeScript, program: TS.Program, analysis: ReturnType<typeof programAnalysis>): Specializer => {
    let specializer = specializers.get(program);
    if (!specializer) {
      const b = traceBook();
      specializer = createSpecializer(t, program, analysis, b ? { ...specialization, tracer: b.tracer } : specialization);
      specializers.set(program, specializer);
    }
    return specializer;
  };
  /** The recording pass over `sites`, then their traces, in the pool. */
  const prefetchTraces = async (t: TypeScript, program: TS.Program, analysis: ReturnType<typeof programAnalysis>, file: TS.SourceFile, sites: readonly JitSite[]) => {
    const b = traceBook();
    if (!b || !specialization.enabled || specialization.maxPerSite === 0) return;
    let recording = recorders.get(program);
    if (!recording) {
      const recorder = b.recorder();
      recording = { specializer: createSpecializer(t, program, analysis, { ...specialization, notes: false, tracer: recorder }), take: () => recorder.take() };
      recorders.set(program, recording);
    }
    for (const site of sites) {
      if (site.node.getSourceFile() !== file) continue;
      try {
        recording.specializer.prebuiltFor(site);
      } catch {
        // the real pass reports it
      }
    }
    recording.specializer.takeNotes();
    await b.prefetch(recording.take());
  };

  const service = () => {
    ts ??= options.typescript ?? loadTypeScript(root);
    return (project ??= createProjectService(ts, root, options.tsconfig));
  };

  let cache: BuildCache | undefined;
  const openCache = (): BuildCache | undefined => {
    if (options.cache === false) return undefined;
    const directory = options.cache ? resolve(root, options.cache) : existsSync(join(root, "node_modules")) ? join(root, "node_modules/.cache/tsjit") : undefined;
    if (!directory) return undefined;
    const self = fileURLToPath(import.meta.url);
    const worker = bundledWorkerScript();
    // Every option that changes a module's output: all but where the cache lives and the
    // TypeScript module (its version is part of the key), with the resolved root.
    const { cache: _cache, typescript: _typescript, ...outputOptions } = options;
    const configuration = { ...outputOptions, root, dev };
    return openBuildCache(directory, configuration, {
      ...configuration,
      typescript: typeScriptVersion(root, options.typescript),
      plugin: [self, stamp(self), worker ?? null, worker ? stamp(worker) : null],
    });
  };
  const changed = () => cache?.suspend();

  /** The analysis and the rewrite of one module: its errors (tsc's format), warnings and code. */
  const transformModule = async (fileName: string, code: string): Promise<CachedTransform & { errors: string[]; loc?: { file: string; line: number; column: number } }> => {
    const none = { code: null, warnings: [], errors: [] };
    const p = service();
    // Modules that cannot reach tsjit's API have nothing to check (no program is built for them).
    if (!p.reachesTsjit(fileName, code)) return none;
    const t = ts!;
    p.update(fileName, code);
    const program = p.program();
    const file = program.getSourceFile(fileName);
    if (!file) return none;
    const analysis = programAnalysis(t, program);
    const errors: string[] = [];
    const warnings: string[] = [];
    let loc: { file: string; line: number; column: number } | undefined;
    for (const d of analysis.diagnostics(file)) {
      const error = d.category === t.DiagnosticCategory.Error;
      (error ? errors : warnings).push(formatDiagnostic(t, d, root));
      // The first error's position: the dev server's overlay shows the code there.
      if (error && !loc && d.file === file) {
        const at = file.getLineAndCharacterOfPosition(d.start);
        loc = { file: fileName, line: at.line + 1, column: at.character };
      }
    }
    if (errors.length) return { code: null, warnings, errors, ...(loc ? { loc } : {}) };

    const sites = analysis.fileAnalysis(file).sites;
    if (sites.length) await prefetchTraces(t, program, analysis, file, sites);
    const notes: TS.Diagnostic[] = [];
    const prebuiltFor = (site: Parameters<Specializer["prebuiltFor"]>[0]) => {
      try {
        const specializer = specializerFor(t, program, analysis);
        const prebuilt = specializer.prebuiltFor(site);
        notes.push(...specializer.takeNotes());
        return prebuilt;
      } catch (error) {
        notes.push(failure(t, file, error));
        return [];
      }
    };
    // Production builds: each entry in a module of its own (shared by identical entries), without the jaxpr.
    const moduleEntries: Record<string, string> = {};
    const entryModule = dev ? undefined : (code: string) => {
      const entry = options.debug ? code : withoutJaxpr(code);
      const hash = createHash("sha256").update(entry).digest("base64url").slice(0, 22);
      moduleEntries[hash] = entry;
      entries.set(hash, entry);
      return `${ENTRY_PREFIX}${hash}`;
    };
    const result = rewriteSites(t, file, sites, prebuiltFor, fileName, entryModule);
    for (const n of notes) if (n.code === SPECIALIZATION_NOTE || n.category !== t.DiagnosticCategory.Message) warnings.push(formatDiagnostic(t, n, root));
    const used = Object.keys(moduleEntries).length ? { entries: moduleEntries } : {};
    return result ? { code: result.code, map: JSON.parse(JSON.stringify(result.map)) as unknown, warnings, errors, ...used } : { ...none, warnings };
  };

  return {
    name: "tsjit",
    enforce: "pre",
    async buildStart() {
      cache ??= openCache();
      if (specialization.enabled && !specialization.stripTypes) {
        const stripTypes = await loadTypeStripper();
        if (stripTypes) specialization = { ...specialization, stripTypes };
      }
    },
    // Hook filters: bundlers with native hooks (Vite 8, rolldown) call these only for matching
    // ids, instead of crossing into JavaScript for every import and module.
    resolveId: {
      filter: { id: ENTRY_IMPORT },
      handler(id) {
        return id.startsWith(ENTRY_PREFIX) ? `${ENTRY_ID}${id.slice(ENTRY_PREFIX.length)}` : null;
      },
    },
    load: {
      filter: { id: ENTRY_RESOLVED },
      handler(id) {
        if (!id.startsWith(ENTRY_ID)) return null;
        const code = entries.get(id.slice(ENTRY_ID.length));
        if (code === undefined) return null;
        return { code: `export default ${code};\n`, moduleSideEffects: false };
      },
    },
    transform: {
      filter: { id: { include: TS_ID, exclude: [/[\\/]node_modules[\\/]/, /\.d\.[cm]?ts(?:$|[?#])/, /^\0/] } },
      async handler(code, id) {
        const fileName = moduleFile(id);
        if (!fileName) return null;
        const hit = cache?.lookup(fileName, code);
        if (hit) {
          for (const [hash, entry] of Object.entries(hit.entries ?? {})) entries.set(hash, entry);
          for (const w of hit.warnings) this.warn(w);
          return hit.code === null ? null : { code: hit.code, map: hit.map as SourceMapOutput };
        }
        const result = await transformModule(fileName, code);
        for (const w of result.warnings) this.warn(w);
        if (result.errors.length) this.error({ message: result.errors.join("\n"), id: fileName, ...(result.loc ? { loc: result.loc } : {}) });
        cache?.store(fileName, code, result);
        return result.code === null ? null : { code: result.code, map: result.map as SourceMapOutput };
      },
    },
    buildEnd() {
      if (cache && project) cache.save(project.dependencies());
      pool?.close();
    },
    watchChange(id, change) {
      const fileName = moduleFile(id);
      changed();
      if (fileName && project) project.invalidate(fileName);
      void change;
    },
    vite: {
      configResolved(config) {
        if (!options.root) root = config.root;
        dev = config.command === "serve";
      },
      // HMR: the changed file's next text comes through `transform`; dropping the override
      // here lets the service see the new version at once. A site's diagnostics can depend
      // on helpers in the changed file, so its importers are transformed again when next
      // requested (their cached output is invalidated; the HMR update itself is unchanged).
      handleHotUpdate(ctx) {
        const fileName = moduleFile(ctx.file);
        changed();
        if (!fileName || !project) return;
        project.invalidate(fileName);
        for (const mod of ctx.modules) {
          for (const importer of mod.importers) if (importer.file && moduleFile(importer.file)) ctx.server.moduleGraph.invalidateModule(importer);
        }
      },
    },
  };
};

export const unplugin: UnpluginInstance<TsjitPluginOptions | undefined> = /* #__PURE__ */ createUnplugin(factory);
