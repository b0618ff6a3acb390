// `/** @jit */` function declarations. The transformer keeps the declaration a hoisted
// function that forwards to a jitted function created on first use, and gives it the
// jitted function's surface (`stats`, `lower`, `cacheSize`, ...) with `jitDeclaration`.
//
// Typing: the checker sees the declaration as written (a transformer cannot change a
// declaration's type at check time), so `f.stats` does not type-check. `asJitted(f)` is the
// typed view: `asJitted(f).stats`. It checks at run time that `f` really is jitted.

import { ArgumentError } from "../errors.js";
import { jit, type Jitted } from "./jit.js";

/** The jitted function's own members (read from one jitted function, so the list never drifts). */
let members: readonly string[] | undefined;
function surface(): readonly string[] {
  const own = new Set(["length", "name", "prototype", "arguments", "caller"]);
  return (members ??= Object.getOwnPropertyNames(jit(function probe() { return 0; })).filter((k) => !own.has(k)));
}

/**
 * Gives `wrapper` (a function forwarding to `jitted()`) the members of the jitted function,
 * each reading through `jitted()`, which creates it on first use. Returns `current`: the
 * transformer emits it as the initializer of the jitted function's cache variable,
 * `var f_jitted = jitDeclaration(f, f_jit, f_jitted)`, so a bundler keeps the call exactly
 * when it keeps the function. Emitted for `/** @jit *\/` declarations; not for direct use.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function jitDeclaration<T>(wrapper: (...args: any[]) => any, jitted: () => Jitted<(...args: any[]) => any>, current?: T): T | undefined {
  const properties: PropertyDescriptorMap = {};
  for (const k of surface()) properties[k] = { get: () => (jitted() as unknown as Record<string, unknown>)[k], configurable: true };
  Object.defineProperties(wrapper, properties);
  return current;
}

/**
 * A jitted function's typed view: for `/** @jit *\/` declarations, whose declared type is the
 * function as written (`asJitted(f).stats.traces`, `asJitted(f).lower(x).asText()`). Throws
 * if `f` is not jitted (built without tsjit's transformer, or never annotated).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function asJitted<F extends (...args: any[]) => any>(f: F): Jitted<F> {
  if (typeof f !== "function") {
    throw new ArgumentError(`asJitted expects a jitted function, got ${f === null ? "null" : typeof f}.`, "Pass a function made by jit(...) or declared with /** @jit */.");
  }
  const g = f as unknown as Partial<Record<string, unknown>>;
  if (typeof g.lower !== "function" || typeof g.cacheSize !== "function" || typeof g.stats !== "object") {
    throw new ArgumentError(
      `asJitted: '${f.name || "<anonymous>"}' is not a jitted function.`,
      "Create it with jit(fn), or annotate its declaration /** @jit */ and build with tsjit's transformer ({ \"transform\": \"tsjit/transform\", \"transformProgram\": true }, compiled with tspc).",
    );
  }
  return f as Jitted<F>;
}
