// TS990003: a `jit(...)` evaluated per loop iteration or per call of the enclosing
// function. tsjit's cache belongs to the jitted function, so each new one starts empty.
// Factories that return or store the jitted function are fine and are not reported.

import type * as TS from "typescript";
import type { AnalysisContext } from "./context.js";
import { Code, spanOf, type Finding } from "./findings.js";
import { functionDisplayName } from "./functions.js";
import { jitInLoopMessage, jitPerCallMessage, named } from "./messages.js";

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function isLoop(ts: AnalysisContext["ts"], node: TS.Node): node is TS.IterationStatement {
  return ts.isForStatement(node) || ts.isForOfStatement(node) || ts.isForInStatement(node) || ts.isWhileStatement(node) || ts.isDoStatement(node);
}

/** `child` is evaluated on every iteration of `loop` (its body, test or update). */
function runsPerIteration(ts: AnalysisContext["ts"], loop: TS.IterationStatement, child: TS.Node): boolean {
  if (child === loop.statement) return true;
  if (ts.isForStatement(loop)) return child === loop.condition || child === loop.incrementor;
  return ts.isWhileStatement(loop) || ts.isDoStatement(loop) ? child === loop.expression : false;
}

/** The expression that the jitted function flows into, past parentheses and casts. */
function outermost(ts: AnalysisContext["ts"], node: TS.Expression): TS.Expression {
  let e: TS.Expression = node;
  while (e.parent && (ts.isParenthesizedExpression(e.parent) || ts.isAsExpression(e.parent) || ts.isNonNullExpression(e.parent) || ts.isSatisfiesExpression(e.parent))) e = e.parent;
  return e;
}

/** A local const holding the jitted function is only ever called (it never leaves the function). */
function onlyCalledLocally(ctx: AnalysisContext, decl: TS.VariableDeclaration, scope: TS.Node): boolean {
  const { ts } = ctx;
  if (!ts.isIdentifier(decl.name)) return false;
  const symbol = ctx.checker.getSymbolAtLocation(decl.name);
  if (!symbol) return false;
  let ok = true;
  let uses = 0;
  const visit = (node: TS.Node): void => {
    if (!ok) return;
    if (ts.isIdentifier(node) && node !== decl.name && ctx.checker.getSymbolAtLocation(node) === symbol) {
      uses++;
      const use = outermost(ts, node);
      if (!(use.parent && ts.isCallExpression(use.parent) && use.parent.expression === use)) ok = false;
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return ok && uses > 0;
}

export function checkJitPlacement(ctx: AnalysisContext, call: TS.CallExpression): Finding | undefined {
  const { ts } = ctx;
  let child: TS.Node = call;
  for (let n: TS.Node | undefined = call.parent; n; child = n, n = n.parent) {
    if (isLoop(ts, n) && runsPerIteration(ts, n, child)) {
      return { code: Code.JitPerCall, category: "warning", span: spanOf(call), message: jitInLoopMessage(), related: [] };
    }
    if (ts.isFunctionLike(n) || ts.isClassStaticBlockDeclaration(n)) {
      if (!ts.isFunctionLike(n) || !("body" in n) || !n.body) return undefined;
      const use = outermost(ts, call);
      const invoked = use.parent && ts.isCallExpression(use.parent) && use.parent.expression === use;
      const parent = use.parent;
      const localOnly = parent && ts.isVariableDeclaration(parent) && parent.initializer === use && onlyCalledLocally(ctx, parent, n.body);
      if (invoked || localOnly) {
        return {
          code: Code.JitPerCall,
          category: "warning",
          span: spanOf(call),
          message: jitPerCallMessage(functionDisplayName(ts, n)),
          related: [{ span: spanOf(ts.isFunctionDeclaration(n) && n.name ? n.name : n), message: `${capitalize(named("the enclosing function", functionDisplayName(ts, n)).replace("the enclosing function '", "'"))} creates a new jitted function each time it runs.` }],
        };
      }
      return undefined;
    }
    if (ts.isSourceFile(n)) return undefined;
  }
  return undefined;
}

