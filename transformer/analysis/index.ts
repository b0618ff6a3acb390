// The analysis core: program + source file in, jit sites and findings out. Pure with
// respect to its inputs (it never mutates the program); hosts own caching per program.

import type * as TS from "typescript";
import { discoverTsjitApi, type TsjitApi } from "./api.js";
import { Memo, type AnalysisContext, type TypeScript } from "./context.js";
import { BudgetExceeded, SiteAnalyzer } from "./engine.js";
import { Code, findingKey, spanOf, type Finding } from "./findings.js";
import { directiveAbove } from "./directives.js";
import { budgetMessage, internalErrorMessage } from "./messages.js";
import { checkJitPlacement } from "./placement.js";
import { findJitSites, siteString, staticPositions, type JitSite } from "./sites.js";
import { findTransformRoots, type TransformRoot } from "./transforms.js";
import { ANONYMOUS, functionDisplayName, parameterNames, runtimeParameters } from "./functions.js";
import { checkStaticArguments } from "./static-checks.js";
import { checkArrayTruthiness } from "./truthiness.js";

export type { Finding, Related, Span } from "./findings.js";
export { Code } from "./findings.js";
export type { JitSite } from "./sites.js";
export type { AnalysisContext, TypeScript } from "./context.js";
export { DESTRUCTURED } from "./functions.js";
export { UNUSED_EXPECT_ERROR } from "./directives.js";

export interface FileAnalysis {
  readonly sites: readonly JitSite[];
  readonly findings: readonly Finding[];
  /** 0-based lines of `@ts-expect-error` comments that a tsjit finding used. */
  readonly usedExpectErrorLines: readonly number[];
}

export function createContext(ts: TypeScript, program: TS.Program, projectRoot: string, api?: TsjitApi): AnalysisContext {
  const checker = program.getTypeChecker();
  return { ts, program, checker, api: api ?? discoverTsjitApi(ts, program, checker), projectRoot, memo: new Memo() };
}

/** The directory site strings are relative to: the tsconfig's, else the program's cwd. */
export function projectRootOf(program: TS.Program): string {
  const config = program.getCompilerOptions().configFilePath;
  const dir = typeof config === "string" ? config.slice(0, config.replace(/\\/g, "/").lastIndexOf("/")) : program.getCurrentDirectory();
  return dir.replace(/\\/g, "/");
}

function internalFinding(node: TS.Node, site: string, error: unknown): Finding {
  const message = error instanceof BudgetExceeded ? budgetMessage(site) : internalErrorMessage(site, error);
  return { code: Code.Internal, category: "warning", span: spanOf(node), message, related: [] };
}

function analyzeSite(ctx: AnalysisContext, file: TS.SourceFile, site: JitSite): Finding[] {
  const out: Finding[] = [...checkStaticArguments(ctx, site)];
  if (site.kind === "call") {
    const placement = checkJitPlacement(ctx, site.node);
    if (placement) out.push(placement);
  }
  const positions = staticPositions(ctx, site);
  if (site.fn && positions) {
    out.push(...new SiteAnalyzer(ctx, file, site as JitSite & { fn: NonNullable<JitSite["fn"]> }, positions).run());
  }
  return out;
}

/** The taint analysis of a function passed to grad, vmap...: a call site with nothing static. */
function analyzeTransformRoot(ctx: AnalysisContext, file: TS.SourceFile, root: TransformRoot): Finding[] {
  const site: JitSite & { fn: NonNullable<JitSite["fn"]> } = {
    kind: "call",
    node: root.call,
    fn: root.fn,
    // An inline function is not named after the variable holding grad's result (its derivative).
    fnName: root.inline ? ((root.fn as { name?: TS.Identifier }).name?.text ?? ANONYMOUS) : functionDisplayName(ctx.ts, root.fn),
    params: parameterNames(ctx.ts, root.fn),
    hasRest: runtimeParameters(ctx.ts, root.fn).some((p) => p.dotDotDotToken !== undefined),
    statics: { known: true, names: [], nums: [] },
    site: siteString(ctx, root.call),
  };
  return new SiteAnalyzer(ctx, file, site, new Set(), root).run();
}

