// Attaching tsjit to a Program: its diagnostics join the semantic diagnostics (through the
// public getSemanticDiagnostics and the internal getBindAndCheckDiagnostics that the builder
// behind -b, --incremental and --watch uses), and emit gets the site rewriter. Every entry
// point is guarded: an internal failure becomes a diagnostic, never a tsc crash.

import type * as TS from "typescript";
import { isTsjitDiagnostic } from "../analysis/diagnostics.js";
import { internalErrorMessage } from "../analysis/messages.js";
import { programAnalysis, type ProgramAnalysis } from "../analysis/program-analysis.js";
import type { JitSite, TypeScript } from "../analysis/index.js";
import { Code, UNUSED_EXPECT_ERROR } from "../analysis/index.js";
import { createSiteRewriter } from "./rewrite.js";
import { createSpecializer, readSpecializationOptions, type Specializer } from "./specialization.js";

/** Marks a program whose diagnostics already include tsjit's (read by the editor plugin). */
export const ATTACHED = Symbol.for("tsjit.programTransformer");

type Internal = TS.Program & {
  [ATTACHED]?: true;
  getBindAndCheckDiagnostics?: (file: TS.SourceFile, token?: TS.CancellationToken) => readonly TS.Diagnostic[];
};

export function isAttached(program: TS.Program): boolean {
  return (program as Internal)[ATTACHED] === true;
}

function failure(ts: TypeScript, file: TS.SourceFile | undefined, error: unknown): TS.Diagnostic {
  return {
    file,
    start: file ? 0 : undefined,
    length: file ? 0 : undefined,
    messageText: internalErrorMessage(file ? file.fileName : "<program>", error),
    category: ts.DiagnosticCategory.Warning,
    code: Code.Internal,
    source: "tsjit",
  };
}

interface TsjitResult {
  readonly diagnostics: readonly TS.Diagnostic[];
  /** Per file, lines of `@ts-expect-error` comments used by a tsjit diagnostic. */
  readonly usedExpectErrors: ReadonlyMap<TS.SourceFile, ReadonlySet<number>>;
}

const NOTHING: TsjitResult = { diagnostics: [], usedExpectErrors: new Map() };

/** tsjit's diagnostics for one file (or all files), guarded. */
function tsjitDiagnostics(ts: TypeScript, program: TS.Program, file: TS.SourceFile | undefined): TsjitResult {
  if (program.getCompilerOptions().noCheck) return NOTHING;
  const files = file ? [file] : program.getSourceFiles();
  const diagnostics: TS.Diagnostic[] = [];
  const usedExpectErrors = new Map<TS.SourceFile, ReadonlySet<number>>();
  let analysis: ProgramAnalysis;
  try {
    analysis = programAnalysis(ts, program);
  } catch (error) {
    return { diagnostics: [failure(ts, file, error)], usedExpectErrors };
  }
  for (const f of files) {
    if (f.isDeclarationFile) continue;
    try {
      diagnostics.push(...analysis.diagnostics(f));
      const lines = analysis.fileAnalysis(f).usedExpectErrorLines;
      if (lines.length) usedExpectErrors.set(f, new Set(lines));
    } catch (error) {
      diagnostics.push(failure(ts, f, error));
    }
  }
  return { diagnostics, usedExpectErrors };
}

function lineOf(d: TS.Diagnostic): number {
  return d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : -1;
}

/**
 * `base` (tsc's diagnostics) with tsjit's added, once: a tsjit diagnostic already present is
 * not added again (another wrapper may have added it), and tsc's "unused @ts-expect-error"
 * is dropped where the directive suppressed a tsjit diagnostic.
 */
export function withTsjit(ts: TypeScript, program: TS.Program, file: TS.SourceFile | undefined, base: readonly TS.Diagnostic[]): readonly TS.Diagnostic[] {
  const { diagnostics, usedExpectErrors } = tsjitDiagnostics(ts, program, file);
  let result = base;
  if (usedExpectErrors.size) {
    result = result.filter((d) => !(d.code === UNUSED_EXPECT_ERROR && d.file && usedExpectErrors.get(d.file)?.has(lineOf(d))));
  }
  const present = new Set(result.filter(isTsjitDiagnostic).map((d) => `${d.file?.fileName}:${d.start}:${d.code}`));
  const fresh = diagnostics.filter((d) => !present.has(`${d.file?.fileName}:${d.start}:${d.code}`));
  return fresh.length ? [...result, ...fresh] : result;
}

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
