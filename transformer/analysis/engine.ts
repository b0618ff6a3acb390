// The taint analysis of one jit site: an abstract interpretation of the jitted function
// (and of every function it reaches with traced values) over the lattice "which origins
// may this value depend on". Locals are tracked flow-sensitively within their function
// (branches join, loops iterate to a fixpoint); parameters, captured variables and objects
// use a per-site summary (the union of everything stored). The whole site is iterated
// until summaries settle; the findings of the first pass that changes nothing are final.

import type * as TS from "typescript";
import { lineAndColumn, relativeSitePath, skipOuterExpressions, type AnalysisContext } from "./context.js";
import { CONVERTING_GLOBALS, MUTATING_METHODS, NP_FOR_OPERATOR, READBACK_METHODS, classifyCall, npEquivalent, type Callee } from "./callees.js";
import { Code, spanOf, type Finding, type Related, type Span } from "./findings.js";
import { markStaticFix, whereFix, type Fix } from "./fixes.js";
import { functionDisplayName, hasBody, resolveFunction, runtimeParameters, type FunctionWithBody } from "./functions.js";
import * as msg from "./messages.js";
import { CLEAN, OriginTable, type Origin, type StaticFix, type Taint } from "./origins.js";
import { joinEnv, sameEnv, type Env } from "./flow.js";
import { operatorKind } from "./operators.js";
import type { JitSite } from "./sites.js";
import { isJitReference } from "./sites.js";
import type { TransformRoot } from "./transforms.js";
import { acceptsTracer, canBeStatic, declaredParameterType, declaredReturnType, isBoolArrayType, isCoercedPrimitive, isIndexEntryParameter, isStringLike, mayBePrimitive, mayBeTracer, mayCarryTracers, truthinessIsTraced } from "./types.js";

/** Property reads that give static values even on traced arrays. */
const STATIC_PROPERTIES = new Set(["shape", "ndim", "dtype", "size", "length", "weakType"]);
const MAX_PASSES = 10;
/** Evaluation steps one site may take (nested loops multiply): past it, the site is skipped. */
export const STEP_BUDGET = 2_000_000;

/** Thrown when a site exceeds its budget; the caller reports that the site went unchecked. */
export class BudgetExceeded extends Error {
  constructor(budget: number) {
    super(`the analysis exceeded ${budget} steps`);
  }
}
/** Methods of numbers and strings that turn the receiver into a string. */
const STRING_METHODS = new Set(["toString", "toFixed", "toPrecision", "toExponential", "toLocaleString"]);
const MAX_TEXT = 40;


interface Frame {
  readonly state: FunctionState;
  env: Env;
}

interface FunctionState {
  readonly fn: FunctionWithBody;
  returns: Taint;
  thisTaint: Taint;
  /** `this` is an object created inside the trace (constructor or method of a local object). */
  thisIsLocal: boolean;
  /** The first call that brought traced values in, for related information. */
  entry?: { readonly call: TS.Node; readonly caller: FunctionWithBody; readonly label: string };
  /** For functions in another file: where, in the analyzed file, control entered them. */
  anchor?: TS.Node;
}

type Root = { readonly kind: "var"; readonly symbol: TS.Symbol; readonly name: string } | { readonly kind: "this" };

function truncate(text: string): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length <= MAX_TEXT ? flat : `${flat.slice(0, MAX_TEXT - 3)}...`;
}

export class SiteAnalyzer {
  private readonly ts: AnalysisContext["ts"];
  private readonly origins = new OriginTable();
  /** Everything ever stored in a variable during this site's analysis. */
  private readonly summary = new Map<TS.Symbol, Taint>();
  /** Locals written by a nested function: read from the summary, not the flow state. */
  private readonly shared = new Set<TS.Symbol>();
  private readonly declaringFunctions = new Map<TS.Symbol, TS.Node | undefined>();
  private readonly states = new Map<FunctionWithBody, FunctionState>();
  private readonly entered = new Set<TS.Node>();
  private readonly visitedThisPass = new Set<FunctionWithBody>();
  private readonly stack: Frame[] = [];
  private readonly findings = new Map<string, Finding>();
  /** Summaries read in this pass: growing one of them afterwards calls for another pass. */
  private readonly readSymbols = new Set<TS.Symbol>();
  private readonly readStates = new Set<FunctionState>();
  private changed = false;
  private steps = 0;
  /** The jitted function's rest parameter and which of its elements are static (by index). */
  private rest?: { readonly symbol: TS.Symbol; readonly statics: ReadonlySet<number> };

  constructor(
    private readonly ctx: AnalysisContext,
    /** The file whose diagnostics are being computed: findings elsewhere are anchored here. */
    private readonly file: TS.SourceFile,
    private readonly site: JitSite & { readonly fn: FunctionWithBody },
    private readonly staticPositions: ReadonlySet<number>,
    /** Set when the root is a function passed to grad, vmap...: it decides what is traced. */
    private readonly transform?: TransformRoot,
  ) {
    this.ts = ctx.ts;
  }

  run(): Finding[] {
    const root = this.site.fn;
    this.seedRootParameters(root);
    const rootState = this.stateOf(root);
    if (root.getSourceFile() !== this.file) rootState.anchor = this.siteAnchor();
    // Every pass reports; only a pass in which no summary changed saw final taints
    // everywhere, so its findings are the result (one extra pass at the cap, to be sure).
    for (let pass = 0; pass <= MAX_PASSES; pass++) {
      this.changed = false;
      this.findings.clear();
      this.visitedThisPass.clear();
      this.readSymbols.clear();
      this.readStates.clear();
      this.enter(root);
      if (!this.changed) break;
    }
    return [...this.findings.values()];
  }

  // ---------------------------------------------------------------- seeding

  private seedRootParameters(root: FunctionWithBody): void {
    const owner = this.site.fnName;
    if (this.transform) return this.seedTransformedParameters(root, this.transform);
    runtimeParameters(this.ts, root).forEach((param, index) => {
      const rest = param.dotDotDotToken !== undefined;
      if (!rest && this.staticPositions.has(index)) return;
      // Suggest "mark it static" only where that works: not for arrays (NonHashableStaticArgError).
      const staticable = !rest && canBeStatic(this.ctx, this.ctx.checker.getTypeAtLocation(param));
      for (const id of rest ? this.tracedRestIdentifiers(param, index) : this.boundIdentifiers(param.name)) {
        const fix: StaticFix | undefined = !staticable ? undefined
          : !this.ts.isIdentifier(param.name) ? { kind: "num", index }
          : this.site.kind === "call" ? { kind: "name", name: id.text }
          : { kind: "tag", name: id.text };
        const taint = this.origins.taintOf(id, () => ({ name: id.text, kind: "parameter", node: id, owner, ...(fix ? { fix } : {}) }));
        this.addVar(this.symbolAt(id), taint);
      }
    });
  }

  /** The parameters a transformation makes tracers (no static arguments: no static fix). */
  private seedTransformedParameters(root: FunctionWithBody, transform: TransformRoot): void {
    const owner = this.site.fnName;
    runtimeParameters(this.ts, root).forEach((param, index) => {
      const rest = param.dotDotDotToken !== undefined;
      if (!transform.isTraced(index, rest)) return;
      const how = transform.untraceHint(index);
      // Advice to keep it untraced only for values that work untraced (not arrays to differentiate).
      const untraceable = how && this.ts.isIdentifier(param.name) && canBeStatic(this.ctx, this.ctx.checker.getTypeAtLocation(param));
      for (const id of this.boundIdentifiers(param.name)) {
        const untrace = untraceable ? msg.untraceAdvice(how.how, how.by, id.text, index) : undefined;
        const taint = this.origins.taintOf(id, () => ({ name: id.text, kind: "parameter", node: id, owner, tracedBy: transform.chain, ...(untrace ? { untrace } : {}) }));
        this.addVar(this.symbolAt(id), taint);
      }
    });
  }

