// Extracts a jitted function, with the module-level declarations it depends on, as
// JavaScript the build can evaluate (to trace it with the real runtime). Only what is
// safe to run at build time is accepted: tsjit's own exports, module-level `const`s,
// functions and enums of the same file (recursively), and a few pure globals. Anything
// else — mutable module state, locals of an enclosing function, other modules' imports,
// impure globals, `this` — makes the site unspecializable, with the reason.

import type * as TS from "typescript";
import { SourceMap } from "node:module";
import type { TypeScriptApi } from "./typescript-api.js";

/** Globals that are pure and identical at build and run time. */
const PURE_GLOBALS = new Set([
  "Math", "Number", "Infinity", "NaN", "undefined", "Object", "Array", "JSON", "String", "Boolean",
  "Float32Array", "Int32Array", "Uint8Array", "Symbol", "isFinite", "isNaN", "parseInt", "parseFloat",
]);

export type Extraction =
  | {
    readonly ok: true;
    readonly js: string;
    readonly runtimeBindings: ReadonlyMap<string, string | null>;
    /** The source file's 1-based line for a 1-based line of `js` (for notes that point at an operation). */
    readonly originalLine: (jsLine: number, jsColumn: number) => number | undefined;
  }
  | { readonly ok: false; readonly reason: string };

/**
 * A fast TypeScript-to-JavaScript type stripper a host may provide (the bundler plugin uses
 * its bundler's), with a source map; undefined or a throw falls back to ts.transpileModule.
 */
export type TypeStripper = (code: string) => { readonly code: string; readonly map: unknown } | undefined;

export interface ExtractContext {
  readonly ts: TypeScriptApi;
  readonly checker: TS.TypeChecker;
  /** Whether a declaration belongs to the tsjit package (its runtime). */
  readonly isTsjitDeclaration: (decl: TS.Declaration) => boolean;
  readonly stripTypes?: TypeStripper;
}

class Refused extends Error {}

/**
 * `fn` is the jitted function node: an arrow function, function expression, or function
 * declaration. Returns JS whose evaluation with `__tsjit` (the runtime's exports) bound
 * returns the function.
 */
/** Per function node, the extractions made (a host may specialize a site twice: see bundler/trace-pool.ts). */
const extractions = new WeakMap<TS.Node, { checker: TS.TypeChecker; stripTypes: TypeStripper | undefined; result: Extraction }[]>();

export function extractFunction(cx: ExtractContext, fn: TS.FunctionLikeDeclaration): Extraction {
  let made = extractions.get(fn);
  const known = made?.find((m) => m.checker === cx.checker && m.stripTypes === cx.stripTypes);
  if (known) return known.result;
  let result: Extraction;
  try {
    result = extractOrThrow(cx, fn);
  } catch (e) {
    if (!(e instanceof Refused)) throw e;
    result = { ok: false, reason: e.message };
  }
  if (!made) extractions.set(fn, (made = []));
  made.push({ checker: cx.checker, stripTypes: cx.stripTypes, result });
  return result;
}

