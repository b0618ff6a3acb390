// Structural, type-tagged keys for static arguments. `1`, `1n`, `true` and `"1"` differ;
// NaN equals NaN; -0 and 0 differ (1/x tells them apart); deeply frozen plain objects
// and arrays key by content; functions and symbols by identity; anything else needs a
// `[jit.key]()` method. Never JSON.stringify: it collides (functions, NaN, undefined).

import { NDArray } from "../array/ndarray.js";
import { NonHashableStaticArgError } from "../errors.js";
import { isPlainObject } from "../trace/pytree.js";
import { identityOf } from "../identity.js";

/** The method a class implements to be usable as a static argument. */
export const keySymbol: unique symbol = Symbol.for("tsjit.key");

function describeKind(v: unknown): string {
  if (v instanceof NDArray) return `an array (${v.aval.str})`;
  if (Array.isArray(v)) return "an unfrozen array";
  if (isPlainObject(v)) return "an unfrozen plain object";
  if (typeof v === "object" && v !== null) return `a ${v.constructor?.name ?? "object"} instance without a [jit.key]() method`;
  return typeof v;
}

function unhashable(value: unknown, what: string, path: string): NonHashableStaticArgError {
  const where = path ? `${what} (at ${path})` : what;
  const isArray = value instanceof NDArray;
  return new NonHashableStaticArgError(
    `Non-hashable static arguments are not supported: ${where} is ${describeKind(value)}, which cannot be part of the compilation cache key.`,
    isArray
      ? "Arrays are traced, not static: remove the parameter from staticArgnums/staticArgnames."
      : "Freeze it deeply (Object.freeze), give its class a [jit.key]() method returning a hashable value, or pass it as a traced argument.",
  );
}

export function staticKey(value: unknown, what: string, path = ""): string {
  switch (typeof value) {
    case "number": return Object.is(value, -0) ? "n:-0" : `n:${value}`;
    case "bigint": return `i:${value}`;
    case "string": return `s:${JSON.stringify(value)}`;
    case "boolean": return value ? "b:1" : "b:0";
    case "undefined": return "u";
    case "symbol": return `y#${identityOf(value)}`;
    case "function": return `f#${identityOf(value)}`;
  }
  if (value === null) return "null";
  const obj = value as Record<string | symbol, unknown>;
  const keyFn = obj[keySymbol];
  if (typeof keyFn === "function") {
    const ctor = (obj as { constructor?: object }).constructor;
    return `k#${ctor ? identityOf(ctor) : 0}:${staticKey(keyFn.call(obj), what, path ? `${path}[jit.key]` : "[jit.key]")}`;
  }
  if (value instanceof NDArray || !Object.isFrozen(value)) throw unhashable(value, what, path);
  if (Array.isArray(value)) return `[${value.map((v, i) => staticKey(v, what, `${path}[${i}]`)).join(",")}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}=${staticKey(value[k], what, path ? `${path}.${k}` : k)}`).join(",")}}`;
  }
  throw unhashable(value, what, path);
}

/**
 * Values whose identity determines their key for good (safe for the last-call fast path):
 * primitives, functions, and frozen arrays/plain objects made only of such values. An
 * object with a `[jit.key]()` method can change its key at any time, also when it sits
 * inside a frozen container.
 */
export function keyedByIdentity(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return true;
  if (!Object.isFrozen(value) || typeof (value as Record<symbol, unknown>)[keySymbol] === "function") return false;
  if (Array.isArray(value)) return value.every(keyedByIdentity);
  return isPlainObject(value) && Object.keys(value).every((k) => keyedByIdentity(value[k]));
}