  /**
   * The rest parameter at `index`: static positions at or past it are single elements of it
   * (as at run time), so the rest array stays traced and a literal index into it decides
   * (`restElementIsStatic`); a destructured rest (`...[n, x]`) binds its static elements clean.
   */
  private tracedRestIdentifiers(param: TS.ParameterDeclaration, index: number): TS.Identifier[] {
    const statics = new Set([...this.staticPositions].filter((p) => p >= index).map((p) => p - index));
    if (this.ts.isIdentifier(param.name)) {
      const symbol = this.symbolAt(param.name);
      if (symbol) this.rest = { symbol, statics };
      return [param.name];
    }
    if (!this.ts.isArrayBindingPattern(param.name)) return this.boundIdentifiers(param.name);
    return param.name.elements.flatMap((e, k) => (this.ts.isOmittedExpression(e) || statics.has(k) ? [] : this.boundIdentifiers(e.name)));
  }

  /** Parameters of a function tsjit calls with tracers (lax branches and bodies). */
  private seedCallbackParameters(fn: FunctionWithBody, owner: string): void {
    for (const param of runtimeParameters(this.ts, fn)) {
      for (const id of this.boundIdentifiers(param.name)) {
        const taint = this.origins.taintOf(id, () => ({ name: id.text, kind: "callback", node: id, owner }));
        this.addVar(this.symbolAt(id), taint);
      }
    }
  }

  private boundIdentifiers(name: TS.BindingName): TS.Identifier[] {
    if (this.ts.isIdentifier(name)) return [name];
    const out: TS.Identifier[] = [];
    for (const element of name.elements) if (!this.ts.isOmittedExpression(element)) out.push(...this.boundIdentifiers(element.name));
    return out;
  }

  // ---------------------------------------------------------------- state

  private stateOf(fn: FunctionWithBody): FunctionState {
    let state = this.states.get(fn);
    if (!state) {
      state = { fn, returns: CLEAN, thisTaint: CLEAN, thisIsLocal: false };
      this.states.set(fn, state);
    }
    return state;
  }

  private get current(): FunctionState {
    return this.stack[this.stack.length - 1]!.state;
  }

  private get frame(): Frame {
    return this.stack[this.stack.length - 1]!;
  }

  /** Adds to a variable's summary (parameters seeded by calls and callbacks). */
  private addVar(symbol: TS.Symbol | undefined, taint: Taint): void {
    if (!symbol || taint === CLEAN) return;
    const before = this.summary.get(symbol) ?? CLEAN;
    const after = before | taint;
    if (after !== before) {
      this.summary.set(symbol, after);
      if (this.readSymbols.has(symbol)) this.changed = true;
    }
  }

  /** The function whose body declares the symbol (parameters: their function). */
  private declaringFunction(symbol: TS.Symbol): TS.Node | undefined {
    if (this.declaringFunctions.has(symbol)) return this.declaringFunctions.get(symbol);
    const decl = symbol.valueDeclaration ?? symbol.declarations?.[0];
    let fn: TS.Node | undefined;
    for (let n = decl?.parent; n; n = n.parent) {
      if (this.ts.isFunctionLike(n) || this.ts.isSourceFile(n)) {
        fn = n;
        break;
      }
    }
    this.declaringFunctions.set(symbol, fn);
    return fn;
  }

  /** Whether the symbol is tracked flow-sensitively in the current frame. */
  private isFlowLocal(symbol: TS.Symbol): boolean {
    return this.stack.length > 0 && this.declaringFunction(symbol) === this.frame.state.fn && !this.shared.has(symbol);
  }

  private readVar(symbol: TS.Symbol): Taint {
    if (this.isFlowLocal(symbol)) {
      const local = this.frame.env.get(symbol);
      if (local !== undefined) return local;
    }
    return this.summaryOf(symbol);
  }

  /** A store into a variable: replaces its flow state (strong) or adds to it (weak). */
  private writeVar(symbol: TS.Symbol | undefined, taint: Taint, strong: boolean): void {
    if (!symbol) return;
    this.addVar(symbol, taint);
    if (this.isFlowLocal(symbol)) {
      this.frame.env.set(symbol, strong ? taint : this.readVar(symbol) | taint);
    } else if (this.stack.length && this.declaringFunction(symbol) !== this.frame.state.fn && this.entered.has(this.declaringFunction(symbol)!) && !this.shared.has(symbol)) {
      // A closure writes its parent's local: from now on the parent reads the summary.
      this.shared.add(symbol);
      this.changed = true;
    }
  }

  // ---------------------------------------------------------------- control flow

  private snapshot(): Env {
    return new Map(this.frame.env);
  }

  /** Evaluates two alternative paths from the current state and joins them. */
  private branches(first: () => void, second: () => void): void {
    const start = this.snapshot();
    first();
    const afterFirst = this.frame.env;
    this.frame.env = start;
    second();
    this.frame.env = joinEnv(afterFirst, this.frame.env);
  }

  /** A loop: the body runs zero or more times, until the state stops growing. */
  private loop(iteration: () => void): void {
    for (let i = 0; i < MAX_PASSES; i++) {
      const start = this.snapshot();
      iteration();
      const joined = joinEnv(start, this.frame.env);
      this.frame.env = joined;
      if (sameEnv(joined, start)) return;
    }
  }

  private grow(state: FunctionState, key: "returns" | "thisTaint", taint: Taint): void {
    const after = state[key] | taint;
    if (after !== state[key]) {
      state[key] = after;
      if (this.readStates.has(state)) this.changed = true;
    }
  }

  private summaryOf(symbol: TS.Symbol): Taint {
    this.readSymbols.add(symbol);
    return this.summary.get(symbol) ?? CLEAN;
  }

  private symbolAt(node: TS.Node): TS.Symbol | undefined {
    return this.ctx.memo.get("symbol", node, () => this.ctx.checker.getSymbolAtLocation(node));
  }

  private typeOf(node: TS.Node): TS.Type {
    return this.ctx.memo.get("type", node, () => this.ctx.checker.getTypeAtLocation(node));
  }

  /** Taint of a value whose own value may be a tracer (containers are real JS values). */
  private leafTaint(taint: Taint, node: TS.Node): Taint {
    return taint !== CLEAN && mayBeTracer(this.ctx, this.typeOf(node)) ? taint : CLEAN;
  }

  // ---------------------------------------------------------------- functions

  /** Evaluates a function's body once per pass. */
  private enter(fn: FunctionWithBody): void {
    if (this.visitedThisPass.has(fn)) return;
    this.visitedThisPass.add(fn);
    this.entered.add(fn);
    const state = this.stateOf(fn);
    this.stack.push({ state, env: new Map() });
    try {
      for (const param of fn.parameters) {
        if (param.initializer) this.bind(param.name, this.readParameter(param) | this.expr(param.initializer));
      }
      if (this.ts.isBlock(fn.body)) this.statement(fn.body);
      else this.grow(state, "returns", this.expr(fn.body));
    } finally {
      this.stack.pop();
    }
  }

  /** The function is lexically inside code the analysis runs (a closure of the trace). */
  private isInsideTrace(node: TS.Node): boolean {
    for (let n: TS.Node | undefined = node.parent; n; n = n.parent) if (this.entered.has(n)) return true;
    return false;
  }

  /** A nested function expression or declaration: analyzed where it is defined (closures). */
  private define(fn: FunctionWithBody): void {
    this.enterFrom(fn, undefined);
  }

