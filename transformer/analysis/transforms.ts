// Trace roots other than jit sites: functions passed to tsjit's transformations (`grad`,
// `vmap`, ...), found by symbol like `jit`. Each calls its function with tracers for some
// arguments, and the analysis checks that function as it checks a jitted one. These calls
// are not jit sites: nothing is rewritten or prebuilt for them, they only get diagnostics.
//
// Which parameters are traced mirrors runtime/transforms: grad, valueAndGrad, jacfwd, jacrev
// and hessian make tracers of the `argnums` arguments only (default 0) and pass the others
// through as they are; vmap batches the arguments whose `inAxes` entry is not null and passes
// null ones through; vjp and jvp trace every primal. Nested forms (`jit(grad(f))`,
// `vmap(grad(f))`) are one root for the innermost function, with the union of what every
// layer traces (an outer layer's tracers reach `f` through the inner ones).

import type * as TS from "typescript";
import type { TransformName } from "./api.js";
import { skipOuterExpressions, type AnalysisContext } from "./context.js";
import { isAnalyzableFunction, parameterNames, resolveFunction, runtimeParameters, type FunctionWithBody } from "./functions.js";
import { isJitReference, transformReference } from "./sites.js";
import { constInitializer, propertyNameText, readNumbers, readStaticOptions } from "./statics.js";

const MAX_DEPTH = 4;
const DIFFERENTIATING: ReadonlySet<TransformName> = new Set(["grad", "valueAndGrad", "jacfwd", "jacrev", "hessian"]);

/** Positions a layer traces: every one but `except`, or only `only`. */
type Positions = { readonly all: true; readonly except: ReadonlySet<number> } | { readonly all: false; readonly only: ReadonlySet<number> };

const NONE: Positions = { all: false, only: new Set() };
const ALL: Positions = { all: true, except: new Set() };

function union(a: Positions, b: Positions): Positions {
  if (!a.all && !b.all) return { all: false, only: new Set([...a.only, ...b.only]) };
  // all but E1 ∪ all but E2 = all but E1∩E2; all but E ∪ only O = all but E\O.
  const [x, y] = a.all ? [a, b] : [b as Positions & { all: true }, a];
  return { all: true, except: new Set([...x.except].filter((i) => !has(y, i))) };
}

function has(p: Positions, index: number): boolean {
  return p.all ? !p.except.has(index) : p.only.has(index);
}

/** Some position at or past `index` (the elements of a rest parameter). */
function hasFrom(p: Positions, index: number): boolean {
  return p.all || [...p.only].some((i) => i >= index);
}

/** One transformation (or jit) wrapped around the function, outermost first. */
interface Layer {
  readonly name: TransformName | "jit";
  readonly traced: Positions;
  /** How to leave a position untraced in this layer, when the runtime allows it. */
  readonly untrace?: "argnums" | "inAxes";
}

export interface TransformRoot {
  /** The innermost transformation call: its first argument is the function. */
  readonly call: TS.CallExpression;
  readonly fn: FunctionWithBody;
  /** The function is written in the call (not a reference to a declaration or const). */
  readonly inline: boolean;
  /** "grad", "jit(grad(...))": how messages name what traces the function. */
  readonly chain: string;
  readonly innermost: TransformName;
  /** Whether the parameter at `index` (a rest parameter: any of its elements) is a tracer. */
  isTraced(index: number, rest: boolean): boolean;
  /** How to keep that parameter untraced, when one layer alone traces it and allows that. */
  untraceHint(index: number): { readonly how: "argnums" | "inAxes"; readonly by: string } | undefined;
}

/** The value of property `key` of an options expression: null when absent, undefined when unknowable. */
function optionValue(ctx: AnalysisContext, options: TS.Expression | undefined, key: string, depth = 0): TS.Expression | null | undefined {
  const { ts } = ctx;
  if (!options) return null;
  const e = skipOuterExpressions(ts, options);
  if (ts.isIdentifier(e) && e.text === "undefined") return null;
  if (ts.isIdentifier(e) && depth < MAX_DEPTH) {
    const init = constInitializer(ctx, e);
    return init ? optionValue(ctx, init, key, depth + 1) : undefined;
  }
  if (!ts.isObjectLiteralExpression(e)) return undefined;
  let found: TS.Expression | null = null;
  for (const property of e.properties) {
    if (ts.isSpreadAssignment(property) || (property.name && ts.isComputedPropertyName(property.name))) return undefined;
    if (!property.name || propertyNameText(ctx, property.name) !== key) continue;
    if (ts.isPropertyAssignment(property)) found = property.initializer;
    else if (ts.isShorthandPropertyAssignment(property)) found = constInitializer(ctx, property.name) ?? property.name;
    else return undefined;
  }
  return found;
}

function isNull(ctx: AnalysisContext, e: TS.Expression): boolean {
  return skipOuterExpressions(ctx.ts, e).kind === ctx.ts.SyntaxKind.NullKeyword;
}

