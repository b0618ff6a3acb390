// tsjit's findings' fixes as tsserver code fixes: the analysis computes the edits (analysis/
// fixes.ts); this maps the findings under the cursor to CodeFixActions.

import type * as TS from "typescript";
import { Code, type TypeScript } from "../analysis/index.js";
import { programAnalysis } from "../analysis/program-analysis.js";

/** The codes whose findings may carry fixes. */
export const FIXABLE_CODES: readonly number[] = [Code.Condition, Code.Concretization, Code.UnknownStatic];

export function codeFixesAt(ts: TypeScript, program: TS.Program, file: TS.SourceFile, start: number, end: number, codes: readonly number[]): TS.CodeFixAction[] {
  const { findings } = programAnalysis(ts, program).fileAnalysis(file);
  const out: TS.CodeFixAction[] = [];
  const seen = new Set<string>();
  for (const finding of findings) {
    const { span } = finding;
    // The finding's span overlaps the requested range (an empty range inside it counts).
    if (!codes.includes(finding.code) || span.start > end || span.start + span.length < start) continue;
    for (const fix of finding.fixes ?? []) {
      const key = `${fix.name}:${JSON.stringify(fix.edits)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        fixName: fix.name,
        description: fix.description,
        changes: [{ fileName: file.fileName, textChanges: fix.edits.map((e) => ({ span: { start: e.start, length: e.length }, newText: e.newText })) }],
      });
    }
  }
  return out;
}
