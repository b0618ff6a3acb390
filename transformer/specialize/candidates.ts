// Static values known at build time for a jit site: the explicit `specialize` option,
// the static parameters' types (literal unions, boolean, enums), and literal arguments at
// call sites of the jitted function anywhere in the program.

import type * as TS from "typescript";
import type { TypeScriptApi } from "./typescript-api.js";

export type StaticValue = string | number | boolean | bigint | null | undefined;

export interface CandidateContext {
  readonly ts: TypeScriptApi;
  readonly checker: TS.TypeChecker;
  readonly program: TS.Program;
}

/** A literal's value, following `const` identifiers and enum members; `NONE` if not a literal. */
export const NONE: unique symbol = Symbol("none");

export function literalValue(cx: CandidateContext, expr: TS.Expression, depth = 0): StaticValue | typeof NONE {
  const { ts, checker } = cx;
  if (depth > 8) return NONE;
  if (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr) || ts.isSatisfiesExpression(expr)) return literalValue(cx, expr.expression, depth + 1);
  if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return expr.text;
  if (ts.isNumericLiteral(expr)) return Number(expr.text);
  if (ts.isBigIntLiteral(expr)) return BigInt(expr.text.slice(0, -1));
  if (expr.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (expr.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (expr.kind === ts.SyntaxKind.NullKeyword) return null;
  if (ts.isPrefixUnaryExpression(expr) && expr.operator === ts.SyntaxKind.MinusToken) {
    const v = literalValue(cx, expr.operand, depth + 1);
    return typeof v === "number" || typeof v === "bigint" ? -v : NONE;
  }
  if (ts.isIdentifier(expr) && expr.text === "undefined") return undefined;
  // Enum members, `const` bindings and anything else whose type is a single literal.
  if (ts.isIdentifier(expr) || ts.isPropertyAccessExpression(expr) || ts.isElementAccessExpression(expr)) {
    const type = checker.getTypeAtLocation(expr);
    if (type.isStringLiteral() || type.isNumberLiteral()) return type.value;
    if (type.flags & ts.TypeFlags.BigIntLiteral) return bigintOf(type as TS.BigIntLiteralType);
    if (type.flags & ts.TypeFlags.BooleanLiteral) return (type as unknown as { intrinsicName: string }).intrinsicName === "true";
  }
  return NONE;
}

/**
 * A tree of literals (`{ argnums: [0, 1], hasAux: true }`, `[0, null]`), following `const`
 * bindings: the options of a transformation around a jit site's function. NONE otherwise.
 */
export function literalTree(cx: CandidateContext, expr: TS.Expression, depth = 0): unknown {
  const { ts, checker } = cx;
  if (depth > 8) return NONE;
  if (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr) || ts.isSatisfiesExpression(expr)) return literalTree(cx, expr.expression, depth + 1);
  if (ts.isArrayLiteralExpression(expr)) {
    const out: unknown[] = [];
    for (const el of expr.elements) {
      const v = ts.isSpreadElement(el) ? NONE : literalTree(cx, el, depth + 1);
      if (v === NONE) return NONE;
      out.push(v);
    }
    return out;
  }
  if (ts.isObjectLiteralExpression(expr)) {
    const out: Record<string, unknown> = {};
    for (const p of expr.properties) {
      if (!ts.isPropertyAssignment(p) || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) return NONE;
      const v = literalTree(cx, p.initializer, depth + 1);
      if (v === NONE) return NONE;
      out[p.name.text] = v;
    }
    return out;
  }
  if (ts.isIdentifier(expr) && expr.text !== "undefined") {
    const decl = checker.getSymbolAtLocation(expr)?.valueDeclaration;
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer && ts.isVariableDeclarationList(decl.parent) && decl.parent.flags & ts.NodeFlags.Const) {
      const v = literalTree(cx, decl.initializer, depth + 1);
      if (v !== NONE) return v;
    }
  }
  return literalValue(cx, expr, depth + 1);
}

function bigintOf(type: TS.BigIntLiteralType): bigint {
  const v = BigInt(type.value.base10Value);
  return type.value.negative ? -v : v;
}

/** A static value as a literal in messages (`2n`, `"relu"`, `undefined`): JSON cannot write a BigInt. */
export function formatStatic(v: StaticValue): string {
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "string") return JSON.stringify(v);
  return Object.is(v, -0) ? "-0" : String(v);
}

/** The finite set of values a static parameter's type allows, or undefined. */
export function valuesOfType(cx: CandidateContext, type: TS.Type): StaticValue[] | undefined {
  const { ts } = cx;
  const parts = type.isUnion() ? type.types : [type];
  const out: StaticValue[] = [];
  for (const t of parts) {
    if (t.isStringLiteral() || t.isNumberLiteral()) out.push(t.value);
    else if (t.flags & ts.TypeFlags.BigIntLiteral) out.push(bigintOf(t as TS.BigIntLiteralType));
    else if (t.flags & ts.TypeFlags.BooleanLiteral) out.push((t as unknown as { intrinsicName: string }).intrinsicName === "true");
    else if (t.flags & ts.TypeFlags.Null) out.push(null);
    else if (t.flags & ts.TypeFlags.Undefined) out.push(undefined);
    else if (t.flags & ts.TypeFlags.EnumLiteral && (t.isStringLiteral() || t.isNumberLiteral())) out.push(t.value);
    else return undefined;
  }
  return out;
}

