// Diagnostic wording. Every message names the traced origin(s) and ends with a concrete fix.

import type { Origin } from "./origins.js";

/** "'f'", or the fallback when the function has no name. */
export function quotedOr(name: string, fallback: string): string {
  return name === "<anonymous>" ? fallback : `'${name}'`;
}

/** "'f' is jitted here.", or "Jitted here." for an anonymous function. */
export function subjectSentence(name: string, predicate: string): string {
  if (name !== "<anonymous>") return `'${name}' ${predicate}`;
  const bare = predicate.replace(/^is /, "");
  return bare.charAt(0).toUpperCase() + bare.slice(1);
}

/** "the jitted function 'f'", or "the jitted function" when it has no name. */
export function named(what: string, name: string): string {
  return name === "<anonymous>" ? what : `${what} '${name}'`;
}

/** Longest source text quoted in a message. */
const MAX_SHOWN = 40;

function quoteList(items: readonly string[]): string {
  const quoted = items.map((s) => `'${s}'`);
  return quoted.length <= 1 ? (quoted[0] ?? "") : `${quoted.slice(0, -1).join(", ")} and ${quoted.at(-1)}`;
}

function subject(origins: readonly Origin[]): string {
  const shown = origins.slice(0, 3).map((o) => o.name);
  const more = origins.length > 3 ? ` (and ${origins.length - 3} more)` : "";
  // Parameters of a function grad, vmap... trace: say which transformation makes them tracers.
  const first = origins[0];
  const by = first?.tracedBy !== undefined && origins.every((o) => o.tracedBy === first.tracedBy && o.owner === first.owner)
    ? ` (${origins.length === 1 ? "a parameter" : "parameters"} of ${tracedFunction(first.tracedBy, first.owner)})` : "";
  return `${origins.length === 1 ? "Traced value" : "Traced values"} ${quoteList(shown)}${more}${by}`;
}

/** "differentiated by grad", "mapped by vmap", "traced by jit(grad(...))". */
export function tracedByVerb(chain: string): string {
  if (chain.includes("(")) return `traced by ${chain}`;
  return chain === "vmap" ? "mapped by vmap" : `differentiated by ${chain}`;
}

/** "the function 'loss' differentiated by grad", or without the name when it has none. */
function tracedFunction(chain: string, owner: string): string {
  return `${named("the function", owner)} ${tracedByVerb(chain)}`;
}

/** How to keep a transformed function's parameter untraced (the runtime passes it through as is). */
export function untraceAdvice(how: "argnums" | "inAxes", by: string, name: string, index: number): string {
  return how === "argnums"
    ? `leave ${index} ('${name}') out of ${by}'s argnums (${by} passes the arguments it does not differentiate through untraced)`
    : `give '${name}' inAxes null (vmap passes unbatched arguments through untraced)`;
}

/**
 * ", or mark 'x' static (staticArgnames: ["x"])", or "" unless every origin can be made
 * static (one traced origin left keeps the value traced: the advice would not help).
 */
function staticAlternative(origins: readonly Origin[]): string {
  const names: string[] = [], nums: number[] = [], tags: string[] = [], shown: string[] = [];
  if (origins.length > 0 && origins.every((o) => o.untrace)) return `, or ${[...new Set(origins.map((o) => o.untrace!))].join("; ")}`;
  if (origins.some((o) => !o.fix)) return "";
  for (const o of origins) {
    if (!o.fix) continue;
    shown.push(o.name);
    if (o.fix.kind === "name") names.push(o.fix.name);
    else if (o.fix.kind === "num") nums.push(o.fix.index);
    else tags.push(o.fix.name);
  }
  if (shown.length === 0) return "";
  const how: string[] = [];
  if (names.length) how.push(`staticArgnames: [${names.map((n) => JSON.stringify(n)).join(", ")}]`);
  if (nums.length) how.push(`staticArgnums: [${[...new Set(nums)].join(", ")}]`);
  if (tags.length) how.push(`${tags.map((t) => `@static ${t}`).join(", ")} in its /** @jit */ comment`);
  return `, or mark ${quoteList([...new Set(shown)])} static (${how.join("; ")})`;
}

