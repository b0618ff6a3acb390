// Mechanical fixes for findings, as text edits in the finding's file (the editor plugin
// offers them as code fixes). Each builder returns undefined where the fix is not plainly
// safe: options that are not an object literal, branches with side effects, and so on.

import type * as TS from "typescript";
import { PACKAGE_NAME } from "./api.js";
import { classifyCall } from "./callees.js";
import { skipOuterExpressions, type AnalysisContext } from "./context.js";
import type { Origin } from "./origins.js";
import type { JitSite } from "./sites.js";

export interface TextEdit {
  readonly start: number;
  readonly length: number;
  readonly newText: string;
}

export interface Fix {
  /** Stable id of the kind of fix (the code action's fixName). */
  readonly name: "tsjitMarkStatic" | "tsjitWhere" | "tsjitStaticName";
  readonly description: string;
  readonly edits: readonly TextEdit[];
}

function quoteList(items: readonly string[]): string {
  return items.map((s) => `'${s}'`).join(", ");
}

function insert(at: number, newText: string): TextEdit {
  return { start: at, length: 0, newText };
}

function replace(node: TS.Node, newText: string): TextEdit {
  const start = node.getStart();
  return { start, length: node.getEnd() - start, newText };
}

function propertyNamed(ts: AnalysisContext["ts"], object: TS.ObjectLiteralExpression, name: string): TS.ObjectLiteralElementLike | undefined {
  return object.properties.find((p) => p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name);
}

/** Adds `values` to the array option `key` of a jit call's options (creating what is missing). */
function extendOption(ts: AnalysisContext["ts"], call: TS.CallExpression, options: TS.Expression | undefined, key: string, values: readonly string[]): TextEdit[] | undefined {
  const list = values.join(", ");
  if (!options) {
    const fn = call.arguments[0];
    return fn ? [insert(fn.getEnd(), `, { ${key}: [${list}] }`)] : undefined;
  }
  const object = skipOuterExpressions(ts, options);
  if (!ts.isObjectLiteralExpression(object)) return undefined;
  const property = propertyNamed(ts, object, key);
  if (!property) {
    const last = object.properties.at(-1);
    return [last ? insert(last.getEnd(), `, ${key}: [${list}]`) : replace(object, `{ ${key}: [${list}] }`)];
  }
  if (!ts.isPropertyAssignment(property)) return undefined;
  const value = skipOuterExpressions(ts, property.initializer);
  if (ts.isArrayLiteralExpression(value)) {
    const last = value.elements.at(-1);
    return [last ? insert(last.getEnd(), `, ${list}`) : replace(value, `[${list}]`)];
  }
  // A single name or number becomes a list.
  if (ts.isStringLiteral(value) || ts.isNumericLiteral(value)) return [replace(value, `[${value.getText()}, ${list}]`)];
  return undefined;
}

/**
 * "Mark 'x' static": every origin must be a parameter of this site that can be static (the
 * value stays traced otherwise). Call sites get `staticArgnames`/`staticArgnums`;
 * `/** @jit *\/` functions get `@static` tags.
 */
export function markStaticFix(ctx: AnalysisContext, site: JitSite, origins: readonly Origin[]): Fix | undefined {
  const { ts } = ctx;
  if (origins.length === 0 || origins.some((o) => !o.fix)) return undefined;
  const names = [...new Set(origins.flatMap((o) => (o.fix!.kind === "num" ? [] : [o.fix!.name])))];
  const nums = [...new Set(origins.flatMap((o) => (o.fix!.kind === "num" ? [o.fix!.index] : [])))];
  const shown = [...new Set(origins.map((o) => o.name))];
  const description = `Mark ${quoteList(shown)} static`;
  if (site.kind !== "call") {
    if (nums.length) return undefined;
    const { commentPos, commentEnd } = site.annotation;
    const text = site.node.getSourceFile().text.slice(commentPos, commentEnd);
    const jit = /@jit(?=[\s*]|$)/.exec(text);
    if (!jit) return undefined;
    return { name: "tsjitMarkStatic", description: `${description} (@static)`, edits: [insert(commentPos + jit.index + jit[0].length, names.map((n) => ` @static ${n}`).join(""))] };
  }
  if (names.length && nums.length) return undefined;
  const edits = names.length
    ? extendOption(ts, site.node, site.options, "staticArgnames", names.map((n) => JSON.stringify(n)))
    : extendOption(ts, site.node, site.options, "staticArgnums", nums.map(String));
  return edits && { name: "tsjitMarkStatic", description: `${description} (${names.length ? "staticArgnames" : "staticArgnums"})`, edits };
}

// ---- `cond ? a : b` -> `np.where(cond, a, b)`

const COMPARISON_FUNCTIONS: Readonly<Record<string, string>> = {
  "<": "less", "<=": "lessEqual", ">": "greater", ">=": "greaterEqual",
  "==": "equal", "===": "equal", "!=": "notEqual", "!==": "notEqual",
};

