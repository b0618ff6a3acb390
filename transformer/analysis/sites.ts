// Jit sites of a file: calls of tsjit's `jit` (found by symbol) and functions annotated
// `/** @jit */`. A site records what the runtime needs (parameter names, a file:line:col)
// and what the taint analysis needs (the jitted function and which parameters are static).

import type * as TS from "typescript";
import type { TransformName } from "./api.js";
import { readJitAnnotation, type JitAnnotation } from "./annotations.js";
import { lineAndColumn, relativeSitePath, skipAlias, skipOuterExpressions, type AnalysisContext } from "./context.js";
import { functionDisplayName, parameterNames, resolveFunction, runtimeParameters, type FunctionWithBody } from "./functions.js";
import { readStaticOptions, type StaticSpec } from "./statics.js";

export interface JitCallSite {
  readonly kind: "call";
  readonly node: TS.CallExpression;
  readonly options?: TS.Expression;
}

export interface AnnotatedFunctionSite {
  readonly kind: "function";
  /** The declaration with the body (the annotation may sit on an overload before it). */
  readonly node: TS.FunctionDeclaration;
  readonly annotation: JitAnnotation;
}

export interface AnnotatedVariableSite {
  readonly kind: "variable";
  readonly node: TS.VariableDeclaration & { readonly initializer: TS.Expression };
  readonly annotation: JitAnnotation;
}

/** A transformation wrapped around a jit site's function: `grad(loss, { argnums: 1 })`. */
export interface Wrapper {
  readonly name: TransformName;
  readonly call: TS.CallExpression;
  readonly options?: TS.Expression;
}

/**
 * The function of `jit(grad(loss))`, seen through transformations that keep its arguments
 * (grad, valueAndGrad, vmap, jacfwd, jacrev, hessian); `wrappers` outermost first.
 */
export interface SeenThrough {
  readonly fn: FunctionWithBody;
  readonly wrappers: readonly Wrapper[];
}

export type JitSite = (JitCallSite | AnnotatedFunctionSite | AnnotatedVariableSite) & {
  /** The jitted function, when the build can see it. */
  readonly fn: FunctionWithBody | undefined;
  /**
   * For `jit(grad(f))`: `f` and the transformations around it (then `fn` is undefined: the
   * taint analysis checks `f` as a transformation root). `params` are `f`'s.
   */
  readonly through?: SeenThrough;
  readonly fnName: string;
  /** Parameter names in order ("<destructured>" for patterns), when `fn` is known. */
  readonly params: readonly string[] | undefined;
  /** The last parameter is a rest parameter (`...xs`). */
  readonly hasRest: boolean;
  readonly statics: StaticSpec;
  /** "relative/path.ts:line:col" */
  readonly site: string;
};

const MAX_ALIAS_DEPTH = 4;

/**
 * What `callee` denotes by `which` (tsjit's jit, a transformation): directly, through
 * imports, re-exports and namespaces, or through `const` aliases.
 */
function tsjitReference<T>(ctx: AnalysisContext, callee: TS.Expression, which: (symbol: TS.Symbol) => T | undefined, depth = 0): T | undefined {
  const { ts } = ctx;
  const e = skipOuterExpressions(ts, callee);
  if (!ts.isIdentifier(e) && !ts.isPropertyAccessExpression(e)) return undefined;
  const raw = ctx.checker.getSymbolAtLocation(e);
  if (!raw) return undefined;
  const symbol = skipAlias(ctx, raw);
  const found = which(symbol);
  if (found !== undefined) return found;
  const decl = symbol.valueDeclaration;
  if (depth < MAX_ALIAS_DEPTH && decl && ts.isVariableDeclaration(decl) && decl.initializer && ts.isVariableDeclarationList(decl.parent) && decl.parent.flags & ts.NodeFlags.Const) {
    return tsjitReference(ctx, decl.initializer, which, depth + 1);
  }
  return undefined;
}

/** Whether `callee` denotes tsjit's `jit`, directly, through imports/re-exports, or a const alias. */
export function isJitReference(ctx: AnalysisContext, callee: TS.Expression): boolean {
  return tsjitReference(ctx, callee, (s) => (ctx.api.isJitSymbol(s) ? true : undefined)) ?? false;
}

/** The transformation `callee` denotes: tsjit's, through imports, namespaces or const aliases. */
export function transformReference(ctx: AnalysisContext, callee: TS.Expression): TransformName | undefined {
  return tsjitReference(ctx, callee, (s) => ctx.api.transformOf(s));
}

