// Array specs for bare `NDArray` parameters, from what the jitted function is called with:
// `np.array` literals (nested array literals give the shape), `np.zeros/ones/full` with literal
// shapes, and variables whose type carries a spec (`NDArray<"float32", [2, 3]>`) or whose
// `const` initializer is one of those. A guess is never trusted: the run-time guard checks
// dtype and shape, and a call that does not fit is traced as usual.

import type * as TS from "typescript";
import type { TypeScriptApi } from "./typescript-api.js";
import { LeafSpec } from "../../runtime/specialize/specialize.js";
import { isDType, type DType } from "../../runtime/dtype.js";

export interface ArraySpecContext {
  readonly ts: TypeScriptApi;
  readonly checker: TS.TypeChecker;
  readonly isTsjitDeclaration: (decl: TS.Declaration) => boolean;
}

const CREATORS = new Set(["array", "zeros", "ones", "full"]);
const MAX_DEPTH = 6;

/** The spec of an argument expression, or undefined when the build cannot tell. */
export function arraySpecOfExpression(cx: ArraySpecContext, expr: TS.Expression, depth = 0): LeafSpec | undefined {
  const { ts, checker } = cx;
  if (depth > MAX_DEPTH) return undefined;
  if (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr) || ts.isSatisfiesExpression(expr) || ts.isNonNullExpression(expr)) {
    return arraySpecOfExpression(cx, expr.expression, depth + 1);
  }
  if (ts.isCallExpression(expr)) return creationSpec(cx, expr);
  if (!ts.isIdentifier(expr)) return undefined;
  const fromType = concreteTypeSpec(cx, checker.getTypeAtLocation(expr));
  if (fromType) return fromType;
  const symbol = checker.getSymbolAtLocation(expr);
  const decl = symbol?.valueDeclaration;
  if (decl && ts.isVariableDeclaration(decl) && decl.initializer && ts.isVariableDeclarationList(decl.parent) && decl.parent.flags & ts.NodeFlags.Const) {
    return arraySpecOfExpression(cx, decl.initializer, depth + 1);
  }
  return undefined;
}

/** `NDArray<"float32", [2, 3]>` with every size a number literal. */
function concreteTypeSpec(cx: ArraySpecContext, type: TS.Type): LeafSpec | undefined {
  const { ts, checker } = cx;
  const symbol = type.getSymbol() ?? type.aliasSymbol;
  if (!symbol || symbol.name !== "NDArray" || !(symbol.declarations ?? []).some((d) => cx.isTsjitDeclaration(d))) return undefined;
  const [dtypeType, shapeType] = (type as TS.TypeReference).typeArguments ?? checker.getTypeArguments(type as TS.TypeReference);
  if (!dtypeType || !(dtypeType.flags & ts.TypeFlags.StringLiteral) || !shapeType || !checker.isTupleType(shapeType)) return undefined;
  const dtype = (dtypeType as TS.StringLiteralType).value;
  if (!isDType(dtype)) return undefined;
  const shape: number[] = [];
  for (const t of checker.getTypeArguments(shapeType as TS.TypeReference)) {
    if (!(t.flags & ts.TypeFlags.NumberLiteral)) return undefined;
    shape.push((t as TS.NumberLiteralType).value);
  }
  return new LeafSpec(dtype, shape);
}

/** `np.array([[1, 2], [3, 4]])`, `np.zeros([2, 3], { dtype })`, `np.ones(4)`, `np.full([2], 0.5)`. */
function creationSpec(cx: ArraySpecContext, call: TS.CallExpression): LeafSpec | undefined {
  const { ts, checker } = cx;
  const callee = call.expression;
  const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
  if (!name || !CREATORS.has(name)) return undefined;
  let symbol = checker.getSymbolAtLocation(callee);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  if (!symbol || !(symbol.declarations ?? []).some((d) => cx.isTsjitDeclaration(d))) return undefined;
  const [first, second, third] = call.arguments;
  if (!first) return undefined;
  const optionsArg = name === "full" ? third : second;
  const explicit = optionsArg ? dtypeOption(cx, optionsArg) : undefined;
  if (explicit === null) return undefined;
  if (name === "array") {
    const shape: number[] = [];
    const kinds = new Set<string>();
    if (!literalShape(cx, first, 0, shape, kinds)) return undefined;
    // Every leaf sits at the same depth, the rank (`[1, [2]]` is not an array literal).
    const depths = [...kinds].filter((k) => k.startsWith("@"));
    if (depths.length > 1 || (depths.length === 1 && depths[0] !== `@${shape.length}`)) return undefined;
    kinds.forEach((k) => k.startsWith("@") && kinds.delete(k));
    const dtype = explicit ?? (kinds.size === 1 && kinds.has("boolean") ? "bool" : "float32");
    return new LeafSpec(dtype, shape);
  }
  const shape = shapeLiteral(cx, first);
  if (!shape) return undefined;
  let dtype: DType = explicit ?? "float32";
  if (name === "full" && !explicit && second && (second.kind === ts.SyntaxKind.TrueKeyword || second.kind === ts.SyntaxKind.FalseKeyword)) dtype = "bool";
  return new LeafSpec(dtype, shape);
}

/** The `dtype` of an options literal: undefined when absent, null when not known. */
function dtypeOption(cx: ArraySpecContext, expr: TS.Expression): DType | undefined | null {
  const { ts } = cx;
  if (!ts.isObjectLiteralExpression(expr)) return null;
  for (const p of expr.properties) {
    if (!ts.isPropertyAssignment(p) || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) return null;
    if (p.name.text !== "dtype") continue;
    const t = cx.checker.getTypeAtLocation(p.initializer);
    return t.isStringLiteral() && isDType(t.value) ? t.value : null;
  }
  return undefined;
}

/** A shape written as `[2, 3]` or `4` (literals or consts). */
function shapeLiteral(cx: ArraySpecContext, expr: TS.Expression): number[] | undefined {
  const { ts } = cx;
  const size = (e: TS.Expression) => {
    const t = cx.checker.getTypeAtLocation(e);
    return t.isNumberLiteral() && Number.isInteger(t.value) && t.value >= 0 ? t.value : undefined;
  };
  if (ts.isArrayLiteralExpression(expr)) {
    const out: number[] = [];
    for (const el of expr.elements) {
      const n = size(el);
      if (n === undefined) return undefined;
      out.push(n);
    }
    return out;
  }
  const n = size(expr);
  return n === undefined ? undefined : [n];
}

/** Fills `shape` from a rectangular nest of array literals; `kinds` collects the leaves' kinds. */
function literalShape(cx: ArraySpecContext, expr: TS.Expression, axis: number, shape: number[], kinds: Set<string>): boolean {
  const { ts } = cx;
  if (axis > 8) return false;
  if (ts.isArrayLiteralExpression(expr)) {
    const n = expr.elements.length;
    if (shape.length === axis) shape.push(n);
    else if (shape[axis] !== n) return false;
    for (const el of expr.elements) {
      if (ts.isSpreadElement(el) || ts.isOmittedExpression(el)) return false;
      if (!literalShape(cx, el, axis + 1, shape, kinds)) return false;
    }
    return true;
  }
  if (shape.length !== axis) return false; // a leaf where the nest goes deeper elsewhere
  kinds.add(`@${axis}`);
  const t = cx.checker.getTypeAtLocation(expr);
  if (t.flags & (ts.TypeFlags.NumberLike)) kinds.add("number");
  else if (t.flags & ts.TypeFlags.BooleanLike) kinds.add("boolean");
  else return false;
  return true;
}
