// Suppression comments, with tsc's rule for finding them: the directive sits on a line above
// the diagnostic, with only blank lines or `//` comments between. `@ts-ignore` and
// `@ts-expect-error` suppress tsjit's diagnostics as they do tsc's; `@tsjit-ignore`
// suppresses only tsjit's. An `@ts-expect-error` used by tsjit must not be reported unused
// by tsc (TS2578): its line is returned so the host can drop that error.

import type * as TS from "typescript";

const DIRECTIVE = /^\s*(?:\/\/\/?\s*|\/\*\s*)@(ts-expect-error|ts-ignore|tsjit-ignore)\b/;
const SKIPPABLE = /^\s*(?:\/\/.*)?$/;

export interface Directive {
  readonly kind: "ts-expect-error" | "ts-ignore" | "tsjit-ignore";
  /** 0-based line of the comment. */
  readonly line: number;
}

function lineText(file: TS.SourceFile, line: number): string {
  const start = file.getPositionOfLineAndCharacter(line, 0);
  const end = file.text.indexOf("\n", start);
  return file.text.slice(start, end < 0 ? file.text.length : end);
}

/** The directive that applies to a diagnostic starting at `pos`, if any. */
export function directiveAbove(file: TS.SourceFile, pos: number): Directive | undefined {
  const line = file.getLineAndCharacterOfPosition(pos).line;
  for (let l = line - 1; l >= 0; l--) {
    const text = lineText(file, l);
    const match = DIRECTIVE.exec(text);
    if (match) return { kind: match[1] as Directive["kind"], line: l };
    if (!SKIPPABLE.test(text)) return undefined;
  }
  return undefined;
}

/** tsc's "Unused '@ts-expect-error' directive." */
export const UNUSED_EXPECT_ERROR = 2578;
