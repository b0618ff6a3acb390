// Resolving an expression to the function it denotes, and reading a function's parameters.

import type * as TS from "typescript";
import { skipOuterExpressions, skipAlias, type AnalysisContext } from "./context.js";
import { DESTRUCTURED } from "../../runtime/jit/destructured.js";

export type FunctionWithBody = TS.FunctionLikeDeclaration & { readonly body: TS.ConciseBody };

export { DESTRUCTURED };
export const ANONYMOUS = "<anonymous>";

export function hasBody(ts: AnalysisContext["ts"], node: TS.Node): node is FunctionWithBody {
  return (
    (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node) ||
      ts.isConstructorDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node)) &&
    node.body !== undefined
  );
}

/** A function whose body the analysis may enter: user code, not tsjit's own or a .d.ts. */
export function isAnalyzableFunction(ctx: AnalysisContext, fn: TS.Node): fn is FunctionWithBody {
  if (!hasBody(ctx.ts, fn)) return false;
  const file = fn.getSourceFile();
  return !file.isDeclarationFile && !ctx.api.isTsjitDeclaration(fn) && !ctx.program.isSourceFileDefaultLibrary(file);
}

/** The function with a body that `expr` denotes: inline, a declaration, or a const bound to one. */
export function resolveFunction(ctx: AnalysisContext, expr: TS.Expression, depth = 0): FunctionWithBody | undefined {
  const { ts } = ctx;
  const e = skipOuterExpressions(ts, expr);
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return e;
  if (depth > 4 || !(ts.isIdentifier(e) || ts.isPropertyAccessExpression(e))) return undefined;
  const raw = ctx.checker.getSymbolAtLocation(e);
  if (!raw) return undefined;
  const symbol = skipAlias(ctx, raw);
  return functionOfSymbol(ctx, symbol, depth);
}

export function functionOfSymbol(ctx: AnalysisContext, symbol: TS.Symbol, depth = 0): FunctionWithBody | undefined {
  const { ts } = ctx;
  for (const decl of symbol.declarations ?? []) {
    if ((ts.isFunctionDeclaration(decl) || ts.isMethodDeclaration(decl)) && decl.body) return decl as FunctionWithBody;
    if (ts.isVariableDeclaration(decl) && decl.initializer && ts.isVariableDeclarationList(decl.parent) && decl.parent.flags & ts.NodeFlags.Const) {
      return resolveFunction(ctx, decl.initializer, depth + 1);
    }
    if (ts.isPropertyAssignment(decl)) return resolveFunction(ctx, decl.initializer, depth + 1);
  }
  return undefined;
}

/** Parameter names as the runtime sees them (TypeScript's `this` parameter is erased). */
export function runtimeParameters(ts: AnalysisContext["ts"], fn: TS.SignatureDeclaration): TS.ParameterDeclaration[] {
  return fn.parameters.filter((p) => !(ts.isIdentifier(p.name) && p.name.text === "this"));
}

export function parameterNames(ts: AnalysisContext["ts"], fn: TS.SignatureDeclaration): string[] {
  return runtimeParameters(ts, fn).map((p) => (ts.isIdentifier(p.name) ? p.name.text : DESTRUCTURED));
}

export function functionDisplayName(ts: AnalysisContext["ts"], fn: TS.Node): string {
  const named = fn as TS.Node & { name?: TS.Node };
  if (named.name && (ts.isIdentifier(named.name) || ts.isPrivateIdentifier(named.name))) return named.name.text;
  // An anonymous function takes the name it is stored under, also through a call wrapping
  // it (`const relu = jit((x) => ...)`).
  let holder: TS.Node | undefined = fn.parent;
  if (holder && ts.isCallExpression(holder)) holder = holder.parent;
  if (holder && (ts.isVariableDeclaration(holder) || ts.isPropertyAssignment(holder) || ts.isPropertyDeclaration(holder)) && ts.isIdentifier(holder.name)) return holder.name.text;
  return ANONYMOUS;
}
