// The emit-time rewrite of jit sites:
//   jit(fn, opts)            -> jit(fn, opts ?? undefined, { params, site })
//   /** @jit @static n */ function f(x, n) { ... }
//                            -> var f_jitted = /*#__PURE__*/ tsjit.jitDeclaration(f, f_jit, f_jitted);
//                                                                      (first in f's scope)
//                               function f(x, n) { return f_jit()(...arguments); }
//                               function f_jit() { return f_jitted ??= jit(function f(x, n) { ... },
//                                 { staticArgnames: ["n"] }, { params, site }); }
// The wrapper stays a hoisted function declaration, so f can be called before its
// declaration runs (the jitted function is created on first use), and it has the jitted
// function's members (`f.stats`, `f.lower`...) from the start of its scope. jitDeclaration
// returns the cache's current value, so it is the cache's initializer: a bundler keeps the
// call exactly when it keeps f (through f_jit), and drops all of it, kernels included, when
// f is unused.
// With build-time specialization, the metadata also carries the site's prebuilt kernels
// (`{ params, site, prebuilt: [...] }`), and jit calls are marked /*#__PURE__*/ so that a
// bundler drops an unused jitted function together with its kernels.

import type * as TS from "typescript";
import type { JitSite, TypeScript } from "../analysis/index.js";

type SiteOf<K extends JitSite["kind"]> = Extract<JitSite, { kind: K }>;

/**
 * The emit transformer. A failure while rewriting a file leaves that file as written and is
 * passed to `onError` (the host turns it into a diagnostic): emit never crashes.
 */
export function createSiteRewriter(
  ts: TypeScript,
  sitesOf: (file: TS.SourceFile) => readonly JitSite[],
  onError: (file: TS.SourceFile, error: unknown) => void,
  prebuiltFor: (site: JitSite) => readonly { readonly code: string }[] = () => [],
): TS.TransformerFactory<TS.SourceFile> {
  return (context) => (file) => {
    try {
      return rewriteFile(ts, context, file, sitesOf(file), prebuiltFor);
    } catch (error) {
      onError(file, error);
      return file;
    }
  };
}

