// What a call calls, as far as the taint rules care: tsjit's API (np, lax, NDArray methods),
// a user function whose body the analysis can enter, the standard library, or something
// opaque.

import type * as TS from "typescript";
import { skipAlias, skipOuterExpressions, type AnalysisContext } from "./context.js";
import { isAnalyzableFunction, resolveFunction, type FunctionWithBody } from "./functions.js";

export type Callee =
  | { readonly kind: "tsjit"; readonly decl: TS.SignatureDeclaration; readonly name: string; readonly method?: string }
  | { readonly kind: "function"; readonly fn: FunctionWithBody; readonly name: string }
  | { readonly kind: "library"; readonly decl: TS.SignatureDeclaration; readonly name: string; readonly method?: string; readonly global?: string }
  | { readonly kind: "unknown"; readonly decl: TS.SignatureDeclaration | undefined; readonly name: string };

/** Standard-library globals that convert their argument. */
export const CONVERTING_GLOBALS = new Set(["Number", "String", "BigInt", "Boolean", "parseInt", "parseFloat", "isNaN", "isFinite"]);

export function calleeName(ctx: AnalysisContext, callee: TS.Expression): string {
  const { ts } = ctx;
  const e = skipOuterExpressions(ts, callee);
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) {
    const object = skipOuterExpressions(ts, e.expression);
    const prefix = ts.isIdentifier(object) ? object.text : ts.isPropertyAccessExpression(object) ? calleeName(ctx, object) : "";
    return prefix && prefix.length <= 24 ? `${prefix}.${e.name.text}` : `.${e.name.text}`;
  }
  return "the function";
}

function methodName(ctx: AnalysisContext, callee: TS.Expression): string | undefined {
  const e = skipOuterExpressions(ctx.ts, callee);
  return ctx.ts.isPropertyAccessExpression(e) ? e.name.text : undefined;
}

function globalName(ctx: AnalysisContext, callee: TS.Expression): string | undefined {
  const { ts } = ctx;
  const e = skipOuterExpressions(ts, callee);
  if (!ts.isIdentifier(e) || !CONVERTING_GLOBALS.has(e.text)) return undefined;
  const symbol = ctx.checker.getSymbolAtLocation(e);
  const decl = symbol && skipAlias(ctx, symbol).declarations?.[0];
  return decl && ctx.program.isSourceFileDefaultLibrary(decl.getSourceFile()) ? e.text : undefined;
}

export function classifyCall(ctx: AnalysisContext, call: TS.CallExpression | TS.NewExpression): Callee {
  const name = calleeName(ctx, call.expression);
  const method = methodName(ctx, call.expression);
  const signature = ctx.checker.getResolvedSignature(call);
  const decl = signature?.getDeclaration();
  if (decl && ctx.api.isTsjitDeclaration(decl)) return { kind: "tsjit", decl, name, ...(method ? { method } : {}) };
  if (ctx.ts.isCallExpression(call)) {
    const fn = resolveFunction(ctx, call.expression);
    if (fn && isAnalyzableFunction(ctx, fn)) return { kind: "function", fn, name };
  } else {
    const ctor = constructorOf(ctx, call);
    if (ctor) return { kind: "function", fn: ctor, name };
  }
  if (decl && ctx.program.isSourceFileDefaultLibrary(decl.getSourceFile())) {
    const global = globalName(ctx, call.expression);
    return { kind: "library", decl, name, ...(method ? { method } : {}), ...(global ? { global } : {}) };
  }
  return { kind: "unknown", decl, name };
}

/** The constructor body a `new` expression runs, for user classes. */
function constructorOf(ctx: AnalysisContext, expr: TS.NewExpression): FunctionWithBody | undefined {
  const { ts } = ctx;
  const target = skipOuterExpressions(ts, expr.expression);
  const raw = ctx.checker.getSymbolAtLocation(target);
  const symbol = raw && skipAlias(ctx, raw);
  const cls = symbol?.valueDeclaration;
  if (!cls || !(ts.isClassDeclaration(cls) || ts.isClassExpression(cls))) return undefined;
  const ctor = cls.members.find((m): m is TS.ConstructorDeclaration => ts.isConstructorDeclaration(m) && m.body !== undefined);
  return ctor && isAnalyzableFunction(ctx, ctor) ? ctor : undefined;
}

/** tsjit's replacement for a Math function or converting global, when np has one. */
export function npEquivalent(name: string): string | undefined {
  const bare = name.startsWith("Math.") ? name.slice(5) : name;
  const mapped = NP_FOR[bare];
  return mapped ? `np.${mapped}(...)` : undefined;
}

const NP_FOR: Record<string, string> = {
  exp: "exp", log: "log", log1p: "log1p", expm1: "expm1", sqrt: "sqrt", abs: "abs", sign: "sign",
  sin: "sin", cos: "cos", tan: "tan", tanh: "tanh", floor: "floor", ceil: "ceil", round: "round",
  max: "maximum", min: "minimum", pow: "power", atan2: "arctan2", isNaN: "isnan", isFinite: "isfinite",
};

/** np functions for JavaScript operators on traced values. */
export const NP_FOR_OPERATOR: Readonly<Record<string, string>> = {
  "+": "np.add(a, b)", "-": "np.subtract(a, b)", "*": "np.multiply(a, b)", "/": "np.divide(a, b)", "%": "np.mod(a, b)", "**": "np.power(a, b)",
  "<": "np.less(a, b)", "<=": "np.lessEqual(a, b)", ">": "np.greater(a, b)", ">=": "np.greaterEqual(a, b)",
  "==": "np.equal(a, b)", "===": "np.equal(a, b)", "!=": "np.notEqual(a, b)", "!==": "np.notEqual(a, b)",
  "+=": "x = np.add(x, y)", "-=": "x = np.subtract(x, y)", "*=": "x = np.multiply(x, y)", "/=": "x = np.divide(x, y)", "%=": "x = np.mod(x, y)", "**=": "x = np.power(x, y)",
  "++": "x = np.add(x, 1)", "--": "x = np.subtract(x, 1)",
};

export const READBACK_METHODS = new Set(["item", "data", "dataSync", "tolist", "toString", "valueOf", "toLocaleString"]);
export const MUTATING_METHODS = new Set(["push", "unshift", "splice", "set", "add", "fill"]);
