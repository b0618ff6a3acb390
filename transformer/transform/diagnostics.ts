// tsjit's diagnostics joined to a program's: shared by the ts-patch host (program.ts) and
// the editor plugin, which needs nothing of emit (so the runtime the specializer bundles
// is not loaded into tsserver). Guarded: an internal failure becomes a diagnostic.

import type * as TS from "typescript";
import { internalErrorMessage } from "../analysis/messages.js";
import { isTsjitDiagnostic } from "../analysis/diagnostics.js";
import { programAnalysis, type ProgramAnalysis } from "../analysis/program-analysis.js";
import type { TypeScript } from "../analysis/index.js";
import { Code, UNUSED_EXPECT_ERROR } from "../analysis/index.js";

/** Marks a program whose diagnostics already include tsjit's (read by the editor plugin). */
export const ATTACHED = Symbol.for("tsjit.programTransformer");

export function isAttached(program: TS.Program): boolean {
  return (program as { [ATTACHED]?: true })[ATTACHED] === true;
}

export function failure(ts: TypeScript, file: TS.SourceFile | undefined, error: unknown): TS.Diagnostic {
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
