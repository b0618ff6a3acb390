// JavaScript operators by what they do to a traced operand.

import type * as TS from "typescript";
import type { AnalysisContext } from "./context.js";

export type OperatorKind = "arithmetic" | "comparison" | "equality" | "compound";
let operatorKinds: Record<number, OperatorKind> | undefined;
let operatorKindsFor: unknown;

/** Operators that convert their operands (and `===`-style comparisons, which ignore tracer values). */
export function operatorKind(ts: AnalysisContext["ts"], op: TS.SyntaxKind): OperatorKind | undefined {
  if (operatorKinds && operatorKindsFor === ts) return operatorKinds[op];
  const K = ts.SyntaxKind;
  const table: Record<number, OperatorKind> = {};
  for (const k of [K.PlusToken, K.MinusToken, K.AsteriskToken, K.SlashToken, K.PercentToken, K.AsteriskAsteriskToken,
    K.LessThanLessThanToken, K.GreaterThanGreaterThanToken, K.GreaterThanGreaterThanGreaterThanToken, K.AmpersandToken, K.BarToken, K.CaretToken]) table[k] = "arithmetic";
  for (const k of [K.LessThanToken, K.LessThanEqualsToken, K.GreaterThanToken, K.GreaterThanEqualsToken]) table[k] = "comparison";
  for (const k of [K.EqualsEqualsToken, K.EqualsEqualsEqualsToken, K.ExclamationEqualsToken, K.ExclamationEqualsEqualsToken]) table[k] = "equality";
  for (const k of [K.PlusEqualsToken, K.MinusEqualsToken, K.AsteriskEqualsToken, K.SlashEqualsToken, K.PercentEqualsToken, K.AsteriskAsteriskEqualsToken,
    K.LessThanLessThanEqualsToken, K.GreaterThanGreaterThanEqualsToken, K.GreaterThanGreaterThanGreaterThanEqualsToken, K.AmpersandEqualsToken, K.BarEqualsToken, K.CaretEqualsToken]) table[k] = "compound";
  operatorKinds = table;
  operatorKindsFor = ts;
  return table[op];
}
