// What every analysis module receives: the TypeScript instance the host handed us (never
// our own import: tsserver and ts-patch may run a different copy), the program and its
// checker, and the tsjit API as this program sees it.

import type * as TS from "typescript";
import type { TsjitApi } from "./api.js";

export type TypeScript = typeof TS;

export interface AnalysisContext {
  readonly ts: TypeScript;
  readonly program: TS.Program;
  readonly checker: TS.TypeChecker;
  readonly api: TsjitApi;
  /** Directory that `site` strings ("path.ts:line:col") are relative to. */
  readonly projectRoot: string;
  /** Answers about nodes that do not change within a program (the analysis asks repeatedly). */
  readonly memo: Memo;
  /** Evaluation steps one jit site may take before it is skipped (default STEP_BUDGET). */
  readonly stepBudget?: number;
}

export type MemoKind = "symbol" | "shorthandValue" | "type" | "callee" | "functions" | "isJit";

const NONE = { none: true };

export class Memo {
  private readonly maps: Record<MemoKind, WeakMap<object, unknown>> = {
    symbol: new WeakMap(), shorthandValue: new WeakMap(), type: new WeakMap(), callee: new WeakMap(), functions: new WeakMap(), isJit: new WeakMap(),
  };

  /** The cached answer to question `kind` about `node`, computed once per program. */
  get<T>(kind: MemoKind, node: object, compute: () => T): T {
    const map = this.maps[kind];
    const cached = map.get(node);
    if (cached !== undefined) return (cached === NONE ? undefined : cached) as T;
    const value = compute();
    map.set(node, value === undefined ? NONE : value);
    return value;
  }
}

/** Strips wrappers that do not change a value: parentheses, `as`, `!`, `satisfies`, `<T>x`. */
export function skipOuterExpressions(ts: TypeScript, node: TS.Expression): TS.Expression {
  let e = node;
  for (;;) {
    if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e)) {
      e = e.expression;
    } else return e;
  }
}

/** The symbol an identifier or property name refers to, with import aliases resolved. */
export function skipAlias(ctx: AnalysisContext, symbol: TS.Symbol): TS.Symbol {
  return symbol.flags & ctx.ts.SymbolFlags.Alias ? ctx.checker.getAliasedSymbol(symbol) : symbol;
}

export function relativeSitePath(projectRoot: string, fileName: string): string {
  const root = projectRoot.endsWith("/") ? projectRoot : projectRoot + "/";
  return fileName.startsWith(root) ? fileName.slice(root.length) : fileName;
}

/** 1-based line and column of a position, as editors and tsc print them. */
export function lineAndColumn(sourceFile: TS.SourceFile, pos: number): { line: number; column: number } {
  const { line, character } = sourceFile.getLineAndCharacterOfPosition(pos);
  return { line: line + 1, column: character + 1 };
}