export function originRelatedMessage(o: Origin): string {
  switch (o.kind) {
    case "parameter":
      if (o.tracedBy !== undefined) return `'${o.name}' is traced: it is a parameter of ${tracedFunction(o.tracedBy, o.owner)}, which makes it a tracer.`;
      return `'${o.name}' is traced: it is a parameter of ${named("the jitted function", o.owner)} and is not static.`;
    case "callback":
      return `'${o.name}' is traced: ${o.owner} calls this function with traced values.`;
    case "control":
      return `This value is traced: it is the result of ${o.owner}.`;
  }
}

// ---- TS990001: traced value used as a condition ----

export type ConditionKind = "if" | "while" | "do" | "for" | "ternary" | "not" | "and" | "or" | "switch" | "case" | "Boolean";

const CONDITION_TEXT: Record<ConditionKind, string> = {
  if: "an 'if' condition",
  while: "a 'while' condition",
  do: "a 'do...while' condition",
  for: "a 'for' loop condition",
  ternary: "a '?:' condition",
  not: "the operand of '!'",
  and: "an operand of '&&'",
  or: "an operand of '||'",
  switch: "a 'switch' value",
  case: "a 'case' label",
  Boolean: "the argument of Boolean()",
};

const SELECT_FIX = "Use np.where(cond, a, b) for elementwise selection or lax.cond(pred, trueFn, falseFn, ...operands) for control flow";
const CONDITION_FIX: Record<ConditionKind, string> = {
  if: SELECT_FIX,
  ternary: SELECT_FIX,
  Boolean: SELECT_FIX,
  while: "Use lax.whileLoop(condFn, bodyFn, init) (or lax.foriLoop(lower, upper, body, init) for a counted loop), which loops on traced values",
  do: "Use lax.whileLoop(condFn, bodyFn, init), which loops on traced values",
  for: "Use lax.foriLoop(lower, upper, body, init) (its bounds may be traced) or lax.whileLoop(condFn, bodyFn, init)",
  not: "Use np.logicalNot(x) for an elementwise negation, np.where(cond, a, b) for selection or lax.cond(pred, trueFn, falseFn, ...operands) for control flow",
  and: "Use np.logicalAnd(a, b) for elementwise logic, np.where(cond, a, b) for selection or lax.cond(pred, trueFn, falseFn, ...operands) for control flow",
  or: "Use np.logicalOr(a, b) for elementwise logic, np.where(cond, a, b) for selection or lax.cond(pred, trueFn, falseFn, ...operands) for control flow",
  switch: "Use lax.switch(index, branches, ...operands), which selects a branch with a traced index",
  case: "Use lax.switch(index, branches, ...operands), which selects a branch with a traced index",
};

/** Why a traced condition goes wrong at run time: it decides the message's reason. */
export type ConditionReason =
  | { readonly kind: "truthy" }
  | { readonly kind: "converts"; readonly operator: string }
  | { readonly kind: "identity"; readonly operator: string };

/** What an always-truthy object does to each construct. */
const ALWAYS_TRUTHY: Record<ConditionKind, string> = {
  if: "the 'if' always takes its first branch",
  ternary: "'?:' always picks its first value",
  Boolean: "Boolean() always returns true",
  while: "the loop never ends",
  do: "the loop never ends",
  for: "the loop never ends",
  not: "'!' always gives false",
  and: "'&&' always gives its right operand",
  or: "'||' always gives its left operand",
  switch: "the 'switch' never matches by value",
  case: "the 'case' never matches by value",
};

function conditionReason(kind: ConditionKind, reason: ConditionReason, whole: boolean): string {
  switch (reason.kind) {
    case "truthy":
      return `a tracer is an object, so it is always truthy whatever its value: ${whole ? ALWAYS_TRUTHY[kind] : "the test never depends on that value"}`;
    case "converts":
      return `the JavaScript operator '${reason.operator}' converts the tracer to a number, which has no value while tracing, so it throws ConcretizationTypeError`;
    case "identity":
      return `'${reason.operator}' compares the tracer object itself, not the value it stands for, so the test never depends on that value`;
  }
}

export function conditionMessage(origins: readonly Origin[], kind: ConditionKind, reason: ConditionReason = { kind: "truthy" }, whole = true): string {
  const loop = kind === "while" || kind === "do" || kind === "for";
  const what = loop ? "JavaScript cannot loop on a traced value" : "JavaScript cannot branch on a traced value";
  return `${subject(origins)} used as ${CONDITION_TEXT[kind]}: ${what} (${conditionReason(kind, reason, whole)}). ${CONDITION_FIX[kind]}${staticAlternative(origins)}.`;
}