/** What one call of a transformation traces, or undefined when its options cannot be read. */
function layerOf(ctx: AnalysisContext, name: TransformName | "jit", call: TS.CallExpression, innermost: FunctionWithBody): Layer | undefined {
  const { ts } = ctx;
  // vjp(f, ...primals), jvp(f, primals, tangents): every primal is a tracer.
  if (name === "vjp" || name === "jvp") return { name, traced: ALL };
  const options = call.arguments[1];
  if (options && ts.isSpreadElement(options)) return undefined;
  if (name === "jit") {
    const statics = readStaticOptions(ctx, options);
    if (!statics.known) return undefined;
    // Names are the innermost function's: the runtime reads them from the function's source.
    const names = parameterNames(ts, innermost);
    const except = new Set<number>([...statics.names.map((n) => names.indexOf(n.name)).filter((i) => i >= 0), ...statics.nums.map((n) => n.value)]);
    return { name, traced: { all: true, except } };
  }
  if (DIFFERENTIATING.has(name)) {
    const argnums = optionValue(ctx, options, "argnums");
    if (argnums === undefined) return undefined;
    const nums = argnums === null ? [0] : readNumbers(ctx, argnums);
    if (!nums) return undefined;
    // Naming which argument to leave out only helps when another one is still differentiated.
    return { name, traced: { all: false, only: new Set(nums) }, ...(new Set(nums).size > 1 ? { untrace: "argnums" as const } : {}) };
  }
  // vmap: inAxes absent or a number batches every argument; an array names one entry per argument.
  const inAxes = optionValue(ctx, options, "inAxes");
  if (inAxes === undefined) return undefined;
  if (inAxes === null) return { name, traced: ALL, untrace: "inAxes" };
  const e = skipOuterExpressions(ts, inAxes);
  if (isNull(ctx, e)) return { name, traced: NONE };
  if (readNumbers(ctx, e)?.length === 1 && !ts.isArrayLiteralExpression(e)) return { name, traced: ALL, untrace: "inAxes" };
  if (!ts.isArrayLiteralExpression(e) || e.elements.some((el) => ts.isSpreadElement(el))) return undefined;
  const only = new Set<number>();
  e.elements.forEach((el, i) => {
    if (!isNull(ctx, el)) only.add(i);
  });
  return { name, traced: { all: false, only }, untrace: "inAxes" };
}

/** The call that takes `node` as its first argument and is jit or a wrapping transformation. */
function enclosingLayer(ctx: AnalysisContext, node: TS.Expression): { call: TS.CallExpression; name: TransformName | "jit" } | undefined {
  const { ts } = ctx;
  let child: TS.Node = node;
  let parent = node.parent;
  while (parent && (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isNonNullExpression(parent) || ts.isSatisfiesExpression(parent))) {
    child = parent;
    parent = parent.parent;
  }
  if (!parent || !ts.isCallExpression(parent) || parent.arguments[0] !== child) return undefined;
  if (isJitReference(ctx, parent.expression)) return { call: parent, name: "jit" };
  const name = transformReference(ctx, parent.expression);
  // vjp and jvp return values, not functions: nothing wraps them.
  return name && name !== "vjp" && name !== "jvp" ? { call: parent, name } : undefined;
}

function chainText(names: readonly string[]): string {
  return names.length === 1 ? names[0]! : `${names.join("(")}(...${")".repeat(names.length)}`;
}

/** The trace root of a transformation call whose first argument is a function, if any. */
function rootOf(ctx: AnalysisContext, call: TS.CallExpression, name: TransformName): TransformRoot | undefined {
  const { ts } = ctx;
  const arg = call.arguments[0];
  if (!arg || ts.isSpreadElement(arg)) return undefined;
  const inner = skipOuterExpressions(ts, arg);
  // `grad(jit(f))`, `vmap(grad(f))`: the innermost call is the root (a jit site checks its own).
  if (ts.isCallExpression(inner)) return undefined;
  const fn = resolveFunction(ctx, arg);
  if (!fn || !isAnalyzableFunction(ctx, fn)) return undefined;
  const layers: Layer[] = [];
  const inner0 = layerOf(ctx, name, call, fn);
  if (!inner0) return undefined;
  layers.push(inner0);
  let node: TS.Expression = call;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const outer = enclosingLayer(ctx, node);
    if (!outer) break;
    const layer = layerOf(ctx, outer.name, outer.call, fn);
    if (!layer) return undefined;
    layers.unshift(layer);
    node = outer.call;
  }
  const traced = layers.reduce((acc, l) => union(acc, l.traced), NONE);
  const restIndex = runtimeParameters(ts, fn).findIndex((p) => p.dotDotDotToken !== undefined);
  return {
    call,
    fn,
    inline: inner === fn,
    chain: chainText(layers.map((l) => l.name)),
    innermost: name,
    isTraced: (index, rest) => (rest ? hasFrom(traced, index) : has(traced, index)),
    untraceHint(index) {
      if (index === restIndex) return undefined;
      const by = layers.filter((l) => has(l.traced, index));
      const only = by.length === 1 ? by[0]! : undefined;
      return only?.untrace ? { how: only.untrace, by: only.name } : undefined;
    },
  };
}

/** The trace roots of transformation calls in a file, in source order. */
export function findTransformRoots(ctx: AnalysisContext, file: TS.SourceFile): TransformRoot[] {
  const { ts } = ctx;
  if (!ctx.api.found || file.isDeclarationFile || ctx.api.isTsjitFile(file)) return [];
  // Every way of naming a transformation spells its name somewhere in the file (the import,
  // `t.grad`, or a const alias's initializer): most files skip the walk.
  if (!/\b(grad|valueAndGrad|vjp|jvp|jacfwd|jacrev|hessian|vmap)\b/.test(file.text)) return [];
  const roots: TransformRoot[] = [];
  const visit = (node: TS.Node): void => {
    if (ts.isCallExpression(node) && node.arguments.length > 0) {
      const name = transformReference(ctx, node.expression);
      const root = name && rootOf(ctx, node, name);
      if (root) roots.push(root);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return roots;
}
