// Structural, type-tagged keys for static arguments. `1`, `1n`, `true` and `"1"` differ;
// NaN equals NaN; -0 and 0 differ (1/x tells them apart); deeply frozen plain objects
// and arrays key by content — every own property, symbol-keyed and non-enumerable ones
// included, since the function can read them all; functions and symbols by identity;
// anything else needs a `[jit.key]()` method. Accessors (getters/setters) are refused:
// their value can change while the object stays frozen. Never JSON.stringify: it collides
// (functions, NaN, undefined).

import { NDArray } from "../array/ndarray.js";
import { NonHashableStaticArgError } from "../errors.js";
import { describeValue, isPlainObject } from "../trace/pytree.js";
import { Tracer } from "../trace/tracer.js";
import { identityOf } from "../identity.js";

/** The method a class implements to be usable as a static argument. */
export const keySymbol: unique symbol = Symbol.for("tsjit.key");

/** Nesting beyond this is taken for an endless chain of `[jit.key]()` results. */
const MAX_DEPTH = 200;

function describeKind(v: unknown): string {
  if (v instanceof NDArray) return `an array (${v.aval.str})`;
  if (Array.isArray(v)) return "an unfrozen array";
  if (isPlainObject(v)) return "an unfrozen plain object";
  if (typeof v === "object" && v !== null) return `${describeValue(v)} without a [jit.key]() method`;
  return describeValue(v);
}

function unhashable(value: unknown, what: string, path: string): NonHashableStaticArgError {
  const where = path ? `${what} (at ${path})` : what;
  if (value instanceof Tracer) {
    return new NonHashableStaticArgError(
      `${where} is a traced value (${value.aval.str}) of an enclosing jit: a static value must be known when the outer function is traced.`,
      "Mark the value static in the outer jitted function too (staticArgnames), or pass a concrete value; " +
        "or remove the parameter from the inner function's staticArgnames so that it is traced.",
    );
  }
  const isArray = value instanceof NDArray;
  return new NonHashableStaticArgError(
    `Non-hashable static arguments are not supported: ${where} is ${describeKind(value)}, which cannot be part of the compilation cache key.`,
    isArray
      ? "Arrays are traced, not static: remove the parameter from staticArgnums/staticArgnames."
      : "Freeze it deeply (Object.freeze), give its class a [jit.key]() method returning a hashable value, or pass it as a traced argument.",
  );
}

function propertyPath(path: string, key: string | symbol): string {
  if (typeof key === "symbol") return `${path}[${key.toString()}]`;
  return /^\d+$/.test(key) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
}

/** A property key, type-tagged: strings by content, symbols by identity. */
function propertyKey(key: string | symbol): string {
  return typeof key === "symbol" ? `y#${identityOf(key)}` : JSON.stringify(key);
}

/** The data value of an own property; accessors are refused. */
function dataValue(obj: object, key: string | symbol, what: string, path: string): { value: unknown; enumerable: boolean } {
  const d = Object.getOwnPropertyDescriptor(obj, key);
  if (d === undefined) return { value: undefined, enumerable: true }; // a hole in an array
  if (!("value" in d)) {
    throw new NonHashableStaticArgError(
      `Non-hashable static arguments are not supported: ${what} has an accessor (getter/setter) property ${propertyPath(path, key)}, ` +
        "whose value can change although the object is frozen.",
      "Make it a data property (copy the value: { ...obj } or Object.freeze({ x: obj.x })), or give the class a [jit.key]() method.",
    );
  }
  return { value: d.value, enumerable: d.enumerable ?? false };
}

/**
 * The key of a static value. `what` names it in errors (e.g. "static argument 'n' of
 * jitted function 'f'"); `path` is the position inside it.
 */
export function staticKey(value: unknown, what: string, path = ""): string {
  return keyOf(value, what, path, []);
}

function keyOf(value: unknown, what: string, path: string, open: object[]): string {
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
  if (open.includes(obj) || open.length >= MAX_DEPTH) throw cycle(what, path, open.includes(obj));
  if (value instanceof Tracer) throw unhashable(value, what, path);
  const keyFn = obj[keySymbol];
  if (typeof keyFn === "function") {
    const ctor = (obj as { constructor?: object }).constructor;
    open.push(obj);
    const inner = keyOf(keyFn.call(obj), what, path ? `${path}[jit.key]` : "[jit.key]", open);
    open.pop();
    return `k#${ctor ? identityOf(ctor) : 0}:${inner}`;
  }
  if (value instanceof NDArray || !Object.isFrozen(value)) throw unhashable(value, what, path);
  if (!Array.isArray(value) && !isPlainObject(value)) throw unhashable(value, what, path);
  open.push(obj);
  const parts: string[] = [];
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) parts.push(keyOf(dataValue(value, String(i), what, path).value, what, `${path}[${i}]`, open));
  }
  // Every own property beyond an array's elements: sorted strings (as dict keys), then symbols in definition order.
  let keys = Reflect.ownKeys(value);
  if (Array.isArray(value)) {
    // Usually only the indices and "length" (checked cheaply); otherwise filter them out.
    keys = keys.length === value.length + 1 && keys[value.length] === "length" ? [] : keys.filter((k) => k !== "length" && !isIndex(k, value.length));
  }
  const strings = keys.filter((k): k is string => typeof k === "string").sort();
  const symbols = keys.filter((k): k is symbol => typeof k === "symbol");
  const extra = [...strings, ...symbols].map((k) => {
    const { value: v, enumerable } = dataValue(value, k, what, path);
    return `${enumerable ? "" : "~"}${propertyKey(k)}=${keyOf(v, what, propertyPath(path, k), open)}`;
  });
  open.pop();
  return Array.isArray(value) ? `[${parts.join(",")}${extra.length ? `|${extra.join(",")}` : ""}]` : `{${extra.join(",")}}`;
}

function isIndex(k: string | symbol, length: number): boolean {
  if (typeof k !== "string" || !/^(0|[1-9]\d*)$/.test(k)) return false;
  return Number(k) < length;
}

function cycle(what: string, path: string, isCycle: boolean): NonHashableStaticArgError {
  const at = path || "the top";
  return new NonHashableStaticArgError(
    isCycle
      ? `Non-hashable static arguments are not supported: ${what} is cyclic: the value at ${at} contains itself ` +
          "(or its [jit.key]() returns the object itself)."
      : `Non-hashable static arguments are not supported: ${what} nests more than ${MAX_DEPTH} levels deep at ${at} ` +
          "(a [jit.key]() that keeps returning new keyed objects?).",
    "A static value's key must be finite: break the cycle, and have [jit.key]() return a primitive or a frozen object of primitives.",
  );
}

/**
 * Values whose identity determines their key for good (safe for the last-call fast path):
 * primitives, functions, and frozen arrays/plain objects made only of such values (all
 * own properties, data properties only). An object with a `[jit.key]()` method can change
 * its key at any time, also when it sits inside a frozen container.
 */
export function keyedByIdentity(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return true;
  if (!Object.isFrozen(value) || typeof (value as Record<symbol, unknown>)[keySymbol] === "function") return false;
  if (!Array.isArray(value) && !isPlainObject(value)) return false;
  for (const k of Reflect.ownKeys(value)) {
    const d = Object.getOwnPropertyDescriptor(value, k)!;
    if (!("value" in d) || !keyedByIdentity(d.value)) return false;
  }
  return true;
}