// ---- TS990007: an NDArray tested for truthiness (anywhere) ----

export function alwaysTruthyMessage(kind: ConditionKind, whole: boolean, text: string): string {
  const simple = /^[\w$.]+(\(.*\))?$/s.test(text) && text.length <= MAX_SHOWN ? text : undefined;
  const item = simple ? `${simple}.item()` : "x.item()";
  const data = simple ? `await ${simple}.data()` : "await x.data()";
  return `An NDArray used as ${CONDITION_TEXT[kind]} is always truthy: an array is an object, whatever its values, so ${whole ? ALWAYS_TRUTHY[kind] : "the test never depends on them"}. ` +
    `Test its value: ${item} reads a size-1 array (reduce with .any() or .all() first), ${data} reads the elements; inside jit, use np.where(cond, a, b) or lax.cond(pred, trueFn, falseFn, ...operands).`;
}

// ---- TS990002: traced value forced to a concrete JS value ----

const NO_VALUE = "a tracer has no concrete value while tracing, so this throws ConcretizationTypeError";

export function arithmeticMessage(origins: readonly Origin[], operator: string, replacement: string | undefined, what: "arithmetic" | "comparison" | "update"): string {
  const used = what === "comparison" ? "used in a JavaScript comparison" : what === "update" ? "updated with JavaScript arithmetic" : "used in JavaScript arithmetic";
  const fix = replacement ? `Use ${replacement} (tsjit operations accept traced values)` : "Use tsjit operations (np.*, NDArray methods), which accept traced values";
  return `${subject(origins)} ${used} ('${operator}'): ${NO_VALUE}. ${fix}${staticAlternative(origins)}.`;
}

export function identityMessage(origins: readonly Origin[], operator: string, replacement: string): string {
  return `${subject(origins)} compared with '${operator}': a tracer is an object standing for a value unknown while tracing, so the comparison cannot see that value. Use ${replacement} for an elementwise comparison${staticAlternative(origins)}.`;
}

export function stringConversionMessage(origins: readonly Origin[], how: string): string {
  return `${subject(origins)} converted to a string (${how}): a tracer has no concrete value while tracing, so this throws TracerIntegerConversionError. Return the value from the jitted function and format the result outside it${staticAlternative(origins)}.`;
}

export function numberConversionMessage(origins: readonly Origin[], how: string, replacement: string | undefined): string {
  const fix = replacement ? `Use ${replacement}, which accepts traced values` : "Keep it an array and use tsjit operations (np.*, NDArray methods)";
  return `${subject(origins)} converted to a JavaScript value (${how}): ${NO_VALUE}. ${fix}${staticAlternative(origins)}.`;
}

export function readbackMessage(origins: readonly Origin[], method: string): string {
  return `${subject(origins)} read back with .${method}(): a traced array has no data while tracing, so this throws ConcretizationTypeError. Return the array from the jitted function and read it afterwards (await result.data())${staticAlternative(origins)}.`;
}

export function indexMessage(origins: readonly Origin[], how: string): string {
  return `${subject(origins)} used as ${how}: a tracer cannot be a JavaScript index or property key (TracerIntegerConversionError). Select among the candidates with np.where(cond, a, b) or lax.switch(index, branches, ...operands)${staticAlternative(origins)}.`;
}

export function boolMaskIndexMessage(origins: readonly Origin[], text: string, callee: string): string {
  return `${subject(origins)} used as a boolean mask index ('${text}' in ${callee}): the result's shape would depend on the mask's values, which jit cannot compile, so this throws ConcretizationTypeError. ` +
    `Use np.where(mask, x, fill) to keep the shape (e.g. np.sum(np.where(mask, x, 0)) for a masked sum), or index with the mask outside jit${staticAlternative(origins)}.`;
}

export function staticArgumentMessage(origins: readonly Origin[], parameter: string, callee: string): string {
  return `${subject(origins)} passed as '${parameter}' of ${callee}, which must be a static JavaScript value: shapes, axes, sizes and options are fixed when the function is traced. Compute it from static values (x.shape, x.ndim, literals)${staticAlternative(origins)}.`;
}

