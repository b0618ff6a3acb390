// Attaching tsjit to a Program: its diagnostics join the semantic diagnostics (through the
// public getSemanticDiagnostics and the internal getBindAndCheckDiagnostics that the builder
// behind -b, --incremental and --watch uses), and emit gets the site rewriter. Every entry
// point is guarded: an internal failure becomes a diagnostic, never a tsc crash.

import type * as TS from "typescript";
import { isTsjitDiagnostic } from "../analysis/diagnostics.js";
import { internalErrorMessage } from "../analysis/messages.js";
import { programAnalysis, type ProgramAnalysis } from "../analysis/program-analysis.js";
import type { JitSite, TypeScript } from "../analysis/index.js";
import { Code } from "../analysis/index.js";
import { createSiteRewriter } from "./rewrite.js";

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

/** tsjit's diagnostics for one file (or all files), guarded. */
export function tsjitDiagnostics(ts: TypeScript, program: TS.Program, file: TS.SourceFile | undefined): TS.Diagnostic[] {
  if (program.getCompilerOptions().noCheck) return [];
  const files = file ? [file] : program.getSourceFiles();
  const out: TS.Diagnostic[] = [];
  let analysis: ProgramAnalysis;
  try {
    analysis = programAnalysis(ts, program);
  } catch (error) {
    return [failure(ts, file, error)];
  }
  for (const f of files) {
    if (f.isDeclarationFile) continue;
    try {
      out.push(...analysis.diagnostics(f));
    } catch (error) {
      out.push(failure(ts, f, error));
    }
  }
  return out;
}

function merge(base: readonly TS.Diagnostic[], extra: readonly TS.Diagnostic[]): readonly TS.Diagnostic[] {
  if (extra.length === 0) return base;
  // Idempotent: never add a tsjit diagnostic twice (another wrapper may have added it).
  const present = new Set(base.filter(isTsjitDiagnostic).map((d) => `${d.file?.fileName}:${d.start}:${d.code}`));
  const fresh = extra.filter((d) => !present.has(`${d.file?.fileName}:${d.start}:${d.code}`));
  return fresh.length ? [...base, ...fresh] : base;
}

export function attach(ts: TypeScript, program: TS.Program): TS.Program {
  const p = program as Internal;
  if (p[ATTACHED]) return program;
  p[ATTACHED] = true;

  const getSemanticDiagnostics = p.getSemanticDiagnostics;
  p.getSemanticDiagnostics = function (file?: TS.SourceFile, token?: TS.CancellationToken, ...rest: unknown[]) {
    const base = (getSemanticDiagnostics as (...a: unknown[]) => readonly TS.Diagnostic[]).call(this, file, token, ...rest);
    // A partial check (editor region diagnostics) asks again for the whole file later.
    if (rest[0] !== undefined) return base;
    return merge(base, tsjitDiagnostics(ts, program, file));
  };

  const getBindAndCheckDiagnostics = p.getBindAndCheckDiagnostics;
  if (typeof getBindAndCheckDiagnostics === "function") {
    p.getBindAndCheckDiagnostics = function (file: TS.SourceFile, token?: TS.CancellationToken) {
      const base = getBindAndCheckDiagnostics.call(this, file, token);
      return merge(base, tsjitDiagnostics(ts, program, file));
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
  const rewriter = createSiteRewriter(ts, sitesOf);
  p.emit = function (target, writeFile, token, emitOnlyDts, custom, ...rest: unknown[]) {
    const transformers: TS.CustomTransformers = { ...custom, before: [rewriter, ...(custom?.before ?? [])] };
    return (emit as (...a: unknown[]) => TS.EmitResult).call(this, target, writeFile, token, emitOnlyDts, transformers, ...rest);
  };
  return program;
}
