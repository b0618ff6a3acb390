// TS990007: an NDArray tested for truthiness anywhere (not only in jit): an array is an
// object, so `if (np.array(v).sum().gt(0))` always takes its first branch, eagerly too. Like
// TypeScript's own "this condition will always return true". A nullable array
// (`NDArray | undefined`) is a presence check and is not reported.

import type * as TS from "typescript";
import { skipOuterExpressions, type AnalysisContext } from "./context.js";
import { Code, spanOf, type Finding } from "./findings.js";
import { alwaysTruthyMessage, type ConditionKind } from "./messages.js";

/**
 * Without strictNullChecks, `bias?: NDArray` has type NDArray: a presence check cannot be
 * told from an always-true test, so nothing is reported. (`strict` is on by default from
 * TypeScript 6.)
 */
function strictNullChecks(ctx: AnalysisContext): boolean {
  const options = ctx.program.getCompilerOptions();
  return options.strictNullChecks ?? options.strict ?? Number(ctx.ts.versionMajorMinor.split(".")[0]) >= 6;
}

export function checkArrayTruthiness(ctx: AnalysisContext, file: TS.SourceFile): Finding[] {
  const { ts } = ctx;
  const out: Finding[] = [];
  if (!strictNullChecks(ctx)) return out;
  const reported = new Set<TS.Node>();

  const isArray = (e: TS.Expression): boolean => {
    const type = ctx.checker.getTypeAtLocation(e);
    const types = type.isUnion() ? type.types : [type];
    return types.every((t) => (t.flags & ts.TypeFlags.Object) !== 0 && ctx.api.isNDArrayType(t));
  };

  /**
   * `node` is tested for truthiness: through `&&`, `||`, `!`, `?:` and parentheses to the
   * values tested. `whole`: its truthiness alone decides the construct `kind`.
   */
  const tested = (node: TS.Expression, kind: ConditionKind, whole = true): void => {
    const e = skipOuterExpressions(ts, node);
    if (ts.isBinaryExpression(e)) {
      const op = e.operatorToken.kind;
      if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken) {
        const operator = op === ts.SyntaxKind.AmpersandAmpersandToken ? "and" : "or";
        tested(e.left, operator, true);
        tested(e.right, operator, false);
        return;
      }
      if (op === ts.SyntaxKind.CommaToken) return tested(e.right, kind, whole);
    }
    if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) return tested(e.operand, "not", true);
    if (ts.isConditionalExpression(e)) {
      tested(e.whenTrue, kind, false);
      tested(e.whenFalse, kind, false);
      return;
    }
    if (reported.has(e) || !isArray(e)) return;
    reported.add(e);
    out.push({ code: Code.AlwaysTruthy, category: "error", span: spanOf(e), message: alwaysTruthyMessage(kind, whole, e.getText()), related: [] });
  };

  const isGlobalBoolean = (callee: TS.Expression): boolean => {
    if (!ts.isIdentifier(callee) || callee.text !== "Boolean") return false;
    const decl = ctx.checker.getSymbolAtLocation(callee)?.declarations?.[0];
    return decl !== undefined && ctx.program.isSourceFileDefaultLibrary(decl.getSourceFile());
  };

  const visit = (node: TS.Node): void => {
    if (ts.isIfStatement(node)) tested(node.expression, "if");
    else if (ts.isWhileStatement(node)) tested(node.expression, "while");
    else if (ts.isDoStatement(node)) tested(node.expression, "do");
    else if (ts.isForStatement(node) && node.condition) tested(node.condition, "for");
    else if (ts.isConditionalExpression(node)) tested(node.condition, "ternary");
    else if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) tested(node.operand, "not");
    else if (ts.isCallExpression(node) && node.arguments.length === 1 && isGlobalBoolean(node.expression)) tested(node.arguments[0]!, "Boolean");
    else if (ts.isBinaryExpression(node)) {
      // The left operand of `&&`/`||` is always tested; the right one only where the whole is.
      const op = node.operatorToken.kind;
      if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.AmpersandAmpersandEqualsToken) tested(node.left, "and");
      else if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.BarBarEqualsToken) tested(node.left, "or");
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return out;
}
