// One lazily-filled analysis per program, shared by the diagnostics and emit paths of a
// host. A new program (watch mode, editor keystrokes) gets a fresh one: results depend on
// other files too, so they are never carried across programs.

import type * as TS from "typescript";
import { analyzeFile, createContext, projectRootOf, type FileAnalysis } from "./index.js";
import type { AnalysisContext, TypeScript } from "./context.js";
import { toDiagnostic } from "./diagnostics.js";

export interface ProgramAnalysis {
  readonly context: AnalysisContext;
  fileAnalysis(file: TS.SourceFile): FileAnalysis;
  diagnostics(file: TS.SourceFile): readonly TS.DiagnosticWithLocation[];
}

const analyses = new WeakMap<TS.Program, ProgramAnalysis>();

export function programAnalysis(ts: TypeScript, program: TS.Program): ProgramAnalysis {
  let analysis = analyses.get(program);
  if (analysis) return analysis;
  let context: AnalysisContext | undefined;
  const files = new Map<TS.SourceFile, FileAnalysis>();
  const diagnostics = new Map<TS.SourceFile, readonly TS.DiagnosticWithLocation[]>();
  analysis = {
    get context() {
      return (context ??= createContext(ts, program, projectRootOf(program)));
    },
    fileAnalysis(file) {
      let result = files.get(file);
      if (!result) {
        result = file.isDeclarationFile ? { sites: [], findings: [], usedExpectErrorLines: [] } : analyzeFile(this.context, file);
        files.set(file, result);
      }
      return result;
    },
    diagnostics(file) {
      let result = diagnostics.get(file);
      if (!result) {
        result = this.fileAnalysis(file).findings.map((f) => toDiagnostic(ts, f));
        diagnostics.set(file, result);
      }
      return result;
    },
  };
  analyses.set(program, analysis);
  return analysis;
}