function extractOrThrow(cx: ExtractContext, fn: TS.FunctionLikeDeclaration): Extraction {
  const { ts, checker } = cx;
  const sourceFile = fn.getSourceFile();
  /** Local name → tsjit export name (null for a namespace import). */
  const runtimeBindings = new Map<string, string | null>();
  const included = new Set<TS.Node>(); // module-level statements to emit
  const visiting = new Set<TS.Node>();

  const isModuleLevel = (statement: TS.Node) => statement.parent === sourceFile;

  const enclosingStatement = (decl: TS.Node): TS.Node | undefined => {
    let n: TS.Node | undefined = decl;
    while (n && n.parent !== sourceFile) n = n.parent;
    return n;
  };

  const within = (node: TS.Node, container: TS.Node) => node.pos >= container.pos && node.end <= container.end;

  const visitRoot = (root: TS.Node) => {
    if (visiting.has(root)) return;
    visiting.add(root);
    const walk = (node: TS.Node): void => {
      if (node.kind === ts.SyntaxKind.ThisKeyword) throw new Refused("it uses `this`");
      if (ts.isIdentifier(node)) resolveIdentifier(node, root);
      // Property names (`np.where`, `{ a: 1 }`) are not references.
      if (ts.isPropertyAccessExpression(node)) { walk(node.expression); return; }
      if (ts.isPropertyAssignment(node)) { if (ts.isComputedPropertyName(node.name)) walk(node.name); walk(node.initializer); return; }
      if (ts.isTypeNode(node) || ts.isTypeAliasDeclaration(node) || ts.isInterfaceDeclaration(node)) return;
      ts.forEachChild(node, walk);
    };
    walk(root);
  };

  const resolveIdentifier = (id: TS.Identifier, root: TS.Node) => {
    const parent = id.parent;
    // Declaration names and labels are not references.
    if ((ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isFunctionDeclaration(parent) ||
      ts.isFunctionExpression(parent) || ts.isBindingElement(parent) || ts.isEnumMember(parent) ||
      ts.isEnumDeclaration(parent) || ts.isClassDeclaration(parent)) && parent.name === id) return;
    if (ts.isBindingElement(parent) && parent.propertyName === id) return;
    if (ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent)) return;
    let symbol = ts.isShorthandPropertyAssignment(parent) ? checker.getShorthandAssignmentValueSymbol(parent) : checker.getSymbolAtLocation(id);
    if (!symbol) {
      if (id.text === "undefined" || id.text === "arguments") return;
      throw new Refused(`it uses '${id.text}', which the build cannot resolve`);
    }
    const decls = symbol.declarations ?? [];
    if (decls.length === 0) {
      if (PURE_GLOBALS.has(id.text)) return;
      throw new Refused(`it uses '${id.text}'`);
    }
    const decl = decls[0]!;
    // Declared inside what is being extracted: a local.
    if (decl.getSourceFile() === sourceFile && within(decl, root)) return;

    if (symbol.flags & ts.SymbolFlags.Alias) {
      const target = checker.getAliasedSymbol(symbol);
      const targetDecl = target.declarations?.[0];
      const importDecl = decl.kind === ts.SyntaxKind.NamespaceImport ? decl : undefined;
      if (importDecl || (target.declarations ?? []).some((d) => cx.isTsjitDeclaration(d))) {
        if (importDecl && !isTsjitImport(ts, importDecl, cx)) throw new Refused(`it uses '${id.text}' from another module`);
        runtimeBindings.set(id.text, importDecl ? null : target.name);
        return;
      }
      const from = targetDecl ? targetDecl.getSourceFile().fileName.split("/").pop()! : "another module";
      throw new Refused(`it calls or reads '${id.text}', imported from ${from} (only tsjit's own exports are known at build time)`);
    }

    if (decl.getSourceFile() !== sourceFile) {
      if (PURE_GLOBALS.has(id.text)) return;
      throw new Refused(`it reads the global '${id.text}', which may differ at run time`);
    }
    const statement = enclosingStatement(decl);
    if (!statement || !isModuleLevel(statement) || !isTopLevelDeclaration(ts, decl, sourceFile)) {
      throw new Refused(`it closes over '${id.text}', a local of an enclosing function, whose value is only known at run time`);
    }
    if (ts.isVariableStatement(statement)) {
      if (!(statement.declarationList.flags & ts.NodeFlags.Const)) {
        throw new Refused(`it closes over the mutable module variable '${id.text}' (declared with ${statement.declarationList.flags & ts.NodeFlags.Let ? "let" : "var"})`);
      }
      if (ts.isVariableDeclaration(decl) && !decl.initializer) throw new Refused(`'${id.text}' has no initializer`);
    } else if (!ts.isFunctionDeclaration(statement) && !ts.isEnumDeclaration(statement)) {
      throw new Refused(`it uses '${id.text}', a ${ts.SyntaxKind[statement.kind]} the build does not evaluate`);
    }
    if (!included.has(statement)) {
      included.add(statement);
      visitRoot(statement);
    }
  };

  visitRoot(fn);

  // Emit the dependencies in source order, then the function itself.
  const ordered = [...included].sort((a, b) => a.pos - b.pos);
  const parts = ordered.map((s) => stripExport(s.getText(sourceFile)));
  let fnText = fn.getText(sourceFile);
  const isDeclaration = ts.isFunctionDeclaration(fn) && fn.name;
  if (isDeclaration) fnText = stripExport(fnText);
  // Where each part starts, in the body and in the source file (0-based lines).
  const starts: { body: number; source: number }[] = [];
  let bodyLine = 0;
  for (const [i, node] of [...ordered, fn].entries()) {
    starts.push({ body: bodyLine, source: sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line });
    bodyLine += (i < parts.length ? parts[i]! : fnText).split("\n").length;
  }
  const body = [...parts, isDeclaration ? `${fnText}\nreturn ${fn.name!.text};` : `return (${fnText});`].join("\n");
  const { js, sourceMap, bodyOffset } = stripTypes(cx, body);
  const prologue = [...runtimeBindings]
    .map(([local, name]) => (name === null ? `const ${local} = __tsjit;` : `const ${local} = __tsjit[${JSON.stringify(name)}];`))
    .join("\n");
  const prologueLines = prologue.split("\n").length;
  let map: SourceMap | undefined;
  const originalLine = (jsLine: number, jsColumn: number): number | undefined => {
    try {
      map ??= new SourceMap(sourceMap() as ConstructorParameters<typeof SourceMap>[0]);
      const entry = map.findEntry(jsLine - 1 - prologueLines, Math.max(0, jsColumn - 1)) as { originalLine?: number };
      if (entry.originalLine === undefined) return undefined;
      const line = entry.originalLine - bodyOffset;
      const part = starts.filter((p) => p.body <= line).pop();
      return part ? part.source + (line - part.body) + 1 : undefined;
    } catch {
      return undefined;
    }
  };
  return { ok: true, js: `${prologue}\n${js}`, runtimeBindings, originalLine };
}

