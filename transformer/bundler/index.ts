// tsjit's bundler plugin (unplugin: `tsjit/vite`, `tsjit/esbuild`, `tsjit/rollup`). A thin
// host over the same core as the ts-patch host: the analysis (transformer/analysis) reports
// TS990001-5 for each TypeScript module, errors failing the build in tsc's format through
// `this.error` (Vite's dev server shows them in its overlay) and warnings through
// `this.warn`; the site rewrite with build-time specialization (transform/specialization.ts)
// inserts metadata and prebuilt kernels as magic-string edits with a high-resolution map.
// Runs before other transforms (`enforce: "pre"`), on the TypeScript source.

import type * as TS from "typescript";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { createUnplugin, type UnpluginFactory, type UnpluginInstance } from "unplugin";
import { programAnalysis } from "../analysis/program-analysis.js";
import type { TypeScript } from "../analysis/index.js";
import { createSpecializer, readSpecializationOptions, SPECIALIZATION_NOTE, type Specializer } from "../transform/specialization.js";
import { failure } from "../transform/diagnostics.js";
import { createProjectService, type ProjectService } from "./service.js";
import { rewriteSites } from "./rewrite.js";
import type { TypeStripper } from "../specialize/extract.js";

const MENTIONS_TSJIT = /jit|grad|vmap|vjp|jvp|jacfwd|jacrev|hessian|NDArray/;

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
}

const TS_MODULE = /\.[cm]?tsx?$/;

/** `/src/a.ts?v=1` -> `/src/a.ts`; virtual (`\0`) ids and dependencies are not ours. */
function moduleFile(id: string): string | undefined {
  if (id.startsWith("\0")) return undefined;
  const file = id.replace(/[?#].*$/, "");
  if (!TS_MODULE.test(file) || /\.d\.[cm]?ts$/.test(file) || /[\\/]node_modules[\\/]/.test(file)) return undefined;
  return file;
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
  let ts: TypeScript | undefined;
  let project: ProjectService | undefined;
  let specialization = readSpecializationOptions({ specialize: options.specialize, prebuiltBackends: options.prebuiltBackends });
  // Memoized per Program: a build whose sources match the disk reuses one for every module.
  const specializers = new WeakMap<TS.Program, Specializer>();

  const service = () => {
    ts ??= options.typescript ?? loadTypeScript(root);
    return (project ??= createProjectService(ts, root, options.tsconfig));
  };

  return {
    name: "tsjit",
    enforce: "pre",
    async buildStart() {
      if (specialization.enabled && !specialization.stripTypes) {
        const stripTypes = await loadTypeStripper();
        if (stripTypes) specialization = { ...specialization, stripTypes };
      }
    },
    transformInclude: (id) => moduleFile(id) !== undefined,
    transform(code, id) {
      const fileName = moduleFile(id);
      // Cheap refusal: a module that mentions neither jit, a transformation nor tsjit's types
      // has nothing to check (sites are found through imports of tsjit's `jit`/`grad`/`vmap`...
      // or `/** @jit */` comments; an NDArray condition (TS990007) in a module that never
      // names tsjit is left to the type-checking build).
      if (!fileName || !MENTIONS_TSJIT.test(code)) return null;
      const p = service();
      const t = ts!;
      p.update(fileName, code);
      const program = p.program();
      const file = program.getSourceFile(fileName);
      if (!file) return null;
      const analysis = programAnalysis(t, program);
      const cwd = root;
      const errors: string[] = [];
      for (const d of analysis.diagnostics(file)) {
        if (d.category === t.DiagnosticCategory.Error) errors.push(formatDiagnostic(t, d, cwd));
        else this.warn(formatDiagnostic(t, d, cwd));
      }
      if (errors.length) this.error(errors.join("\n"));

      const notes: TS.Diagnostic[] = [];
      const prebuiltFor = (site: Parameters<Specializer["prebuiltFor"]>[0]) => {
        try {
          let specializer = specializers.get(program);
          if (!specializer) specializers.set(program, (specializer = createSpecializer(t, program, analysis, specialization)));
          const prebuilt = specializer.prebuiltFor(site);
          notes.push(...specializer.takeNotes());
          return prebuilt;
        } catch (error) {
          notes.push(failure(t, file, error));
          return [];
        }
      };
      const result = rewriteSites(t, file, analysis.fileAnalysis(file).sites, prebuiltFor, fileName);
      for (const n of notes) if (n.code === SPECIALIZATION_NOTE || n.category !== t.DiagnosticCategory.Message) this.warn(formatDiagnostic(t, n, cwd));
      return result ?? null;
    },
    watchChange(id, change) {
      const fileName = moduleFile(id);
      if (fileName && project) project.invalidate(fileName);
      void change;
    },
    vite: {
      configResolved(config) {
        if (!options.root) root = config.root;
      },
      // HMR: the changed file's next text comes through `transform`; dropping the override
      // here lets the service see the new version at once. A site's diagnostics can depend
      // on helpers in the changed file, so its importers are transformed again when next
      // requested (their cached output is invalidated; the HMR update itself is unchanged).
      handleHotUpdate(ctx) {
        const fileName = moduleFile(ctx.file);
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