/**
 * Findings of transformation roots, after the jit sites': a function both jitted and
 * differentiated (or passed to two transformations) is reported once per node and code.
 */
function addTransformFindings(ctx: AnalysisContext, file: TS.SourceFile, findings: Map<string, Finding>, unchecked: TS.Node[]): void {
  let roots: TransformRoot[];
  try {
    roots = findTransformRoots(ctx, file);
  } catch (error) {
    const f = internalFinding(file.statements[0] ?? file, file.fileName, error);
    findings.set(findingKey(f), f);
    return;
  }
  const reported = new Set([...findings.values()].map((f) => `${f.span.start}:${f.span.length}:${f.code}`));
  for (const root of roots) {
    let found: Finding[];
    try {
      found = analyzeTransformRoot(ctx, file, root);
    } catch (error) {
      found = [internalFinding(root.call.expression, siteString(ctx, root.call), error)];
      unchecked.push(root.fn);
    }
    for (const f of found) {
      const key = `${f.span.start}:${f.span.length}:${f.code}`;
      if (f.span.file !== file || reported.has(key)) continue;
      reported.add(key);
      findings.set(findingKey(f), f);
    }
  }
}

/** TS990007 everywhere in the file, except where TS990001 already reports the same expression. */
function addTruthinessFindings(ctx: AnalysisContext, file: TS.SourceFile, findings: Map<string, Finding>, unchecked: readonly TS.Node[]): void {
  let found: Finding[];
  try {
    found = checkArrayTruthiness(ctx, file);
  } catch (error) {
    found = [internalFinding(file.statements[0] ?? file, file.fileName, error)];
  }
  const conditions = new Set([...findings.values()].filter((f) => f.code === Code.Condition).map((f) => `${f.span.start}:${f.span.length}`));
  const inUnchecked = (f: Finding) => unchecked.some((fn) => fn.getSourceFile() === file && f.span.start >= fn.getStart(file) && f.span.start < fn.getEnd());
  for (const f of found) if (!conditions.has(`${f.span.start}:${f.span.length}`) && !inUnchecked(f)) findings.set(findingKey(f), f);
}

/** `// @ts-nocheck` turns tsc's semantic checks off for a file, and tsjit's with them. */
function checksDisabled(file: TS.SourceFile): boolean {
  return (file as { checkJsDirective?: { enabled: boolean } }).checkJsDirective?.enabled === false;
}

/** Sites and findings of one file. Never throws: a failure becomes one finding at its site. */
export function analyzeFile(ctx: AnalysisContext, file: TS.SourceFile): FileAnalysis {
  let sites: JitSite[];
  try {
    sites = findJitSites(ctx, file);
  } catch (error) {
    return { sites: [], findings: [internalFinding(file.statements[0] ?? file, file.fileName, error)], usedExpectErrorLines: [] };
  }
  if (checksDisabled(file)) return { sites, findings: [], usedExpectErrorLines: [] };
  const findings = new Map<string, Finding>();
  /** Functions of sites that failed: compiled unchecked, with that one warning only. */
  const unchecked: TS.Node[] = [];
  for (const site of sites) {
    let found: Finding[];
    try {
      found = analyzeSite(ctx, file, site);
    } catch (error) {
      found = [internalFinding(site.kind === "call" ? site.node.expression : site.node, site.site, error)];
      if (site.fn) unchecked.push(site.fn);
    }
    for (const f of found) if (f.span.file === file) findings.set(findingKey(f), f);
  }
  addTransformFindings(ctx, file, findings, unchecked);
  if (ctx.api.found && !ctx.api.isTsjitFile(file)) addTruthinessFindings(ctx, file, findings, unchecked);
  const kept: Finding[] = [];
  const usedExpectErrorLines = new Set<number>();
  for (const finding of findings.values()) {
    const directive = directiveAbove(file, finding.span.start);
    if (!directive) kept.push(finding);
    else if (directive.kind === "ts-expect-error") usedExpectErrorLines.add(directive.line);
  }
  kept.sort((a, b) => a.span.start - b.span.start || a.code - b.code);
  return { sites, findings: kept, usedExpectErrorLines: [...usedExpectErrorLines] };
}
