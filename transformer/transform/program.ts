// Attaching tsjit to a Program: its diagnostics join the semantic diagnostics (through the
// public getSemanticDiagnostics and the internal getBindAndCheckDiagnostics that the builder
// behind -b, --incremental and --watch uses), and emit gets the site rewriter (with
// build-time specialization). Every entry point is guarded: an internal failure becomes a
// diagnostic, never a tsc crash.

import type * as TS from "typescript";
import { programAnalysis } from "../analysis/program-analysis.js";
import type { JitSite, TypeScript } from "../analysis/index.js";
import { ATTACHED, failure, withTsjit } from "./diagnostics.js";
import { createSiteRewriter } from "./rewrite.js";
import { createSpecializer, readSpecializationOptions, type Specializer } from "./specialization.js";

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

  const getSemanticDiagnostics = p.getSemanticDiagnostics;
  p.getSemanticDiagnostics = function (file?: TS.SourceFile, token?: TS.CancellationToken, ...rest: unknown[]) {
    const base = (getSemanticDiagnostics as (...a: unknown[]) => readonly TS.Diagnostic[]).call(this, file, token, ...rest);
    // A partial check (editor region diagnostics) asks again for the whole file later.
    if (rest[0] !== undefined) return base;
    return withTsjit(ts, program, file, base);
  };

  const getBindAndCheckDiagnostics = p.getBindAndCheckDiagnostics;
  if (typeof getBindAndCheckDiagnostics === "function") {
    p.getBindAndCheckDiagnostics = function (file: TS.SourceFile, token?: TS.CancellationToken) {
      const base = getBindAndCheckDiagnostics.call(this, file, token);
      return withTsjit(ts, program, file, base);
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
  const specialization = readSpecializationOptions(config);
  let specializer: Specializer | undefined;
  p.emit = function (target, writeFile, token, emitOnlyDts, custom, ...rest: unknown[]) {
    const failures: TS.Diagnostic[] = [];
    const prebuiltFor = (site: JitSite) => {
      if (emitOnlyDts) return [];
      try {
        specializer ??= createSpecializer(ts, program, programAnalysis(ts, program), specialization);
        return specializer.prebuiltFor(site);
      } catch (error) {
        failures.push(failure(ts, site.node.getSourceFile(), error));
        return [];
      }
    };
    const rewriter = createSiteRewriter(ts, sitesOf, (file, error) => failures.push(failure(ts, file, error)), prebuiltFor);
    const transformers: TS.CustomTransformers = { ...custom, before: [rewriter, ...(custom?.before ?? [])] };
    const result = (emit as (...a: unknown[]) => TS.EmitResult).call(this, target, writeFile, token, emitOnlyDts, transformers, ...rest);
    failures.push(...(specializer?.takeNotes() ?? []));
    return failures.length ? { ...result, diagnostics: [...result.diagnostics, ...failures] } : result;
  };
  return program;
}
