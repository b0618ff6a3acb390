// Findings as TypeScript diagnostics (source "tsjit", codes TS9900xx).

import type * as TS from "typescript";
import type { TypeScript } from "./context.js";
import type { Finding } from "./findings.js";

export const DIAGNOSTIC_SOURCE = "tsjit";

export function toDiagnostic(ts: TypeScript, finding: Finding): TS.DiagnosticWithLocation {
  const category = finding.category === "warning" ? ts.DiagnosticCategory.Warning : ts.DiagnosticCategory.Error;
  return {
    file: finding.span.file,
    start: finding.span.start,
    length: finding.span.length,
    messageText: finding.message,
    category,
    code: finding.code,
    source: DIAGNOSTIC_SOURCE,
    relatedInformation: finding.related.map((r) => ({
      file: r.span.file,
      start: r.span.start,
      length: r.span.length,
      messageText: r.message,
      category: ts.DiagnosticCategory.Message,
      code: finding.code,
    })),
  };
}

export function isTsjitDiagnostic(d: TS.Diagnostic): boolean {
  return d.source === DIAGNOSTIC_SOURCE || (d.code >= 990000 && d.code <= 990009);
}