  private enterFrom(fn: FunctionWithBody, call: TS.Node | undefined): void {
    const state = this.stateOf(fn);
    if (fn.getSourceFile() !== this.file && !state.anchor) state.anchor = this.current.anchor ?? call ?? this.siteAnchor();
    this.enter(fn);
  }

  private callFunction(fn: FunctionWithBody, args: readonly TS.Expression[], taints: readonly Taint[], call: TS.Node, receiver?: { node: TS.Expression; taint: Taint }, constructing = false): Taint {
    const state = this.stateOf(fn);
    const incoming = taints.reduce((a, b) => a | b, receiver?.taint ?? CLEAN);
    if (incoming === CLEAN && !constructing && !this.isInsideTrace(fn) && !this.entered.has(fn)) return CLEAN;
    const params = runtimeParameters(this.ts, fn);
    const spreadAt = args.findIndex((a) => this.ts.isSpreadElement(a));
    params.forEach((param, i) => {
      let taint = CLEAN;
      for (let j = 0; j < taints.length; j++) {
        if (j === i || (param.dotDotDotToken && j > i) || (spreadAt >= 0 && j >= spreadAt && i >= spreadAt)) taint |= taints[j]!;
      }
      this.seedBinding(param.name, taint);
    });
    if (receiver) {
      this.grow(state, "thisTaint", receiver.taint);
      if (this.isLocalObject(receiver.node) && !state.thisIsLocal) {
        state.thisIsLocal = true;
        this.changed = true;
      }
    }
    if (constructing && !state.thisIsLocal) {
      state.thisIsLocal = true;
      this.changed = true;
    }
    if (incoming !== CLEAN && !state.entry && this.stack.length) state.entry = { call, caller: this.current.fn, label: msg.subjectSentence(this.nameOf(fn), "is called here with traced values.") };
    if (!this.stack.some((f) => f.state === state)) this.enterFrom(fn, call); // else recursion: the fixpoint settles it
    this.readStates.add(state);
    return state.returns;
  }

  // ---------------------------------------------------------------- locality

  private isTraceLocal(symbol: TS.Symbol): boolean {
    const decl = symbol.valueDeclaration ?? symbol.declarations?.[0];
    if (!decl) return false;
    for (let n: TS.Node | undefined = decl; n; n = n.parent) if (this.entered.has(n)) return true;
    return false;
  }