/** Transformations whose result takes the same arguments as the function they wrap. */
const SAME_ARGUMENTS: ReadonlySet<TransformName> = new Set(["grad", "valueAndGrad", "vmap", "jacfwd", "jacrev", "hessian"]);

/** `grad(f)`, `vmap(grad(f), { inAxes })`...: the function under the wrappers, if the build can see it. */
export function seeThrough(ctx: AnalysisContext, expr: TS.Expression): SeenThrough | undefined {
  const { ts } = ctx;
  const wrappers: Wrapper[] = [];
  let e = skipOuterExpressions(ts, expr);
  for (let depth = 0; ts.isCallExpression(e); depth++) {
    const name = depth < MAX_ALIAS_DEPTH ? transformReference(ctx, e.expression) : undefined;
    if (!name || !SAME_ARGUMENTS.has(name)) return undefined;
    const [inner, options, ...more] = e.arguments;
    if (!inner || ts.isSpreadElement(inner) || (options && ts.isSpreadElement(options)) || more.length) return undefined;
    wrappers.push({ name, call: e, ...(options ? { options } : {}) });
    e = skipOuterExpressions(ts, inner);
  }
  if (!wrappers.length) return undefined;
  const fn = resolveFunction(ctx, e);
  if (!fn || fn.getSourceFile().isDeclarationFile) return undefined;
  return { fn, wrappers };
}

export function siteString(ctx: AnalysisContext, node: TS.Node): string {
  const file = node.getSourceFile();
  const { line, column } = lineAndColumn(file, node.getStart(file));
  return `${relativeSitePath(ctx.projectRoot, file.fileName)}:${line}:${column}`;
}

function describe(ctx: AnalysisContext, fn: FunctionWithBody | undefined, fallback: string) {
  return {
    fn,
    fnName: fn ? functionDisplayName(ctx.ts, fn) : fallback,
    params: fn ? parameterNames(ctx.ts, fn) : undefined,
    hasRest: fn ? runtimeParameters(ctx.ts, fn).some((p) => p.dotDotDotToken !== undefined) : false,
  };
}

function annotationStatics(annotation: JitAnnotation): StaticSpec {
  return { known: true, names: annotation.statics.map((s) => ({ name: s.name, pos: s.pos })), nums: [] };
}

function callSite(ctx: AnalysisContext, call: TS.CallExpression): JitSite | undefined {
  const { ts } = ctx;
  const [fnArg, options] = call.arguments;
  if (!fnArg || ts.isSpreadElement(fnArg) || (options && ts.isSpreadElement(options))) return undefined;
  const fn = resolveFunction(ctx, fnArg);
  const calleeText = ts.isIdentifier(fnArg) ? fnArg.text : "<function>";
  const through = fn ? undefined : seeThrough(ctx, fnArg);
  if (through) {
    const inner = describe(ctx, through.fn, "<function>");
    const chain = through.wrappers.map((w) => `${w.name}(`).join("");
    return {
      kind: "call",
      node: call,
      ...(options ? { options } : {}),
      fn: undefined,
      through,
      fnName: `${chain}${inner.fnName}${")".repeat(through.wrappers.length)}`,
      params: inner.params,
      hasRest: inner.hasRest,
      statics: readStaticOptions(ctx, options),
      site: siteString(ctx, call),
    };
  }
  return {
    kind: "call",
    node: call,
    ...(options ? { options } : {}),
    ...describe(ctx, fn && !fn.getSourceFile().isDeclarationFile ? fn : undefined, calleeText),
    statics: readStaticOptions(ctx, options),
    site: siteString(ctx, call),
  };
}

/** The implementation of an overloaded function declaration (the annotation may be on an overload). */
function implementationOf(ctx: AnalysisContext, decl: TS.FunctionDeclaration): TS.FunctionDeclaration | undefined {
  if (decl.body) return decl;
  const symbol = decl.name && ctx.checker.getSymbolAtLocation(decl.name);
  return symbol?.declarations?.find((d): d is TS.FunctionDeclaration => ctx.ts.isFunctionDeclaration(d) && d.body !== undefined);
}

