// Reading `staticArgnames` / `staticArgnums` from a jit options argument, as far as the
// build can know them: literals, consts bound to literals, `as const` values, and failing
// that the literal types the checker infers. When they cannot be known, the site is not
// analyzed (better no diagnostic than one built on a guess).

import type * as TS from "typescript";
import { skipOuterExpressions, type AnalysisContext } from "./context.js";

export interface StaticName {
  readonly name: string;
  /** Where the name is written (absent when it came from a type). */
  readonly node?: TS.Node;
  /** Position and length in the file when the name has no node (`@static` tags). */
  readonly pos?: number;
}

export interface StaticNum {
  readonly value: number;
  readonly node?: TS.Node;
}

export type StaticSpec =
  | { readonly known: true; readonly names: readonly StaticName[]; readonly nums: readonly StaticNum[]; readonly where?: TS.Node }
  | { readonly known: false; readonly reason: string };

const EMPTY: StaticSpec = { known: true, names: [], nums: [] };
const MAX_DEPTH = 4;

function constInitializer(ctx: AnalysisContext, expr: TS.Expression): TS.Expression | undefined {
  const { ts } = ctx;
  const symbol = ts.isShorthandPropertyAssignment(expr.parent) && expr.parent.name === expr
    ? ctx.checker.getShorthandAssignmentValueSymbol(expr.parent)
    : ctx.checker.getSymbolAtLocation(expr);
  const decl = symbol?.valueDeclaration;
  if (decl && ts.isVariableDeclaration(decl) && decl.initializer && ts.isVariableDeclarationList(decl.parent) && decl.parent.flags & ts.NodeFlags.Const) {
    return decl.initializer;
  }
  return undefined;
}

function literalsOfType<T extends string | number>(ctx: AnalysisContext, type: TS.Type, kind: "string" | "number"): T[] | undefined {
  const { ts, checker } = ctx;
  const flag = kind === "string" ? ts.TypeFlags.StringLiteral : ts.TypeFlags.NumberLiteral;
  if (type.flags & flag) return [(type as TS.LiteralType).value as T];
  if (type.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)) return [];
  if (checker.isTupleType(type)) {
    const out: T[] = [];
    for (const element of checker.getTypeArguments(type as TS.TypeReference)) {
      if (!(element.flags & flag)) return undefined;
      out.push((element as TS.LiteralType).value as T);
    }
    return out;
  }
  return undefined;
}

/** How to read one kind of literal: the value of a literal node, and the literal type flag. */
interface LiteralKind<T> {
  readonly kind: "string" | "number";
  literal(ts: AnalysisContext["ts"], e: TS.Expression): T | undefined;
}

const STRINGS: LiteralKind<string> = {
  kind: "string",
  literal: (ts, e) => (ts.isStringLiteralLike(e) ? e.text : undefined),
};

const NUMBERS: LiteralKind<number> = {
  kind: "number",
  literal: (ts, e) =>
    ts.isNumericLiteral(e) ? Number(e.text)
    : ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(e.operand) ? -Number(e.operand.text)
    : undefined,
};

/** A literal, an array of them, a const bound to either, or failing that literal types. */
function readLiterals<T extends string | number>(ctx: AnalysisContext, expr: TS.Expression, depth: number, kind: LiteralKind<T>): { value: T; node: TS.Node }[] | undefined {
  const { ts } = ctx;
  const e = skipOuterExpressions(ts, expr);
  const fromType = () => literalsOfType<T>(ctx, ctx.checker.getTypeAtLocation(e), kind.kind)?.map((value) => ({ value, node: e }));
  const value = kind.literal(ts, e);
  if (value !== undefined) return [{ value, node: e }];
  if (ts.isArrayLiteralExpression(e)) {
    const out: { value: T; node: TS.Node }[] = [];
    for (const element of e.elements) {
      const read = ts.isSpreadElement(element) ? undefined : readLiterals(ctx, element, depth + 1, kind);
      if (!read) return fromType();
      out.push(...read);
    }
    return out;
  }
  if (ts.isIdentifier(e) && depth < MAX_DEPTH) {
    if (e.text === "undefined") return [];
    const init = constInitializer(ctx, e);
    if (init) return readLiterals(ctx, init, depth + 1, kind);
  }
  return fromType();
}

function readNames(ctx: AnalysisContext, expr: TS.Expression, depth: number): StaticName[] | undefined {
  return readLiterals(ctx, expr, depth, STRINGS)?.map(({ value, node }) => ({ name: value, node }));
}

function readNums(ctx: AnalysisContext, expr: TS.Expression, depth: number): StaticNum[] | undefined {
  return readLiterals(ctx, expr, depth, NUMBERS);
}

/** Numbers given as a literal, an array of them, a const or literal types (`argnums`). */
export function readNumbers(ctx: AnalysisContext, expr: TS.Expression): number[] | undefined {
  return readNums(ctx, expr, 0)?.map((n) => n.value);
}

/** The initializer of the `const` an identifier names, if it is one. */
export { constInitializer };

export function propertyNameText(ctx: AnalysisContext, name: TS.PropertyName): string | undefined {
  const { ts } = ctx;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  return undefined;
}

/** The static arguments named by a jit options expression (absent options: none). */
export function readStaticOptions(ctx: AnalysisContext, options: TS.Expression | undefined, depth = 0): StaticSpec {
  const { ts, checker } = ctx;
  if (!options) return EMPTY;
  const e = skipOuterExpressions(ts, options);
  if (ts.isIdentifier(e) && e.text === "undefined") return EMPTY;
  if (ts.isIdentifier(e) && depth < MAX_DEPTH) {
    const init = constInitializer(ctx, e);
    if (init) return readStaticOptions(ctx, init, depth + 1);
  }
  if (ts.isObjectLiteralExpression(e)) {
    let names: StaticName[] = [];
    let nums: StaticNum[] = [];
    for (const property of e.properties) {
      if (ts.isSpreadAssignment(property)) return fromType();
      if (!property.name) continue;
      const key = propertyNameText(ctx, property.name);
      if (key === undefined) {
        if (ts.isComputedPropertyName(property.name)) return fromType();
        continue;
      }
      if (key !== "staticArgnames" && key !== "staticArgnums") continue;
      let value: TS.Expression | undefined;
      if (ts.isPropertyAssignment(property)) value = property.initializer;
      else if (ts.isShorthandPropertyAssignment(property)) value = constInitializer(ctx, property.name) ?? property.name;
      if (!value) return { known: false, reason: `'${key}' is not a plain value` };
      if (key === "staticArgnames") {
        const read = readNames(ctx, value, depth);
        if (!read) return { known: false, reason: "staticArgnames is not a literal" };
        names = read;
      } else {
        const read = readNums(ctx, value, depth);
        if (!read) return { known: false, reason: "staticArgnums is not a literal" };
        nums = read;
      }
    }
    return { known: true, names, nums, where: e };
  }
  return fromType();

  function fromType(): StaticSpec {
    const type = checker.getTypeAtLocation(e);
    const read = (key: string) => {
      const property = type.getProperty(key);
      return property ? checker.getTypeOfSymbolAtLocation(property, e) : undefined;
    };
    const namesType = read("staticArgnames");
    const numsType = read("staticArgnums");
    const names = namesType ? literalsOfType<string>(ctx, namesType, "string") : [];
    const nums = numsType ? literalsOfType<number>(ctx, numsType, "number") : [];
    if (!names || !nums) return { known: false, reason: "its static arguments are not literals" };
    return { known: true, names: names.map((name) => ({ name, node: e })), nums: nums.map((value) => ({ value, node: e })), where: e };
  }
}