/**
 * `body` (statements ending in a `return`) as JavaScript, with its source map and the number
 * of lines put before the body in the stripped source. The host's stripper, when it has one,
 * is two orders of magnitude faster than ts.transpileModule (which builds a program per call).
 */
function stripTypes(cx: ExtractContext, body: string): { js: string; sourceMap: () => unknown; bodyOffset: number } {
  if (cx.stripTypes) {
    try {
      // A module cannot `return`: the body goes into a function, called by the last line.
      const out = cx.stripTypes(`function __tsjit_extraction() {\n${body}\n}`);
      if (out) return { js: `${out.code}\nreturn __tsjit_extraction();`, sourceMap: () => out.map, bodyOffset: 1 };
    } catch {
      // fall back to TypeScript
    }
  }
  const { ts } = cx;
  const out = ts.transpileModule(body, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.None, removeComments: true, sourceMap: true },
    reportDiagnostics: false,
  });
  return { js: out.outputText.replace(/\n\/\/# sourceMappingURL=.*\s*$/, "\n"), sourceMap: () => JSON.parse(out.sourceMapText!), bodyOffset: 0 };
}

/** A declaration made directly at module level (not a parameter or local of a function there). */
function isTopLevelDeclaration(ts: TypeScriptApi, decl: TS.Declaration, sourceFile: TS.SourceFile): boolean {
  let n: TS.Node = decl;
  while (ts.isBindingElement(n) || ts.isObjectBindingPattern(n) || ts.isArrayBindingPattern(n)) n = n.parent;
  if (ts.isVariableDeclaration(n)) return n.parent.parent.parent === sourceFile;
  return n.parent === sourceFile;
}

function stripExport(text: string): string {
  return text.replace(/^export\s+(default\s+)?/, "");
}

function isTsjitImport(ts: TypeScriptApi, ns: TS.Declaration, cx: ExtractContext): boolean {
  let n: TS.Node = ns;
  while (n && !ts.isImportDeclaration(n)) n = n.parent;
  if (!n) return false;
  const spec = (n as TS.ImportDeclaration).moduleSpecifier;
  if (!ts.isStringLiteral(spec)) return false;
  const moduleSymbol = cx.checker.getSymbolAtLocation(spec);
  const decl = moduleSymbol?.declarations?.[0];
  return decl ? cx.isTsjitDeclaration(decl) : spec.text === "tsjit";
}

export const EXTRACTION_URL = "tsjit-build-time-extraction.js";

/** The 1-based line and column in the extraction's JS of the innermost frame of `stack` inside it. */
export function extractionPosition(stack: string | undefined): { line: number; column: number } | undefined {
  const m = stack && new RegExp(`${EXTRACTION_URL.replace(/\./g, "\\.")}:(\\d+):(\\d+)`).exec(stack);
  // new Function puts two lines ("function anonymous(__tsjit\n) {") before the body.
  return m ? { line: Number(m[1]) - 2, column: Number(m[2]) } : undefined;
}

/** Evaluates extracted JS with the runtime's exports; returns the function. */
export function evaluateExtraction(js: string, runtime: Record<string, unknown>): (...args: unknown[]) => unknown {
  // The name lets a failure's stack say where in the extraction it happened (originalLine).
  const factory = new Function("__tsjit", `${js}\n//# sourceURL=${EXTRACTION_URL}`) as (rt: Record<string, unknown>) => (...args: unknown[]) => unknown;
  return factory(runtime);
}