/** Evaluating the expression has no side effects (both branches run under np.where). */
function isPure(ctx: AnalysisContext, node: TS.Expression): boolean {
  const { ts } = ctx;
  const e = skipOuterExpressions(ts, node);
  if (ts.isIdentifier(e) || ts.isNumericLiteral(e) || ts.isBigIntLiteral(e) || ts.isStringLiteral(e)) return true;
  switch (e.kind) {
    case ts.SyntaxKind.TrueKeyword:
    case ts.SyntaxKind.FalseKeyword:
    case ts.SyntaxKind.NullKeyword:
    case ts.SyntaxKind.ThisKeyword:
      return true;
  }
  if (ts.isPropertyAccessExpression(e)) return isPure(ctx, e.expression);
  if (ts.isElementAccessExpression(e)) return isPure(ctx, e.expression) && isPure(ctx, e.argumentExpression);
  if (ts.isPrefixUnaryExpression(e)) return e.operator !== ts.SyntaxKind.PlusPlusToken && e.operator !== ts.SyntaxKind.MinusMinusToken && isPure(ctx, e.operand);
  if (ts.isArrayLiteralExpression(e)) return e.elements.every((x) => !ts.isSpreadElement(x) && isPure(ctx, x));
  if (ts.isCallExpression(e)) {
    // tsjit's operations are pure (np.asarray(x), x.neg()); anything else may not be.
    const callee = skipOuterExpressions(ts, e.expression);
    const receiverPure = !ts.isPropertyAccessExpression(callee) || isPure(ctx, callee.expression);
    return receiverPure && ctx.memo.get("callee", e, () => classifyCall(ctx, e)).kind === "tsjit" && e.arguments.every((a) => !ts.isSpreadElement(a) && isPure(ctx, a));
  }
  return false;
}

/** How this file names tsjit's `np`, and the edit that imports it when it does not. */
function npReference(ctx: AnalysisContext, file: TS.SourceFile): { name: string; edits: TextEdit[] } {
  const { ts } = ctx;
  let named: TS.NamedImports | undefined;
  let lastImport: TS.ImportDeclaration | undefined;
  for (const s of file.statements) {
    if (!ts.isImportDeclaration(s)) continue;
    lastImport = s;
    if (!ts.isStringLiteral(s.moduleSpecifier) || s.moduleSpecifier.text !== PACKAGE_NAME || !s.importClause) continue;
    const bindings = s.importClause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings) && !s.importClause.isTypeOnly) return { name: `${bindings.name.text}.np`, edits: [] };
    if (!bindings || !ts.isNamedImports(bindings) || s.importClause.isTypeOnly) continue;
    const np = bindings.elements.find((e) => (e.propertyName ?? e.name).text === "np" && !e.isTypeOnly);
    if (np) return { name: np.name.text, edits: [] };
    named ??= bindings;
  }
  if (named) {
    const last = named.elements.at(-1);
    return { name: "np", edits: [last ? insert(last.getEnd(), ", np") : replace(named, "{ np }")] };
  }
  const at = lastImport ? lastImport.getEnd() : 0;
  return { name: "np", edits: [insert(at, lastImport ? `\nimport { np } from "${PACKAGE_NAME}";` : `import { np } from "${PACKAGE_NAME}";\n`)] };
}

/**
 * `cond ? a : b` with a traced condition -> `np.where(cond', a, b)`, where a comparison
 * becomes its np function (`x > y` -> `np.greater(x, y)`) and an array or traced scalar
 * condition stays as written; `&&`, `||`, `!` are left to the user. Only for branches without
 * side effects: np.where evaluates both.
 */
export function whereFix(ctx: AnalysisContext, conditional: TS.ConditionalExpression): Fix | undefined {
  const { ts } = ctx;
  if (!isPure(ctx, conditional.whenTrue) || !isPure(ctx, conditional.whenFalse)) return undefined;
  const file = conditional.getSourceFile();
  const { name: np, edits } = npReference(ctx, file);
  const cond = skipOuterExpressions(ts, conditional.condition);
  let condText: string;
  // The condition runs once either way (in the same order): it need not be pure.
  if (ts.isBinaryExpression(cond)) {
    const fn = COMPARISON_FUNCTIONS[ts.tokenToString(cond.operatorToken.kind) ?? ""];
    if (!fn) return undefined;
    condText = `${np}.${fn}(${cond.left.getText()}, ${cond.right.getText()})`;
  } else if (ts.isPrefixUnaryExpression(cond) || ts.isConditionalExpression(cond)) {
    return undefined;
  } else {
    condText = cond.getText();
  }
  const text = `${np}.where(${condText}, ${conditional.whenTrue.getText()}, ${conditional.whenFalse.getText()})`;
  return { name: "tsjitWhere", description: `Rewrite as ${np}.where(cond, a, b)`, edits: [...edits, replace(conditional, text)] };
}

/** TS990005: replace a misspelled static name with the parameter it most likely meant. */
export function staticNameFix(file: TS.SourceFile, span: { start: number; length: number }, written: string, suggestion: string): Fix {
  // A string literal keeps its quotes; an @static tag is the bare name.
  const text = file.text.slice(span.start, span.start + span.length);
  const inner = text.length === written.length + 2 ? 1 : 0;
  return { name: "tsjitStaticName", description: `Change '${written}' to '${suggestion}'`, edits: [{ start: span.start + inner, length: written.length, newText: suggestion }] };
}