  private rootOf(expr: TS.Expression): Root | undefined {
    const { ts } = this;
    const e = skipOuterExpressions(ts, expr);
    if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) return this.rootOf(e.expression);
    if (e.kind === ts.SyntaxKind.ThisKeyword) return { kind: "this" };
    if (ts.isIdentifier(e)) {
      const symbol = this.symbolAt(e);
      return symbol ? { kind: "var", symbol, name: e.text } : undefined;
    }
    return undefined;
  }

  /** The object `expr` evaluates to was created inside the trace (so storing on it is fine). */
  private isLocalObject(expr: TS.Expression): boolean {
    const { ts } = this;
    const e = skipOuterExpressions(ts, expr);
    if (ts.isNewExpression(e) || ts.isObjectLiteralExpression(e) || ts.isArrayLiteralExpression(e)) return true;
    if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) return this.isLocalObject(e.expression);
    if (e.kind === ts.SyntaxKind.ThisKeyword) return !this.thisIsOutside(e);
    const symbol = ts.isIdentifier(e) ? this.symbolAt(e) : undefined;
    return symbol !== undefined && this.isTraceLocal(symbol);
  }

  /** The function that provides `this` at `node` (arrows inherit it), if the trace runs it. */
  private thisProvider(node: TS.Node): FunctionState | undefined {
    const { ts } = this;
    for (let n: TS.Node | undefined = node.parent; n; n = n.parent) {
      if (ts.isArrowFunction(n)) continue;
      if (ts.isFunctionLike(n)) return hasBody(ts, n) ? this.states.get(n) : undefined;
      if (ts.isClassLike(n) || ts.isSourceFile(n)) return undefined;
    }
    return undefined;
  }

  private thisIsOutside(node: TS.Node): boolean {
    const provider = this.thisProvider(node);
    return !provider || provider.fn === this.site.fn || !provider.thisIsLocal;
  }

  // ---------------------------------------------------------------- reporting

  private siteAnchor(): TS.Node {
    const node = this.site.node;
    if (this.site.kind === "call") return this.site.node.arguments[0] ?? node;
    return this.ts.isFunctionDeclaration(node) && node.name ? node.name : node;
  }

  private report(code: Finding["code"], node: TS.Node, taint: Taint, message: (origins: Origin[]) => string, category: Finding["category"] = "error", extraFixes: (origins: Origin[]) => (Fix | undefined)[] = () => []): void {
    const origins = this.origins.originsOf(taint);
    if (origins.length === 0) return;
    const fixes = [...extraFixes(origins), code === Code.Condition || code === Code.Concretization ? markStaticFix(this.ctx, this.site, origins) : undefined]
      .filter((f): f is Fix => f !== undefined);
    let text = message(origins);
    // The shared wording speaks of "the jitted function"; here a transformation traces it.
    if (this.transform) text = text.replaceAll("the jitted function", `the function ${msg.tracedByVerb(this.transform.chain)}`);
    const related: Related[] = origins.slice(0, 3).map((o) => ({ span: spanOf(o.node), message: msg.originRelatedMessage(o) }));
    const state = this.current;
    let span: Span = spanOf(node);
    if (node.getSourceFile() !== this.file) {
      const anchor = state.anchor ?? this.siteAnchor();
      related.unshift({ span, message: "The traced value is used here." });
      const where = lineAndColumn(node.getSourceFile(), span.start);
      text = `In ${msg.quotedOr(this.nameOf(state.fn), "a function")} (${relativeSitePath(this.ctx.projectRoot, node.getSourceFile().fileName)}:${where.line}:${where.column}): ${text}`;
      span = spanOf(anchor);
    }
    // The chain of calls that brought the traced value into a helper, then the jit site.
    if (state.fn !== this.site.fn) {
      const seen = new Set<FunctionState>();
      for (let s: FunctionState | undefined = state; s && s.fn !== this.site.fn && s.entry && !seen.has(s); s = this.states.get(s.entry.caller)) {
        seen.add(s);
        related.push({ span: spanOf(s.entry.call), message: s.entry.label });
      }
      const here = this.transform ? `${msg.tracedByVerb(this.transform.chain)} here.` : "is jitted here.";
      related.push({ span: spanOf(this.siteAnchor()), message: msg.subjectSentence(this.site.fnName, here) });
    }
    const finding: Finding = { code, category, span, message: text, related, ...(fixes.length ? { fixes } : {}) };
    // One finding per node and code: a later report (in a later loop iteration, with more
    // taint) replaces an earlier one.
    this.findings.set(`${span.file.fileName}:${span.start}:${span.length}:${code}`, finding);
  }

  private nameOf(fn: FunctionWithBody): string {
    return fn === this.site.fn ? this.site.fnName : functionDisplayName(this.ts, fn);
  }

  private text(node: TS.Node): string {
    return truncate(node.getText());
  }

  // ---------------------------------------------------------------- statements

  private step(): void {
    const budget = this.ctx.stepBudget ?? STEP_BUDGET;
    if (++this.steps > budget) throw new BudgetExceeded(budget);
  }

  private statement(node: TS.Statement): void {
    const { ts } = this;
    this.step();
    if (ts.isBlock(node)) {
      for (const s of node.statements) this.statement(s);
    } else if (ts.isVariableStatement(node)) {
      this.variableList(node.declarationList);
    } else if (ts.isExpressionStatement(node)) {
      this.expr(node.expression);
    } else if (ts.isIfStatement(node)) {
      this.condition(node.expression, "if");
      const otherwise = node.elseStatement;
      this.branches(() => this.statement(node.thenStatement), () => otherwise && this.statement(otherwise));
    } else if (ts.isWhileStatement(node)) {
      this.loop(() => {
        this.condition(node.expression, "while");
        this.statement(node.statement);
      });
    } else if (ts.isDoStatement(node)) {
      this.loop(() => {
        this.statement(node.statement);
        this.condition(node.expression, "do");
      });
    } else if (ts.isForStatement(node)) {
      if (node.initializer) {
        if (ts.isVariableDeclarationList(node.initializer)) this.variableList(node.initializer);
        else this.expr(node.initializer);
      }
      this.loop(() => {
        if (node.condition) this.condition(node.condition, "for");
        this.statement(node.statement);
        if (node.incrementor) this.expr(node.incrementor);
      });
    } else if (ts.isForOfStatement(node)) {
      const taint = this.expr(node.expression);
      const entries = this.isEntriesCall(node.expression);
      this.loop(() => {
        this.bindLoopVariable(node.initializer, taint, entries);
        this.statement(node.statement);
      });
    } else if (ts.isForInStatement(node)) {
      this.expr(node.expression);
      this.loop(() => {
        this.bindLoopVariable(node.initializer, CLEAN);
        this.statement(node.statement);
      });
    } else if (ts.isReturnStatement(node)) {
      if (node.expression) this.grow(this.current, "returns", this.expr(node.expression));
    } else if (ts.isSwitchStatement(node)) {
      this.condition(node.expression, "switch");
      const start = this.snapshot();
      let end: Env | undefined;
      let fallthrough: Env | undefined;
      for (const clause of node.caseBlock.clauses) {
        this.frame.env = fallthrough ? joinEnv(fallthrough, start) : new Map(start);
        if (ts.isCaseClause(clause)) this.condition(clause.expression, "case");
        for (const s of clause.statements) this.statement(s);
        fallthrough = this.frame.env;
        end = end ? joinEnv(end, this.frame.env) : this.frame.env;
      }
      const hasDefault = node.caseBlock.clauses.some((c) => ts.isDefaultClause(c));
      this.frame.env = end ? (hasDefault ? end : joinEnv(end, start)) : start;
    } else if (ts.isThrowStatement(node)) {
      this.expr(node.expression);
    } else if (ts.isTryStatement(node)) {
      const start = this.snapshot();
      this.statement(node.tryBlock);
      const catchClause = node.catchClause;
      if (catchClause) {
        const afterTry = this.frame.env;
        this.frame.env = joinEnv(start, afterTry);
        this.statement(catchClause.block);
        this.frame.env = joinEnv(afterTry, this.frame.env);
      }
      if (node.finallyBlock) this.statement(node.finallyBlock);
    } else if (ts.isLabeledStatement(node)) {
      this.statement(node.statement);
    } else if (ts.isFunctionDeclaration(node)) {
      if (hasBody(ts, node)) this.define(node);
    }
    // Types, imports, classes (entered when constructed), break/continue: nothing to do.
  }

  private variableList(list: TS.VariableDeclarationList): void {
    for (const decl of list.declarations) {
      const taint = decl.initializer ? this.expr(decl.initializer) : CLEAN;
      this.bind(decl.name, taint);
    }
  }

  /** `xs.entries()`, `map.entries()`, `Object.entries(o)`: pairs of a static key and a value. */
  private isEntriesCall(expr: TS.Expression): boolean {
    const { ts } = this;
    const e = skipOuterExpressions(ts, expr);
    if (!ts.isCallExpression(e)) return false;
    const callee = this.ctx.memo.get("callee", e, () => classifyCall(this.ctx, e));
    return callee.kind === "library" && (callee.method === "entries" || callee.name === "Object.entries");
  }

  private bindLoopVariable(initializer: TS.ForInitializer, taint: Taint, entries = false): void {
    const { ts } = this;
    if (ts.isVariableDeclarationList(initializer)) {
      for (const decl of initializer.declarations) {
        if (entries && ts.isArrayBindingPattern(decl.name)) {
          // [key, value]: the key (index or property name) is static, the value is not.
          decl.name.elements.forEach((element, i) => {
            if (!ts.isOmittedExpression(element)) this.bind(element.name, i === 0 ? CLEAN : taint);
          });
        } else this.bind(decl.name, taint);
      }
    } else {
      this.assign(initializer, taint);
    }
  }

  /** A parameter's taint as seeded by calls (its summary). */
  private readParameter(param: TS.ParameterDeclaration): Taint {
    let t = CLEAN;
    for (const id of this.boundIdentifiers(param.name)) {
      const symbol = this.symbolAt(id);
      if (symbol) t |= this.summaryOf(symbol);
    }
    return t;
  }

  /** Seeds a parameter binding from a call: summary only (the callee's frame reads it). */
  private seedBinding(name: TS.BindingName, taint: Taint): void {
    for (const id of this.boundIdentifiers(name)) {
      // Static properties destructured from a traced argument stay static.
      const element = id.parent;
      const key = this.ts.isBindingElement(element) && !element.dotDotDotToken ? (element.propertyName ?? element.name) : undefined;
      const isStatic = key && this.ts.isObjectBindingPattern(element.parent) && (this.ts.isIdentifier(key) || this.ts.isStringLiteral(key)) && STATIC_PROPERTIES.has(key.text);
      this.addVar(this.symbolAt(id), isStatic ? CLEAN : taint);
    }
  }

  /** Binds a declaration name (identifier or pattern) to a value of the given taint. */
  private bind(name: TS.BindingName, taint: Taint): void {
    const { ts } = this;
    if (ts.isIdentifier(name)) {
      this.writeVar(this.symbolAt(name), taint, true);
      return;
    }
    for (const element of name.elements) {
      if (ts.isOmittedExpression(element)) continue;
      let t = taint;
      if (ts.isObjectBindingPattern(name) && !element.dotDotDotToken) {
        const key = element.propertyName ?? element.name;
        if ((ts.isIdentifier(key) || ts.isStringLiteral(key)) && STATIC_PROPERTIES.has(key.text)) t = CLEAN;
      }
      if (element.initializer) t |= this.expr(element.initializer);
      this.bind(element.name, t);
    }
  }

  /** An assignment target (identifier, member, destructuring pattern) receives a value. */
  private assign(target: TS.Expression, taint: Taint): void {
    const { ts } = this;
    const e = skipOuterExpressions(ts, target);
    if (ts.isIdentifier(e)) {
      const symbol = this.symbolAt(e);
      if (!symbol) return;
      if (taint !== CLEAN && !this.isTraceLocal(symbol)) {
        this.report(Code.Escape, e.parent && ts.isBinaryExpression(e.parent) ? e.parent : e, taint, (o) => msg.escapeMessage(o, "assigned", e.text));
      }
      this.writeVar(symbol, taint, true);
    } else if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
      this.expr(e.expression);
      if (ts.isElementAccessExpression(e)) this.index(e);
      this.storeInto(e, taint, e.parent && ts.isBinaryExpression(e.parent) ? e.parent : e, "stored-on");
    } else if (ts.isArrayLiteralExpression(e)) {
      for (const element of e.elements) {
        if (ts.isOmittedExpression(element)) continue;
        this.assign(ts.isSpreadElement(element) ? element.expression : element, taint);
      }
    } else if (ts.isObjectLiteralExpression(e)) {
      for (const property of e.properties) {
        const key = property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) ? property.name.text : undefined;
        const t = key !== undefined && STATIC_PROPERTIES.has(key) && !ts.isSpreadAssignment(property) ? CLEAN : taint;
        if (ts.isPropertyAssignment(property)) this.assign(property.initializer, t);
        else if (ts.isShorthandPropertyAssignment(property)) this.assign(property.name, t);
        else if (ts.isSpreadAssignment(property)) this.assign(property.expression, t);
      }
    }
  }

  /** A traced value stored into an object: the object becomes tainted, or escapes if outside. */
  private storeInto(target: TS.Expression, taint: Taint, reportAt: TS.Node, kind: "stored-on" | "added-to", how = ""): void {
    if (taint === CLEAN) return;
    const root = this.rootOf(target);
    if (!root) return;
    if (root.kind === "this") {
      const provider = this.thisProvider(target);
      if (this.thisIsOutside(target)) this.report(Code.Escape, reportAt, taint, (o) => msg.escapeMessage(o, "stored-on-this", this.text(reportAt)));
      else if (provider) this.grow(provider, "thisTaint", taint);
      return;
    }
    if (!this.isTraceLocal(root.symbol)) {
      this.report(Code.Escape, reportAt, taint, (o) => msg.escapeMessage(o, kind, root.name, how));
      return;
    }
    this.writeVar(root.symbol, taint, false);
  }

  // ---------------------------------------------------------------- conditions

  /**
   * An expression whose truthiness JavaScript tests. Comparisons and arithmetic on its spine
   * are part of the test (TS990001 takes precedence over TS990002 for them).
   */
  private condition(node: TS.Expression, kind: msg.ConditionKind, ternary?: TS.ConditionalExpression, whole = true): Taint {
    const { ts } = this;
    const e = skipOuterExpressions(ts, node);
    // `whole`: the value alone decides the construct (not an operand of `&&`, `!`...), which
    // lets the message say what the construct then does.
    if (ts.isBinaryExpression(e)) {
      const op = e.operatorToken.kind;
      if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken) {
        return this.condition(e.left, kind, undefined, false) | this.condition(e.right, kind, undefined, false);
      }
      if (op === ts.SyntaxKind.CommaToken) {
        this.expr(e.left);
        return this.condition(e.right, kind, undefined, whole);
      }
    }
    if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) {
      this.condition(e.operand, kind, undefined, false);
      return CLEAN;
    }
    if (ts.isConditionalExpression(e)) {
      this.condition(e.condition, "ternary", e);
      return this.condition(e.whenTrue, kind, undefined, false) | this.condition(e.whenFalse, kind, undefined, false);
    }
    let taint: Taint;
    // What goes wrong at run time: an operator converting the tracer throws; '===' sees only
    // the tracer object; a bare tracer is an object, always truthy.
    const why: { reason?: msg.ConditionReason } = {};
    if (this.isSpineOperator(e)) {
      taint = this.spine(e, why);
    } else {
      taint = this.expr(e);
      if (taint !== CLEAN && !truthinessIsTraced(this.ctx, this.typeOf(e))) taint = CLEAN;
    }
    const reason: msg.ConditionReason = why.reason ?? (kind === "switch" || kind === "case" ? { kind: "identity", operator: "===" } : { kind: "truthy" });
    // The whole condition of a `?:` in the analyzed file: np.where(cond, a, b) may replace it.
    const select = ternary && skipOuterExpressions(ts, ternary.condition) === e && ternary.getSourceFile() === this.file ? ternary : undefined;
    if (taint !== CLEAN) this.report(Code.Condition, e, taint, (o) => msg.conditionMessage(o, kind, reason, whole), "error", () => [select && whereFix(this.ctx, select)]);
    return taint;
  }

  private isSpineOperator(e: TS.Expression): e is TS.BinaryExpression | TS.PrefixUnaryExpression {
    const { ts } = this;
    if (ts.isBinaryExpression(e)) {
      const kind = operatorKind(ts, e.operatorToken.kind);
      return kind !== undefined && kind !== "compound";
    }
    if (ts.isPrefixUnaryExpression(e)) {
      return e.operator === ts.SyntaxKind.MinusToken || e.operator === ts.SyntaxKind.PlusToken || e.operator === ts.SyntaxKind.TildeToken;
    }
    return false;
  }

  /** The traced operands of a comparison/arithmetic spine, without reporting the spine itself. */
  private spine(node: TS.Expression, why: { reason?: msg.ConditionReason }): Taint {
    const { ts } = this;
    const e = skipOuterExpressions(ts, node);
    if (ts.isBinaryExpression(e) && this.isSpineOperator(e)) {
      if (this.isNullCheck(e)) {
        this.expr(e.left);
        this.expr(e.right);
        return CLEAN;
      }
      const left = this.spine(e.left, why), right = this.spine(e.right, why);
      const op = e.operatorToken.kind;
      const operator = ts.tokenToString(op) ?? "?";
      if (operatorKind(ts, op) !== "equality") {
        // The first operator (in evaluation order) that converts a tracer is where it throws.
        if ((left | right) !== CLEAN && why.reason?.kind !== "converts") why.reason = { kind: "converts", operator };
        return left | right;
      }
      const t = this.equalityTaint(e, left, right);
      const strict = op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsEqualsToken;
      if (t !== CLEAN && !why.reason) why.reason = strict ? { kind: "identity", operator } : { kind: "converts", operator };
      return t;
    }
    if (ts.isPrefixUnaryExpression(e) && this.isSpineOperator(e)) {
      const t = this.spine(e.operand, why);
      if (t !== CLEAN && why.reason?.kind !== "converts") why.reason = { kind: "converts", operator: ts.tokenToString(e.operator) ?? "?" };
      return t;
    }
    if (ts.isTypeOfExpression(e)) {
      this.expr(e.expression);
      return CLEAN;
    }
    return this.leafTaint(this.expr(e), e);
  }

  /**
   * What an equality test depends on. Objects compare by identity, with or without jit, so
   * a traced array compared with `===` to another object tests the same thing in both; a
   * traced primitive, or `==` between an array and a primitive (a conversion), depends on
   * the value the tracer stands for.
   */
  private equalityTaint(e: TS.BinaryExpression, left: Taint, right: Taint): Taint {
    const strict = e.operatorToken.kind === this.ts.SyntaxKind.EqualsEqualsEqualsToken || e.operatorToken.kind === this.ts.SyntaxKind.ExclamationEqualsEqualsToken;
    const leftPrimitive = mayBePrimitive(this.ctx, this.typeOf(e.left));
    const rightPrimitive = mayBePrimitive(this.ctx, this.typeOf(e.right));
    let t = CLEAN;
    if (leftPrimitive || (!strict && rightPrimitive)) t |= left;
    if (rightPrimitive || (!strict && leftPrimitive)) t |= right;
    return t;
  }

  private isNullish(node: TS.Expression): boolean {
    const { ts } = this;
    const e = skipOuterExpressions(ts, node);
    return e.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(e) && e.text === "undefined") || ts.isVoidExpression(e);
  }

  /** `x === null`, `x != undefined`...: a presence test, static even for tracers. */
  private isNullCheck(e: TS.BinaryExpression): boolean {
    return operatorKind(this.ts, e.operatorToken.kind) === "equality" && (this.isNullish(e.left) || this.isNullish(e.right));
  }

  // ---------------------------------------------------------------- expressions

  private expr(node: TS.Expression): Taint {
    const { ts } = this;
    this.step();
    const e = node;
    switch (e.kind) {
      case ts.SyntaxKind.Identifier:
        return this.identifier(e as TS.Identifier);
      case ts.SyntaxKind.ThisKeyword: {
        const provider = this.thisProvider(e);
        if (provider) this.readStates.add(provider);
        return provider ? provider.thisTaint : CLEAN;
      }
      case ts.SyntaxKind.ParenthesizedExpression:
      case ts.SyntaxKind.AsExpression:
      case ts.SyntaxKind.NonNullExpression:
      case ts.SyntaxKind.SatisfiesExpression:
      case ts.SyntaxKind.TypeAssertionExpression:
      case ts.SyntaxKind.AwaitExpression:
      case ts.SyntaxKind.SpreadElement:
        return this.expr((e as TS.ParenthesizedExpression).expression);
      case ts.SyntaxKind.TemplateExpression:
        return this.template(e as TS.TemplateExpression);
      case ts.SyntaxKind.ArrayLiteralExpression: {
        let t = CLEAN;
        for (const element of (e as TS.ArrayLiteralExpression).elements) if (!ts.isOmittedExpression(element)) t |= this.expr(element);
        return t;
      }
      case ts.SyntaxKind.ObjectLiteralExpression:
        return this.objectLiteral(e as TS.ObjectLiteralExpression);
      case ts.SyntaxKind.PropertyAccessExpression: {
        const access = e as TS.PropertyAccessExpression;
        const t = this.expr(access.expression);
        return STATIC_PROPERTIES.has(access.name.text) ? CLEAN : t;
      }
      case ts.SyntaxKind.ElementAccessExpression: {
        const access = e as TS.ElementAccessExpression;
        const t = this.expr(access.expression);
        const arg = skipOuterExpressions(ts, access.argumentExpression);
        if (ts.isStringLiteralLike(arg) && STATIC_PROPERTIES.has(arg.text)) return CLEAN;
        this.index(access);
        return this.restElementIsStatic(access) ? CLEAN : t;
      }
      case ts.SyntaxKind.CallExpression:
        return this.call(e as TS.CallExpression);
      case ts.SyntaxKind.NewExpression:
        return this.construct(e as TS.NewExpression);
      case ts.SyntaxKind.TaggedTemplateExpression: {
        const tagged = e as TS.TaggedTemplateExpression;
        let t = this.expr(tagged.tag);
        if (ts.isTemplateExpression(tagged.template)) for (const span of tagged.template.templateSpans) t |= this.expr(span.expression);
        return t;
      }
      case ts.SyntaxKind.ArrowFunction:
      case ts.SyntaxKind.FunctionExpression:
        this.define(e as FunctionWithBody);
        return CLEAN;
      case ts.SyntaxKind.PrefixUnaryExpression:
        return this.prefix(e as TS.PrefixUnaryExpression);
      case ts.SyntaxKind.PostfixUnaryExpression: {
        const post = e as TS.PostfixUnaryExpression;
        this.update(post, post.operand, post.operator === ts.SyntaxKind.PlusPlusToken ? "++" : "--");
        return CLEAN;
      }
      case ts.SyntaxKind.TypeOfExpression:
      case ts.SyntaxKind.VoidExpression:
      case ts.SyntaxKind.DeleteExpression:
        this.expr((e as TS.TypeOfExpression).expression);
        return CLEAN;
      case ts.SyntaxKind.YieldExpression: {
        const inner = (e as TS.YieldExpression).expression;
        if (inner) this.expr(inner);
        return CLEAN;
      }
      case ts.SyntaxKind.BinaryExpression:
        return this.binary(e as TS.BinaryExpression);
      case ts.SyntaxKind.ConditionalExpression: {
        const c = e as TS.ConditionalExpression;
        this.condition(c.condition, "ternary", c);
        return this.expr(c.whenTrue) | this.expr(c.whenFalse);
      }
      case ts.SyntaxKind.ClassExpression:
        return CLEAN;
      default:
        // Literals and anything unmodelled: evaluate sub-expressions for their own uses.
        ts.forEachChild(e, (child) => {
          if (ts.isExpression(child)) this.expr(child);
        });
        return CLEAN;
    }
  }

  private identifier(id: TS.Identifier): Taint {
    const { ts } = this;
    if (id.text === "undefined") return CLEAN;
    if (id.text === "arguments") {
      const fn = this.current.fn;
      let t = CLEAN;
      for (const p of runtimeParameters(ts, fn)) for (const bound of this.boundIdentifiers(p.name)) {
        const symbol = this.symbolAt(bound);
        if (symbol) t |= this.readVar(symbol);
      }
      return t;
    }
    const symbol = ts.isShorthandPropertyAssignment(id.parent) && id.parent.name === id
      ? this.ctx.memo.get("shorthandValue", id, () => this.ctx.checker.getShorthandAssignmentValueSymbol(id.parent))
      : this.symbolAt(id);
    return symbol ? this.readVar(symbol) : CLEAN;
  }

  private objectLiteral(e: TS.ObjectLiteralExpression): Taint {
    const { ts } = this;
    let t = CLEAN;
    for (const property of e.properties) {
      if (property.name && ts.isComputedPropertyName(property.name)) this.propertyKey(property.name.expression, "a computed property key");
      if (ts.isPropertyAssignment(property)) t |= this.expr(property.initializer);
      else if (ts.isShorthandPropertyAssignment(property)) t |= this.identifier(property.name);
      else if (ts.isSpreadAssignment(property)) t |= this.expr(property.expression);
      else if (hasBody(ts, property)) this.define(property);
    }
    return t;
  }

  private template(e: TS.TemplateExpression): Taint {
    for (const span of e.templateSpans) {
      const t = this.leafTaint(this.expr(span.expression), span.expression);
      if (t !== CLEAN) this.report(Code.Concretization, span.expression, t, (o) => msg.stringConversionMessage(o, "a template literal"));
    }
    return CLEAN;
  }

  /** `args[2]` where `args` is the jitted function's rest parameter and its element 2 is static. */
  private restElementIsStatic(access: TS.ElementAccessExpression): boolean {
    const { ts } = this;
    if (!this.rest || this.rest.statics.size === 0) return false;
    const target = skipOuterExpressions(ts, access.expression);
    const arg = skipOuterExpressions(ts, access.argumentExpression);
    if (!ts.isIdentifier(target) || !ts.isNumericLiteral(arg) || this.symbolAt(target) !== this.rest.symbol) return false;
    return this.rest.statics.has(Number(arg.text));
  }

  private index(access: TS.ElementAccessExpression): void {
    this.propertyKey(access.argumentExpression, `an index ('${this.text(access)}')`);
  }

  private propertyKey(key: TS.Expression, how: string): void {
    const t = this.leafTaint(this.expr(key), key);
    if (t !== CLEAN) this.report(Code.Concretization, key, t, (o) => msg.indexMessage(o, how));
  }

  private prefix(e: TS.PrefixUnaryExpression): Taint {
    const { ts } = this;
    switch (e.operator) {
      case ts.SyntaxKind.ExclamationToken:
        this.condition(e.operand, "not");
        return CLEAN;
      case ts.SyntaxKind.PlusPlusToken:
      case ts.SyntaxKind.MinusMinusToken:
        this.update(e, e.operand, e.operator === ts.SyntaxKind.PlusPlusToken ? "++" : "--");
        return CLEAN;
      default: {
        const t = this.leafTaint(this.expr(e.operand), e.operand);
        if (t !== CLEAN) {
          const op = e.operator === ts.SyntaxKind.MinusToken ? "-" : e.operator === ts.SyntaxKind.PlusToken ? "+" : "~";
          const replacement = op === "-" ? "np.negative(x)" : op === "+" ? "np.asarray(x)" : undefined;
          this.report(Code.Concretization, e, t, (o) => msg.arithmeticMessage(o, op, replacement, "arithmetic"));
        }
        return CLEAN;
      }
    }
  }

  private update(node: TS.Expression, operand: TS.Expression, op: "++" | "--"): void {
    const t = this.leafTaint(this.expr(operand), operand);
    if (t !== CLEAN) this.report(Code.Concretization, node, t, (o) => msg.arithmeticMessage(o, op, NP_FOR_OPERATOR[op], "update"));
  }

  private binary(e: TS.BinaryExpression): Taint {
    const { ts } = this;
    const op = e.operatorToken.kind;
    const opText = ts.tokenToString(op) ?? "?";
    switch (op) {
      case ts.SyntaxKind.EqualsToken: {
        const t = this.expr(e.right);
        this.assign(e.left, t);
        return t;
      }
      case ts.SyntaxKind.AmpersandAmpersandToken:
      case ts.SyntaxKind.BarBarToken: {
        const kind = op === ts.SyntaxKind.AmpersandAmpersandToken ? "and" : "or";
        return this.condition(e.left, kind) | this.expr(e.right);
      }
      case ts.SyntaxKind.AmpersandAmpersandEqualsToken:
      case ts.SyntaxKind.BarBarEqualsToken: {
        const kind = op === ts.SyntaxKind.AmpersandAmpersandEqualsToken ? "and" : "or";
        const t = this.condition(e.left, kind) | this.expr(e.right);
        this.assign(e.left, t);
        return t;
      }
      case ts.SyntaxKind.QuestionQuestionToken:
        // Nullishness is static: a tracer is never null or undefined.
        return this.expr(e.left) | this.expr(e.right);
      case ts.SyntaxKind.QuestionQuestionEqualsToken: {
        const t = this.expr(e.left) | this.expr(e.right);
        this.assign(e.left, t);
        return t;
      }
      case ts.SyntaxKind.CommaToken:
        this.expr(e.left);
        return this.expr(e.right);
      case ts.SyntaxKind.InstanceOfKeyword:
        this.expr(e.left);
        this.expr(e.right);
        return CLEAN;
      case ts.SyntaxKind.InKeyword:
        this.propertyKey(e.left, "a property key ('in')");
        this.expr(e.right);
        return CLEAN;
    }
    const kind = operatorKind(ts, op);
    if (kind === "compound") {
      const t = this.leafTaint(this.expr(e.left), e.left) | this.leafTaint(this.expr(e.right), e.right);
      if (t !== CLEAN) this.report(Code.Concretization, e, t, (o) => msg.arithmeticMessage(o, opText, NP_FOR_OPERATOR[opText], "update"));
      this.assign(e.left, CLEAN);
      return CLEAN;
    }
    if (kind === undefined) {
      this.expr(e.left);
      this.expr(e.right);
      return CLEAN;
    }
    if (this.isNullCheck(e)) {
      this.expr(e.left);
      this.expr(e.right);
      return CLEAN;
    }
    const left = this.leafTaint(this.expr(e.left), e.left), right = this.leafTaint(this.expr(e.right), e.right);
    const t = kind === "equality" ? this.equalityTaint(e, left, right) : left | right;
    if (t === CLEAN) return CLEAN;
    if (kind === "equality") {
      this.report(Code.Concretization, e, t, (o) => msg.identityMessage(o, opText, NP_FOR_OPERATOR[opText]!));
    } else if (op === ts.SyntaxKind.PlusToken && (isStringLike(this.ctx, this.typeOf(e.left)) || isStringLike(this.ctx, this.typeOf(e.right)))) {
      this.report(Code.Concretization, e, t, (o) => msg.stringConversionMessage(o, "string concatenation with '+'"));
    } else {
      this.report(Code.Concretization, e, t, (o) => msg.arithmeticMessage(o, opText, NP_FOR_OPERATOR[opText], kind === "comparison" ? "comparison" : "arithmetic"));
    }
    return CLEAN;
  }

  // ---------------------------------------------------------------- calls

  private isFunctionValue(arg: TS.Expression): boolean {
    const { ts } = this;
    const e = skipOuterExpressions(ts, arg);
    if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return true;
    if (ts.isArrayLiteralExpression(e)) return e.elements.length > 0 && e.elements.every((x) => this.isFunctionValue(x));
    return false;
  }

  /** The functions an argument denotes: inline, an array of them (lax.switch), or named. */
  private functionsIn(arg: TS.Expression): FunctionWithBody[] {
    return this.ctx.memo.get("functions", arg, () => this.findFunctionsIn(arg));
  }

  private findFunctionsIn(arg: TS.Expression): FunctionWithBody[] {
    const { ts } = this;
    const e = skipOuterExpressions(ts, arg);
    if (ts.isArrayLiteralExpression(e)) return e.elements.flatMap((x) => (ts.isSpreadElement(x) ? [] : this.functionsIn(x)));
    const fn = resolveFunction(this.ctx, e);
    return fn && !fn.getSourceFile().isDeclarationFile && !this.ctx.api.isTsjitDeclaration(fn) ? [fn] : [];
  }

  private call(call: TS.CallExpression): Taint {
    const { ts } = this;
    const calleeExpr = skipOuterExpressions(ts, call.expression);
    if (calleeExpr.kind === ts.SyntaxKind.SuperKeyword || calleeExpr.kind === ts.SyntaxKind.ImportKeyword) {
      for (const a of call.arguments) this.expr(a);
      return CLEAN;
    }
    let receiver: { node: TS.Expression; taint: Taint } | undefined;
    if (ts.isPropertyAccessExpression(calleeExpr) || ts.isElementAccessExpression(calleeExpr)) {
      receiver = { node: calleeExpr.expression, taint: this.expr(calleeExpr.expression) };
      if (ts.isElementAccessExpression(calleeExpr)) this.index(calleeExpr);
    } else if (!ts.isIdentifier(calleeExpr)) {
      this.expr(calleeExpr);
    }
    const callee = this.ctx.memo.get("callee", call, () => classifyCall(this.ctx, call));

    // Boolean(x) tests truthiness: a condition, not a conversion.
    if (callee.kind === "library" && callee.global === "Boolean") {
      for (const a of call.arguments) this.condition(a, "Boolean");
      return CLEAN;
    }

    const args = call.arguments;
    const taints: Taint[] = args.map(() => CLEAN);
    const callbacks: number[] = [];
    args.forEach((a, i) => {
      if (this.isFunctionValue(a) || (callee.kind !== "function" && this.functionsIn(a).length > 0 && ts.isIdentifier(skipOuterExpressions(ts, a)))) callbacks.push(i);
      else taints[i] = this.expr(a);
    });
    const inputs = taints.reduce((a, b) => a | b, receiver?.taint ?? CLEAN);
    for (const i of callbacks) this.passFunction(args[i]!, callee, i, inputs, call);

    switch (callee.kind) {
      case "tsjit":
        return this.tsjitCall(call, callee, receiver, taints, callbacks.length > 0);
      case "function":
        return this.callFunction(callee.fn, args, taints, call, receiver);
      case "library":
        return this.libraryCall(call, callee, receiver, taints);
      case "unknown": {
        const returns = callee.decl && declaredReturnType(this.ctx, callee.decl);
        return returns && mayCarryTracers(this.ctx, returns) ? inputs : CLEAN;
      }
    }
  }

  /** A function passed as an argument: tsjit calls it with tracers; others with what they got. */
  private passFunction(arg: TS.Expression, callee: Callee, index: number, inputs: Taint, call: TS.CallExpression): void {
    const fns = this.functionsIn(arg);
    if (callee.kind === "tsjit") {
      if (this.isJitCall(call)) {
        // A nested jit site is analyzed as its own site, with its own static arguments.
        return;
      }
      const param = declaredParameterType(this.ctx, callee.decl, index);
      for (const fn of fns) {
        if (param && param.type.getCallSignatures().length === 0 && !(param.type.isUnion() && param.type.types.some((t) => t.getCallSignatures().length))) continue;
        this.seedCallbackParameters(fn, callee.name);
        this.markEntry(fn, call, `${callee.name} calls it here with traced values.`);
        this.enterFrom(fn, call);
      }
      return;
    }
    for (const fn of fns) {
      if (callee.kind === "function") {
        if (this.isInsideTrace(fn)) this.define(fn);
        continue;
      }
      if (inputs === CLEAN && !this.isInsideTrace(fn)) continue;
      // The callback receives what its declared type can carry: the elements of a traced
      // array, not the (static) index that Array.prototype.map passes beside them.
      const signature = this.callbackSignature(callee, index);
      runtimeParameters(this.ts, fn).forEach((param, j) => {
        const declared = signature?.parameters[Math.min(j, signature.parameters.length - 1)];
        const carries = !declared || mayCarryTracers(this.ctx, this.ctx.checker.getTypeOfSymbol(declared));
        this.seedBinding(param.name, carries ? inputs : CLEAN);
      });
      if (inputs !== CLEAN) this.markEntry(fn, call, `${callee.name} calls it here with traced values.`);
      this.enterFrom(fn, call);
    }
  }

  private isJitCall(call: TS.CallExpression): boolean {
    return this.ctx.memo.get("isJit", call, () => isJitReference(this.ctx, call.expression));
  }

  /** The declared (uninstantiated) signature of the callback a library call takes at `index`. */
  private callbackSignature(callee: Callee, index: number): TS.Signature | undefined {
    const decl = callee.kind === "library" || callee.kind === "unknown" ? callee.decl : undefined;
    const param = decl && declaredParameterType(this.ctx, decl, index);
    if (!param) return undefined;
    const types = param.type.isUnion() ? param.type.types : [param.type];
    for (const t of types) {
      const [signature] = t.getCallSignatures();
      if (signature && signature.parameters.length > 0) return signature;
    }
    return undefined;
  }

  private markEntry(fn: FunctionWithBody, call: TS.Node, label: string): void {
    const state = this.stateOf(fn);
    if (!state.entry && this.stack.length) state.entry = { call, caller: this.current.fn, label };
  }

  private controlOrigin(call: TS.CallExpression, name: string): Taint {
    return this.origins.taintOf(call, () => ({ name: `${name}(...)`, kind: "control", node: call, owner: name }));
  }

  private tsjitCall(call: TS.CallExpression, callee: Extract<Callee, { kind: "tsjit" }>, receiver: { node: TS.Expression; taint: Taint } | undefined, taints: readonly Taint[], hasCallbacks: boolean): Taint {
    if (receiver && callee.method && READBACK_METHODS.has(callee.method) && receiver.taint !== CLEAN && this.ctx.api.isNDArrayType(this.typeOf(receiver.node))) {
      this.report(Code.Concretization, call, receiver.taint, (o) => msg.readbackMessage(o, callee.method!));
      return CLEAN;
    }
    let result = receiver && this.ctx.api.isNDArrayType(this.typeOf(receiver.node)) ? receiver.taint : CLEAN;
    call.arguments.forEach((arg, i) => {
      const t = taints[i]!;
      if (t === CLEAN) return;
      const param = declaredParameterType(this.ctx, callee.decl, i);
      if (param && !acceptsTracer(this.ctx, param.type)) {
        this.report(Code.Concretization, arg, t, (o) => msg.staticArgumentMessage(o, param.name, callee.name));
      } else if (isIndexEntryParameter(this.ctx, callee.decl, i) && isBoolArrayType(this.ctx, this.typeOf(arg))) {
        // A traced boolean mask index: the result's shape would depend on its values
        // (the runtime throws ConcretizationTypeError naming np.where).
        this.report(Code.Concretization, arg, t, (o) => msg.boolMaskIndexMessage(o, this.text(arg), callee.name));
        result |= t;
      } else {
        result |= t;
      }
    });
    if (hasCallbacks && !this.isJitCall(call)) result |= this.controlOrigin(call, callee.name);
    return result;
  }

  private libraryCall(call: TS.CallExpression, callee: Extract<Callee, { kind: "library" }>, receiver: { node: TS.Expression; taint: Taint } | undefined, taints: readonly Taint[]): Taint {
    const args = call.arguments;
    if (callee.global && CONVERTING_GLOBALS.has(callee.global)) {
      const t = args.reduce((acc, a, i) => acc | this.leafTaint(taints[i]!, a), CLEAN);
      if (t !== CLEAN) {
        if (callee.global === "String") this.report(Code.Concretization, call, t, (o) => msg.stringConversionMessage(o, "String()"));
        else this.report(Code.Concretization, call, t, (o) => msg.numberConversionMessage(o, `${callee.global}()`, npEquivalent(callee.global!)));
      }
      return CLEAN;
    }
    // A traced number or string has none of its methods (the tracer is an object), and
    // toString/valueOf on a traced array convert it.
    if (receiver && receiver.taint !== CLEAN && callee.method) {
      const type = this.typeOf(receiver.node);
      const converts = mayBePrimitive(this.ctx, type) ? !MUTATING_METHODS.has(callee.method) : mayBeTracer(this.ctx, type) && (STRING_METHODS.has(callee.method) || callee.method === "valueOf");
      if (converts) {
        const method = `.${callee.method}()`;
        if (STRING_METHODS.has(callee.method)) this.report(Code.Concretization, call, receiver.taint, (o) => msg.stringConversionMessage(o, method));
        else this.report(Code.Concretization, call, receiver.taint, (o) => msg.numberConversionMessage(o, method, undefined));
        return CLEAN;
      }
    }
    const kept = this.libraryArguments(args, taints, callee.decl, callee.name, npEquivalent(callee.name));
    if (receiver && callee.method && MUTATING_METHODS.has(callee.method) && kept !== CLEAN) {
      this.storeInto(receiver.node, kept, call, "added-to", `.${callee.method}()`);
    }
    if (callee.name === "Object.assign" && args[0] && kept !== CLEAN) this.storeInto(args[0], kept, call, "stored-on");
    const returns = declaredReturnType(this.ctx, callee.decl);
    return returns && mayCarryTracers(this.ctx, returns) ? kept | (receiver?.taint ?? CLEAN) : CLEAN;
  }

  private construct(e: TS.NewExpression): Taint {
    const args = e.arguments ?? [];
    const taints = args.map((a) => this.expr(a));
    const inputs = taints.reduce((a, b) => a | b, CLEAN);
    const callee = this.ctx.memo.get("callee", e, () => classifyCall(this.ctx, e));
    if (callee.kind === "function") {
      this.callFunction(callee.fn, args, taints, e, undefined, true);
      const state = this.stateOf(callee.fn);
      this.readStates.add(state);
      return inputs | state.thisTaint;
    }
    if (callee.kind === "library") return this.libraryArguments(args, taints, callee.decl, `new ${callee.name}`, undefined);
    return inputs;
  }

  /**
   * Arguments of a standard-library function: a traced value passed where the library
   * coerces to a number or string (Math.exp(x), arr.slice(n), new Array(n)) is converted.
   * Returns the taint of the arguments passed on unconverted.
   */
  private libraryArguments(args: readonly TS.Expression[], taints: readonly Taint[], decl: TS.SignatureDeclaration, name: string, replacement: string | undefined): Taint {
    let kept = CLEAN;
    args.forEach((arg, i) => {
      const t = taints[i]!;
      if (t === CLEAN) return;
      const param = declaredParameterType(this.ctx, decl, i);
      if (param && isCoercedPrimitive(this.ctx, param.type) && mayBeTracer(this.ctx, this.typeOf(arg))) {
        const to = isStringLike(this.ctx, param.type) ? "string" : "number";
        this.report(Code.Concretization, arg, t, (o) => msg.libraryConversionMessage(o, name, to, replacement));
      } else {
        kept |= t;
      }
    });
    return kept;
  }
}
