// Attaching tsjit to a Program: its diagnostics join the semantic diagnostics (through the
// public getSemanticDiagnostics and the internal getBindAndCheckDiagnostics that the builder
// behind -b, --incremental and --watch uses), and emit gets the site rewriter (with
// build-time specialization). Every entry point is guarded: an internal failure becomes a
// diagnostic, never a tsc crash. Under the tsc command line, tsjit's warnings and messages
// are printed instead of returned (report.ts: tsc fails a build on any diagnostic).

import type * as TS from "typescript";
import { programAnalysis } from "../analysis/program-analysis.js";
import type { JitSite, TypeScript } from "../analysis/index.js";
import { ATTACHED, failure, withTsjit } from "./diagnostics.js";
import { createSiteRewriter } from "./rewrite.js";
import { createSpecializer, readSpecializationOptions, type Specializer } from "./specialization.js";
import { createPrinter, isCommandLine } from "./report.js";

export { isAttached, withTsjit } from "./diagnostics.js";

type Internal = TS.Program & {
  [ATTACHED]?: true;
  getBindAndCheckDiagnostics?: (file: TS.SourceFile, token?: TS.CancellationToken) => readonly TS.Diagnostic[];
};

/** `config` is the tsconfig plugin entry (for the `specialize` option). */
export function attach(ts: TypeScript, program: TS.Program, config?: unknown): TS.Program {
  const p = program as Internal;
  if (p[ATTACHED]) return program;
  p[ATTACHED] = true;

  const commandLine = isCommandLine();
  const printer = commandLine ? createPrinter(ts, program) : undefined;
  const specialization = readSpecializationOptions(config);
  let specializer: Specializer | undefined;
  const specializerOf = () => (specializer ??= createSpecializer(ts, program, programAnalysis(ts, program), specialization));
  const siteFailure = (site: JitSite, error: unknown): TS.Diagnostic => {
    const node = site.kind === "call" ? site.node.expression : site.node;
    const file = node.getSourceFile();
    return { ...failure(ts, file, error), start: node.getStart(file), length: node.getWidth(file) };
  };

  /**
   * With --noEmit nothing is emitted, so nothing is specialized; when notes are asked for,
   * the command line specializes the checked file's sites for them (never the editor:
   * tracing runs the user's functions).
   */
  const notesWithoutEmit = (file: TS.SourceFile | undefined): TS.Diagnostic[] => {
    if (!commandLine || !specialization.notes || !program.getCompilerOptions().noEmit) return [];
    const out: TS.Diagnostic[] = [];
    for (const f of file ? [file] : program.getSourceFiles()) {
      if (f.isDeclarationFile || program.isSourceFileFromExternalLibrary(f)) continue;
      for (const site of sitesOf(f)) {
        try {
          specializerOf().prebuiltFor(site);
        } catch (error) {
          out.push(siteFailure(site, error));
        }
      }
    }
    return [...out, ...(specializer?.takeNotes() ?? [])];
  };

  const withAll = (file: TS.SourceFile | undefined, base: readonly TS.Diagnostic[]): readonly TS.Diagnostic[] => {
    const all = withTsjit(ts, program, file, base);
    if (!printer) return all;
    const notes = notesWithoutEmit(file);
    return printer.divert(notes.length ? [...all, ...notes] : all);
  };

  const getSemanticDiagnostics = p.getSemanticDiagnostics;
  p.getSemanticDiagnostics = function (file?: TS.SourceFile, token?: TS.CancellationToken, ...rest: unknown[]) {
    const base = (getSemanticDiagnostics as (...a: unknown[]) => readonly TS.Diagnostic[]).call(this, file, token, ...rest);
    // A partial check (editor region diagnostics) asks again for the whole file later.
    if (rest[0] !== undefined) return base;
    return withAll(file, base);
  };

  const getBindAndCheckDiagnostics = p.getBindAndCheckDiagnostics;
  if (typeof getBindAndCheckDiagnostics === "function") {
    p.getBindAndCheckDiagnostics = function (file: TS.SourceFile, token?: TS.CancellationToken) {
      const base = getBindAndCheckDiagnostics.call(this, file, token);
      return withAll(file, base);
    };
  }

  const emit = p.emit;
  const sitesOf = (file: TS.SourceFile): readonly JitSite[] => {
    try {
      return programAnalysis(ts, program).fileAnalysis(file).sites;
    } catch {
      return []; // reported through diagnostics; emit the file unchanged
    }
  };
  p.emit = function (target, writeFile, token, emitOnlyDts, custom, ...rest: unknown[]) {
    const failures: TS.Diagnostic[] = [];
    const prebuiltFor = (site: JitSite) => {
      if (emitOnlyDts) return [];
      try {
        return specializerOf().prebuiltFor(site);
      } catch (error) {
        failures.push(siteFailure(site, error));
        return [];
      }
    };
    const rewriter = createSiteRewriter(ts, sitesOf, (file, error) => failures.push(failure(ts, file, error)), prebuiltFor);
    const transformers: TS.CustomTransformers = { ...custom, before: [rewriter, ...(custom?.before ?? [])] };
    const result = (emit as (...a: unknown[]) => TS.EmitResult).call(this, target, writeFile, token, emitOnlyDts, transformers, ...rest);
    failures.push(...(specializer?.takeNotes() ?? []));
    const reported = printer ? printer.divert(failures) : failures;
    return reported.length ? { ...result, diagnostics: [...result.diagnostics, ...reported] } : result;
  };
  return program;
}
