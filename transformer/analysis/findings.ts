// Findings: the analysis's output, plain data with spans. Hosts turn them into ts.Diagnostic.

import type * as TS from "typescript";
import type { Fix } from "./fixes.js";

export const Code = {
  /** Internal failure of the analysis at one site (never a crash). */
  Internal: 990000,
  Condition: 990001,
  Concretization: 990002,
  JitPerCall: 990003,
  Escape: 990004,
  UnknownStatic: 990005,
  /** An NDArray tested for truthiness, in or out of jit: always true. */
  AlwaysTruthy: 990007,
} as const;
export type Code = (typeof Code)[keyof typeof Code];

export interface Span {
  readonly file: TS.SourceFile;
  readonly start: number;
  readonly length: number;
}

export interface Related {
  readonly span: Span;
  readonly message: string;
}

export interface Finding {
  readonly code: Code;
  readonly category: "error" | "warning";
  readonly span: Span;
  readonly message: string;
  readonly related: readonly Related[];
  /** Mechanical fixes (edits in `span.file`), offered by the editor plugin. */
  readonly fixes?: readonly Fix[];
}

export function spanOf(node: TS.Node): Span {
  const file = node.getSourceFile();
  const start = node.getStart(file);
  return { file, start, length: node.getEnd() - start };
}

export function findingKey(f: Finding): string {
  return `${f.span.file.fileName}:${f.span.start}:${f.span.length}:${f.code}:${f.message}`;
}