function rewriteFile(
  ts: TypeScript,
  context: TS.TransformationContext,
  file: TS.SourceFile,
  sites: readonly JitSite[],
  prebuiltFor: (site: JitSite) => readonly { readonly code: string }[],
): TS.SourceFile {
  if (file.isDeclarationFile) return file;
  if (sites.length === 0) return file;
  const f = context.factory;
  const calls = new Map<TS.Node, SiteOf<"call">>();
  const functions = new Map<TS.Node, SiteOf<"function">>();
  const variables = new Map<TS.Node, SiteOf<"variable">>();
  // Only the paths from the file down to its sites are visited; the rest is left as is.
  const onPath = new Set<TS.Node>();
  for (const site of sites) {
    if (site.kind === "call") calls.set(site.node, site);
    else if (site.kind === "function") functions.set(site.node, site);
    else variables.set(site.node, site);
    for (let n = site.node.parent; n && !onPath.has(n); n = n.parent) onPath.add(n);
  }
  let namespace: TS.Identifier | undefined;
  const runtimeReference = (name: string) => f.createPropertyAccessExpression((namespace ??= f.createUniqueName("tsjit", ts.GeneratedIdentifierFlags.Optimistic)), name);
  const jitReference = () => runtimeReference("jit");
  /** Statements to put first in a scope (keyed by the original block or file): `jitDeclaration` calls. */
  const hoisted = new Map<TS.Node, TS.Statement[]>();

  const meta = (site: JitSite): TS.ObjectLiteralExpression => {
    const properties: TS.PropertyAssignment[] = [];
    // The runtime reads `params` as a list without a rest parameter; for a function with
    // one it parses the source instead, which knows that staticArgnums may point past it.
    if (site.params && !site.hasRest) properties.push(f.createPropertyAssignment("params", f.createArrayLiteralExpression(site.params.map((p) => f.createStringLiteral(p)))));
    properties.push(f.createPropertyAssignment("site", f.createStringLiteral(site.site)));
    const prebuilt = prebuiltFor(site);
    if (prebuilt.length) {
      // Generated JavaScript, inserted as written (an identifier node prints its text verbatim).
      const entries = prebuilt.map((p) => f.createIdentifier(p.code));
      properties.push(f.createPropertyAssignment("prebuilt", f.createArrayLiteralExpression(entries, true)));
    }
    return f.createObjectLiteralExpression(properties, prebuilt.length > 0);
  };

  const pure = <T extends TS.Node>(node: T): T => ts.addSyntheticLeadingComment(node, ts.SyntaxKind.MultiLineCommentTrivia, "#__PURE__", false);

  const annotationOptions = (site: SiteOf<"function"> | SiteOf<"variable">): TS.Expression => {
    const names = site.annotation.statics.map((s) => s.name);
    if (names.length === 0) return f.createIdentifier("undefined");
    return f.createObjectLiteralExpression([f.createPropertyAssignment("staticArgnames", f.createArrayLiteralExpression(names.map((n) => f.createStringLiteral(n))))], false);
  };

  const rewriteCall = (node: TS.CallExpression, site: SiteOf<"call">): TS.CallExpression => {
    if (node.arguments.length >= 3 || node.arguments.some((a) => ts.isSpreadElement(a))) return node;
    const [fn, options] = node.arguments;
    return pure(f.updateCallExpression(node, node.expression, node.typeArguments, [fn!, options ?? f.createIdentifier("undefined"), meta(site)]));
  };

  /** Parameters for the wrapper, so that `f.length` is unchanged (no defaults, no patterns). */
  const wrapperParameters = (fn: TS.FunctionDeclaration): TS.ParameterDeclaration[] => {
    const out: TS.ParameterDeclaration[] = [];
    for (const p of fn.parameters) {
      if (ts.isIdentifier(p.name) && p.name.text === "this") continue;
      if (p.initializer || p.dotDotDotToken) break;
      const name = ts.isIdentifier(p.name) ? f.createIdentifier(p.name.text) : f.createUniqueName("arg");
      out.push(f.createParameterDeclaration(undefined, undefined, name));
    }
    return out;
  };

  const rewriteFunction = (node: TS.FunctionDeclaration, site: SiteOf<"function">, scope: TS.Node): TS.Statement[] => {
    const base = node.name?.text ?? "default";
    // An anonymous `export default function` gets a name, for jitDeclaration to refer to it.
    const name = node.name ? f.createIdentifier(node.name.text) : f.createUniqueName(base); // `default_1`: `default` is a reserved word
    const create = f.createUniqueName(`${base}_jit`, ts.GeneratedIdentifierFlags.Optimistic);
    const cache = f.createUniqueName(`${base}_jitted`, ts.GeneratedIdentifierFlags.Optimistic);
    const modifiers = (node.modifiers ?? []).filter((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
    const inner = f.createFunctionExpression(
      modifiers as TS.Modifier[],
      node.asteriskToken,
      node.name ? f.createIdentifier(node.name.text) : undefined,
      undefined,
      node.parameters,
      undefined,
      node.body!,
    );
    const jitted = f.createCallExpression(jitReference(), undefined, [inner, annotationOptions(site), meta(site)]);
    const lazily = f.createBinaryExpression(cache, f.createToken(ts.SyntaxKind.QuestionQuestionEqualsToken), jitted);
    const creator = f.createFunctionDeclaration(undefined, undefined, create, undefined, [], undefined, f.createBlock([f.createReturnStatement(lazily)], true));
    const forward = f.createReturnStatement(f.createCallExpression(f.createCallExpression(create, undefined, []), undefined, [f.createSpreadElement(f.createIdentifier("arguments"))]));
    const outerModifiers = (node.modifiers ?? []).filter((m) => m.kind !== ts.SyntaxKind.AsyncKeyword) as TS.ModifierLike[];
    const wrapper = f.updateFunctionDeclaration(node, outerModifiers, undefined, name, undefined, wrapperParameters(node), undefined, f.createBlock([forward], true));
    const surface = pure(f.createCallExpression(runtimeReference("jitDeclaration"), undefined, [name, create, cache]));
    const declareCache = f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(cache, undefined, undefined, surface)], ts.NodeFlags.None));
    let first = hoisted.get(scope);
    if (!first) hoisted.set(scope, (first = []));
    first.push(declareCache);
    return [wrapper, creator];
  };

  /** A block's statements with its hoisted ones first (after a "use strict" prologue). */
  const withHoisted = (statements: readonly TS.Statement[], first: readonly TS.Statement[], after = 0): TS.Statement[] => {
    let at = after;
    while (at < statements.length && isPrologue(statements[at]!)) at++;
    return [...statements.slice(0, at), ...first, ...statements.slice(at)];
  };

  const visit = (node: TS.Node): TS.VisitResult<TS.Node> => {
    const callSite = calls.get(node);
    if (callSite) return rewriteCall(ts.visitEachChild(node, visit, context) as TS.CallExpression, callSite);
    const functionSite = functions.get(node);
    if (functionSite) return rewriteFunction(ts.visitEachChild(node, visit, context) as TS.FunctionDeclaration, functionSite, node.parent);
    const variableSite = variables.get(node);
    if (variableSite) {
      const decl = ts.visitEachChild(node, visit, context) as TS.VariableDeclaration;
      const jitted = pure(f.createCallExpression(jitReference(), undefined, [decl.initializer!, annotationOptions(variableSite), meta(variableSite)]));
      return f.updateVariableDeclaration(decl, decl.name, decl.exclamationToken, decl.type, jitted);
    }
    if (!onPath.has(node)) return node;
    const visited = ts.visitEachChild(node, visit, context);
    const first = hoisted.get(node);
    if (!first) return visited;
    if (ts.isBlock(visited)) return f.updateBlock(visited, withHoisted(visited.statements, first));
    if (ts.isModuleBlock(visited)) return f.updateModuleBlock(visited, withHoisted(visited.statements, first));
    if (ts.isCaseClause(visited)) return f.updateCaseClause(visited, visited.expression, withHoisted(visited.statements, first));
    if (ts.isDefaultClause(visited)) return f.updateDefaultClause(visited, withHoisted(visited.statements, first));
    throw new Error(`a /** @jit */ function declared directly in a ${ts.SyntaxKind[node.kind]}`);
  };

  const isPrologue = (s: TS.Statement) => ts.isExpressionStatement(s) && ts.isStringLiteral(s.expression);
  const rewritten = ts.visitEachChild(file, visit, context);
  if (!namespace) return rewritten;
  const importJit = f.createImportDeclaration(undefined, f.createImportClause(undefined, undefined, f.createNamespaceImport(namespace)), f.createStringLiteral("tsjit"));
  // After the file's imports (or its prologue, "use strict", which must stay first).
  const statements = rewritten.statements;
  let at = 0;
  while (at < statements.length && isPrologue(statements[at]!)) at++;
  for (let i = at; i < statements.length; i++) if (ts.isImportDeclaration(statements[i]!) || ts.isImportEqualsDeclaration(statements[i]!)) at = i + 1;
  return f.updateSourceFile(rewritten, [...statements.slice(0, at), importJit, ...(hoisted.get(file) ?? []), ...statements.slice(at)]);
}