/**
 * Combinations (one value per static position) from the `specialize: [{ name: value }]`
 * option, with the entry each came from (`origins`), and problems at the node they concern.
 */
export function fromSpecializeOption(cx: CandidateContext, option: TS.Expression | undefined, staticNames: readonly string[]):
  { combos: StaticValue[][]; origins: TS.Node[]; problems: { text: string; node: TS.Node }[] } {
  const { ts } = cx;
  const combos: StaticValue[][] = [];
  const origins: TS.Node[] = [];
  const problems: { text: string; node: TS.Node }[] = [];
  if (!option) return { combos, origins, problems };
  if (!ts.isArrayLiteralExpression(option)) return { combos, origins, problems: [{ text: "`specialize` must be an array literal of objects", node: option }] };
  for (const el of option.elements) {
    if (!ts.isObjectLiteralExpression(el)) { problems.push({ text: "each `specialize` entry must be an object literal", node: el }); continue; }
    const byName = new Map<string, StaticValue>();
    let ok = true;
    for (const prop of el.properties) {
      if (!ts.isPropertyAssignment(prop) || !(ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name))) { ok = false; problems.push({ text: "`specialize` entries take `name: literal` properties", node: prop }); break; }
      const v = literalValue(cx, prop.initializer);
      if (v === NONE) { ok = false; problems.push({ text: `\`specialize\` value for '${prop.name.text}' is not a literal`, node: prop.initializer }); break; }
      byName.set(prop.name.text, v);
    }
    if (!ok) continue;
    const missing = staticNames.filter((n) => !byName.has(n));
    const extra = [...byName.keys()].filter((n) => !staticNames.includes(n));
    if (missing.length || extra.length) {
      problems.push({ text: `\`specialize\` entry ${missing.length ? `lacks ${missing.join(", ")}` : `names non-static ${extra.join(", ")}`}`, node: el });
      continue;
    }
    combos.push(staticNames.map((n) => byName.get(n)!));
    origins.push(el);
  }
  return { combos, origins, problems };
}

/**
 * The program's calls by the name they call (`f(...)`, `m.f(...)` under "f"), and the local
 * names imports and exports give each name (`import { f as g }`), built in one walk.
 */
export interface CallIndex {
  readonly calls: ReadonlyMap<string, readonly TS.CallExpression[]>;
  readonly renames: ReadonlyMap<string, ReadonlySet<string>>;
}

export function indexCalls(cx: CandidateContext): CallIndex {
  const { ts, program } = cx;
  const calls = new Map<string, TS.CallExpression[]>();
  const renames = new Map<string, Set<string>>();
  const rename = (from: string, to: string) => {
    let set = renames.get(from);
    if (!set) renames.set(from, (set = new Set()));
    set.add(to);
  };
  for (const sf of program.getSourceFiles()) {
    if (sf.isDeclarationFile || program.isSourceFileFromExternalLibrary(sf)) continue;
    const visit = (node: TS.Node): void => {
      if (ts.isCallExpression(node)) {
        const callee = node.expression;
        const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
        if (name !== undefined) {
          let list = calls.get(name);
          if (!list) calls.set(name, (list = []));
          list.push(node);
        }
      } else if ((ts.isImportSpecifier(node) || ts.isExportSpecifier(node)) && node.propertyName && ts.isIdentifier(node.propertyName)) {
        rename(node.propertyName.text, node.name.text);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return { calls, renames };
}

/** Every call of `target` in the program (located through `index`). */
export function callsOf(cx: CandidateContext, index: CallIndex, target: TS.Symbol): TS.CallExpression[] {
  const { ts, checker } = cx;
  const same = (s: TS.Symbol | undefined) => {
    if (!s) return false;
    const r = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
    return r === target;
  };
  // Calls may use any name the target is imported or re-exported under.
  const names = new Set([target.name]);
  for (const n of names) for (const alias of index.renames.get(n) ?? []) names.add(alias);
  return [...names].flatMap((n) => index.calls.get(n) ?? []).filter((node) => same(checker.getSymbolAtLocation(node.expression)));
}

/** Literal static arguments at every call of `target` in the program (calls located through `index`). */
export function fromCallSites(cx: CandidateContext, index: CallIndex, target: TS.Symbol, staticPositions: readonly number[]): StaticValue[][] {
  const combos: StaticValue[][] = [];
  for (const node of callsOf(cx, index, target)) {
    const values = staticPositions.map((p) => (p < node.arguments.length ? literalValue(cx, node.arguments[p]!) : undefined));
    if (!values.includes(NONE)) combos.push(values as StaticValue[]);
  }
  return combos;
}

/** Every combination of per-position value sets (a cartesian product), up to `cap` + 1. */
export function product(sets: readonly StaticValue[][], cap: number): StaticValue[][] {
  let out: StaticValue[][] = [[]];
  for (const s of sets) {
    out = out.flatMap((prefix) => s.map((v) => [...prefix, v]));
    if (out.length > cap) return out.slice(0, cap + 1);
  }
  return out;
}