export function libraryConversionMessage(origins: readonly Origin[], callee: string, to: "number" | "string", replacement: string | undefined): string {
  const fix = replacement ? `Use ${replacement}, which accepts traced values` : "Use tsjit operations (np.*, NDArray methods), which accept traced values";
  return `${subject(origins)} passed to ${callee}, which converts it to a JavaScript ${to}: ${NO_VALUE}. ${fix}${staticAlternative(origins)}.`;
}

// ---- TS990003: jit created per iteration or per call ----

export function jitInLoopMessage(): string {
  return "jit(...) is created inside a loop: each iteration makes a new jitted function with an empty cache, so every call traces and compiles again. Create the jitted function once, outside the loop, and reuse it.";
}

export function jitPerCallMessage(enclosing: string): string {
  return `jit(...) is created on every call of ${named("the enclosing function", enclosing).replace("the enclosing function '", "'")} and used only there: each call makes a new jitted function with an empty cache, so it traces and compiles every time. Create the jitted function once (e.g. at module level) and reuse it.`;
}

// ---- TS990004: traced value escapes the trace ----

export type EscapeKind = "assigned" | "stored-on-this" | "stored-on" | "added-to";

export function escapeMessage(origins: readonly Origin[], kind: EscapeKind, target: string, method = ""): string {
  const how =
    kind === "assigned" ? `assigned to '${target}', which is declared outside the jitted function`
    : kind === "stored-on-this" ? `stored on 'this' ('${target}'), which lives outside the trace`
    : kind === "stored-on" ? `stored on '${target}', which is declared outside the jitted function`
    : `added to '${target}' with ${method}, which is declared outside the jitted function`;
  return `${subject(origins)} escapes the trace: ${how}. After tracing it is a stale tracer (UnexpectedTracerError when used). Return it from the jitted function instead.`;
}

// ---- TS990005: static names that do not exist ----

/**
 * The candidate a misspelled name most likely meant, or undefined when none is close: a
 * case-only difference, a prefix of 3+ characters ("thresh" for "threshold"), or at most
 * about a third of the longer name in edits (TypeScript's own spelling suggestions use
 * 0.34). Names of 1-2 characters are too short for edits to mean anything ('m' is not 'x').
 */
function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined, bestDistance = Infinity;
  const lower = name.toLowerCase();
  for (const c of candidates) {
    const other = c.toLowerCase();
    let d: number;
    if (other === lower) d = 0;
    else if (lower.length < 3 || other.length < 3) continue;
    else if (other.startsWith(lower) || lower.startsWith(other)) d = 1;
    else {
      d = editDistance(lower, other);
      if (d > Math.floor(0.34 * Math.max(lower.length, other.length))) continue;
    }
    if (d < bestDistance) { best = c; bestDistance = d; }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

function parameterList(params: readonly string[]): string {
  return params.length ? `parameters: ${params.join(", ")}` : "it has no parameters";
}

/** The parameter a misspelled static name most likely meant (TS990005's "did you mean"). */
export function staticNameSuggestion(name: string, params: readonly string[]): string | undefined {
  return closest(name, params.filter((p) => p !== "<destructured>"));
}

export function unknownStaticNameMessage(source: "staticArgnames" | "@static", name: string, fnName: string, params: readonly string[]): string {
  const suggestion = staticNameSuggestion(name, params);
  const destructured = params.indexOf("<destructured>");
  const hint = suggestion ? ` Did you mean '${suggestion}'?`
    : destructured >= 0 ? ` A destructured parameter has no name: use staticArgnums: [${destructured}].`
    : "";
  return `${source} names '${name}', but ${named("the jitted function", fnName)} has no parameter '${name}' (${parameterList(params)}).${hint}`;
}

export function staticNumOutOfRangeMessage(value: number, fnName: string, params: readonly string[]): string {
  const n = params.length;
  const range = n > 0 ? ` Use an index in [${-n}, ${n - 1}].` : "";
  return `staticArgnums has ${value}, but ${named("the jitted function", fnName)} has ${n} parameter${n === 1 ? "" : "s"} (${parameterList(params)}).${range}`;
}

export function budgetMessage(site: string): string {
  return `tsjit stopped analyzing the jit site at ${site}: the function is too large to check at build time (deeply nested loops?). It is compiled without build-time checks.`;
}

export function internalErrorMessage(site: string, error: unknown): string {
  const detail = error instanceof Error ? error.message : String(error);
  return `tsjit could not analyze the jit site at ${site} (internal error: ${detail}). The site is compiled without build-time checks; please report this.`;
}