function annotatedSites(ctx: AnalysisContext, statement: TS.Statement, seen: Set<TS.Node>): JitSite[] {
  const { ts } = ctx;
  if (ts.isFunctionDeclaration(statement)) {
    const annotation = readJitAnnotation(ts, statement);
    const impl = annotation && implementationOf(ctx, statement);
    if (!annotation || !impl || seen.has(impl)) return [];
    seen.add(impl);
    return [{ kind: "function", node: impl, annotation, ...describe(ctx, impl as FunctionWithBody, "<anonymous>"), statics: annotationStatics(annotation), site: siteString(ctx, impl) }];
  }
  if (ts.isVariableStatement(statement)) {
    const annotation = readJitAnnotation(ts, statement);
    if (!annotation) return [];
    const out: JitSite[] = [];
    for (const decl of statement.declarationList.declarations) {
      if (!decl.initializer || !ts.isIdentifier(decl.name)) continue;
      const init = skipOuterExpressions(ts, decl.initializer);
      if (!ts.isArrowFunction(init) && !ts.isFunctionExpression(init)) continue;
      out.push({
        kind: "variable",
        node: decl as AnnotatedVariableSite["node"],
        annotation,
        ...describe(ctx, init, decl.name.text),
        fnName: decl.name.text,
        statics: annotationStatics(annotation),
        site: siteString(ctx, decl),
      });
    }
    return out;
  }
  return [];
}

/** The leftmost identifier of `a`, `a.b.c` (call targets that may denote jit). */
function rootName(ts: AnalysisContext["ts"], callee: TS.Expression): string | undefined {
  let e = skipOuterExpressions(ts, callee);
  while (ts.isPropertyAccessExpression(e)) e = skipOuterExpressions(ts, e.expression);
  return ts.isIdentifier(e) ? e.text : undefined;
}

/** All jit sites of a file, in source order. */
export function findJitSites(ctx: AnalysisContext, file: TS.SourceFile): JitSite[] {
  const { ts } = ctx;
  if (!ctx.api.found || file.isDeclarationFile || ctx.api.isTsjitFile(file)) return [];
  const hasImports = file.statements.some((s) => ts.isImportDeclaration(s) || ts.isImportEqualsDeclaration(s));
  const lookForAnnotations = file.text.includes("@jit");
  if (!hasImports && !lookForAnnotations) return [];
  // A call can only reach jit through an import binding or a const alias of one; resolving
  // symbols for just those calls keeps the walk cheap (the symbol check still decides).
  const candidates = new Set<string>();
  for (const s of file.statements) {
    if (ts.isImportEqualsDeclaration(s)) candidates.add(s.name.text);
    if (!ts.isImportDeclaration(s) || !s.importClause) continue;
    const clause = s.importClause;
    if (clause.name) candidates.add(clause.name.text);
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) candidates.add(bindings.name.text);
    else if (bindings) for (const e of bindings.elements) candidates.add(e.name.text);
  }
  const found: (JitSite | TS.CallExpression)[] = [];
  const seen = new Set<TS.Node>();
  const visit = (node: TS.Node): void => {
    if (lookForAnnotations && (ts.isFunctionDeclaration(node) || ts.isVariableStatement(node))) found.push(...annotatedSites(ctx, node, seen));
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      const init = skipOuterExpressions(ts, node.initializer);
      if (ts.isIdentifier(init) || ts.isPropertyAccessExpression(init)) candidates.add(node.name.text);
    }
    if (hasImports && ts.isCallExpression(node)) found.push(node);
    ts.forEachChild(node, visit);
  };
  visit(file);
  const sites: JitSite[] = [];
  for (const item of found) {
    if (!ts.isCallExpression(item as TS.Node)) {
      sites.push(item as JitSite);
      continue;
    }
    const call = item as TS.CallExpression;
    const root = rootName(ts, call.expression);
    if (root === undefined || !candidates.has(root) || !isJitReference(ctx, call.expression)) continue;
    const site = callSite(ctx, call);
    if (site) sites.push(site);
  }
  return sites;
}

/**
 * Argument positions made static by a site's options, or undefined when unknowable. As at
 * run time, a position at or past a rest parameter's index `r` is one element of the rest
 * (`p - r`), never the whole rest: `(...args) + staticArgnums: [5]` leaves `args[0]` traced.
 */
export function staticPositions(ctx: AnalysisContext, site: JitSite): ReadonlySet<number> | undefined {
  const fn = site.fn ?? site.through?.fn;
  if (!fn || !site.statics.known) return undefined;
  const params = runtimeParameters(ctx.ts, fn);
  const names = parameterNames(ctx.ts, fn);
  const restIndex = params.findIndex((p) => p.dotDotDotToken !== undefined);
  const positional = names.length;
  const out = new Set<number>();
  for (const { name } of site.statics.names) {
    const i = names.indexOf(name);
    if (i >= 0) out.add(i);
  }
  for (const { value } of site.statics.nums) {
    const i = value < 0 ? positional + value : value;
    if (i >= 0 && (i < positional || restIndex >= 0)) out.add(i);
  }
  return out;
}
