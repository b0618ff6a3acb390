// tsc's exit status counts every diagnostic it is given, whatever its category
// (emitFilesAndReportErrorsAndGetExitStatus: `diagnostics.length > 0` -> status 2; the -b
// builder marks the project "Unbuildable: it had errors"; --noEmitOnError skips emit). So
// under the tsc command line (tspc, or tsc patched by `ts-patch install`), tsjit's
// warnings and messages are printed the way tsc prints a diagnostic, and kept out of what
// the program returns: a warning never fails a build. Everywhere else (the editor, the
// compiler API, bundlers) they stay diagnostics, with their category, for the host to show.

import type * as TS from "typescript";
import { isTsjitDiagnostic } from "../analysis/diagnostics.js";
import type { TypeScript } from "../analysis/index.js";

/** Whether this process is the tsc command line. */
export function isCommandLine(): boolean {
  const script = typeof process === "object" ? process.argv?.[1] : undefined;
  if (!script) return false;
  const base = script.split(/[\\/]/).pop()!.replace(/\.(c?js|cmd)$/, "");
  return base === "tsc" || base === "tspc";
}

export interface Printer {
  /** `diagnostics` less tsjit's warnings and messages, which are printed (once per program). */
  divert(diagnostics: readonly TS.Diagnostic[]): readonly TS.Diagnostic[];
}

export function createPrinter(ts: TypeScript, program: TS.Program): Printer {
  const printed = new Set<string>();
  const sys = ts.sys;
  const host: TS.FormatDiagnosticsHost = {
    getCurrentDirectory: () => sys.getCurrentDirectory(),
    getNewLine: () => sys.newLine,
    getCanonicalFileName: sys.useCaseSensitiveFileNames ? (f) => f : (f) => f.toLowerCase(),
  };
  // As tsc's own reporter (createDiagnosticReporter with shouldBePretty).
  const pretty = program.getCompilerOptions().pretty ?? !!sys.writeOutputIsTTY?.();
  const print = (d: TS.Diagnostic) => {
    const key = `${d.file?.fileName}:${d.start}:${d.code}:${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
    if (printed.has(key)) return;
    printed.add(key);
    sys.write(pretty ? ts.formatDiagnosticsWithColorAndContext([d], host) + host.getNewLine() : ts.formatDiagnostic(d, host));
  };
  return {
    divert(diagnostics) {
      const quiet = (d: TS.Diagnostic) => isTsjitDiagnostic(d) && d.category !== ts.DiagnosticCategory.Error;
      if (!diagnostics.some(quiet)) return diagnostics;
      const kept: TS.Diagnostic[] = [];
      for (const d of diagnostics) {
        if (quiet(d)) print(d);
        else kept.push(d);
      }
      return kept;
    },
  };
}
