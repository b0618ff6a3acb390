// What jit, makeJaxpr and the build-time specializer share about a call's arguments:
// checking the function and the options, resolving static positions, and splitting the
// arguments into static keys and one flattened tree of dynamic leaves named by parameter
// path. One implementation, so the three agree on what they accept and how they name it.

import { ArgumentError } from "../errors.js";
import { arrayTreeDef, describeValue, flatten, type Leaf, type TreeDef } from "../trace/pytree.js";
import { DESTRUCTURED } from "./destructured.js";
import { staticKey } from "./static-key.js";

/** The static-argument options jit and makeJaxpr accept. */
export interface StaticOptions {
  staticArgnums?: number | readonly number[];
  staticArgnames?: string | readonly string[];
}

/**
 * Refuses what cannot be traced: non-functions, and async and generator functions, whose
 * body runs on after the call returns (with tracers of a finished trace).
 */
export function checkTraceable(fn: unknown, api: string): void {
  if (typeof fn !== "function") {
    throw new ArgumentError(`${api} expects a function, got ${describeArgument(fn)}.`, `Pass the function to trace: ${api}((x) => ...).`);
  }
  const tag = Object.prototype.toString.call(fn).slice(8, -1);
  if (tag === "AsyncFunction" || tag === "GeneratorFunction" || tag === "AsyncGeneratorFunction") {
    const kind = tag === "AsyncFunction" ? "an async function" : tag === "GeneratorFunction" ? "a generator function" : "an async generator function";
    throw new ArgumentError(
      `${api} cannot trace ${kind} ('${fn.name || "<anonymous>"}'): tracing runs the body once, synchronously, ` +
        `and ${tag === "AsyncFunction" ? "an async body goes on after `await`" : "a generator's body runs only when iterated"}, after the trace has ended.`,
      `Pass a plain synchronous function that returns arrays; do the asynchronous work (await x.data()) outside ${api}.`,
    );
  }
}

/** A value for messages: short literals shown, the rest by kind. */
export function describeArgument(v: unknown): string {
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return `${String(v)} (${describeValue(v)})`;
  if (typeof v === "string") return `${JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v)} (a string)`;
  return describeValue(v);
}

/**
 * Checks an options object: an object (or undefined), only `known` keys (with a
 * did-you-mean for misspellings). Returns it, `{}` for undefined.
 */
export function checkOptions<T extends object>(api: string, options: T | undefined | null, known: readonly string[]): T {
  if (options === undefined) return {} as T;
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new ArgumentError(`${api}: options must be an object, got ${describeArgument(options)}.`,
      `Pass an options object ({ staticArgnames: [...] }) or leave it out.`);
  }
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const near = closest(key, known);
    throw new ArgumentError(
      `${api}: unknown option '${key}'${near ? ` (did you mean '${near}'?)` : ""}.`,
      `The options are ${known.map((k) => `'${k}'`).join(", ")}.`,
    );
  }
  return options;
}

/** A count option: an integer ≥ `min`, or Infinity (no limit). */
export function checkCount(api: string, name: string, value: unknown, min: number): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !(value === Infinity || (Number.isInteger(value) && value >= min))) {
    throw new ArgumentError(`${api}: ${name} must be an integer ≥ ${min} (or Infinity), got ${describeArgument(value)}.`,
      `Pass a whole number of entries, e.g. { ${name}: 64 }.`);
  }
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined, bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/** The name of parameter `i` for messages and leaf paths. */
export function paramLabel(params: readonly string[], i: number): string {
  const name = params[i];
  return name && name !== DESTRUCTURED ? name : `args[${i}]`;
}

/** Static positions from staticArgnums/staticArgnames, checked against the parameter list (as JAX does). */
export function resolveStatic(fnName: string, params: readonly string[], hasRest: boolean, options: StaticOptions): Set<number> {
  const positions = new Set<number>();
  const nums = asList<number>(options.staticArgnums, "number", "staticArgnums");
  const names = asList<string>(options.staticArgnames, "string", "staticArgnames");
  const positional = params.length;
  for (const n of nums) {
    if (!Number.isInteger(n)) throw new ArgumentError(`jit: staticArgnums must be integers, got ${describeArgument(n)}.`);
    const i = n < 0 ? positional + n : n;
    if (i < 0 || (!hasRest && i >= positional)) {
      throw new ArgumentError(
        `jitted function '${fnName}' has staticArgnums=[${nums.join(", ")}], but only accepts ${positional} positional argument${positional === 1 ? "" : "s"}` +
          (params.length ? ` (${params.join(", ")})` : "") + ".",
        `Use indices in [${-positional}, ${positional - 1}].`,
      );
    }
    positions.add(i);
  }
  const unknown = names.filter((name) => typeof name !== "string" || !params.includes(name) || name === DESTRUCTURED);
  if (unknown.length) {
    throw new ArgumentError(
      `jitted function '${fnName}' has invalid argnames {${unknown.map((n) => `'${String(n)}'`).join(", ")}} in staticArgnames. ` +
        `Function arguments are {${params.filter((p) => p !== DESTRUCTURED).map((p) => `'${p}'`).join(", ")}}.`,
      "Name parameters of the function exactly as declared.",
    );
  }
  for (const name of names) positions.add(params.indexOf(name));
  return positions;
}

function asList<T>(v: unknown, type: "number" | "string", option: string): readonly T[] {
  if (v === undefined) return [];
  if (typeof v === type) return [v as T];
  if (Array.isArray(v)) return v as T[];
  throw new ArgumentError(`jit: ${option} must be a ${type} or an array of them, got ${describeArgument(v)}.`);
}

/** A call's arguments split into static keys and one tree of dynamic leaves. */
export interface FlatArguments {
  /** Keys of the static arguments, in position order. */
  readonly staticKeys: string[];
  /** Tree of the dynamic arguments, as one array. */
  readonly tree: TreeDef;
  readonly leaves: Leaf[];
  /** One path per leaf: the parameter name, then the path inside it (`params.w[0]`). */
  readonly paths: string[];
  /** Per position: its name, whether it is static, and its leaves' range. */
  readonly positions: { readonly index: number; readonly name: string; readonly isStatic: boolean; readonly start: number; readonly end: number }[];
}

/**
 * Splits `args` (positions 0..nargs-1; missing ones are undefined) into static keys and a
 * flattened tree of dynamic leaves. `fnName` names the function in errors.
 */
export function flattenArguments(
  args: readonly unknown[], nargs: number, isStatic: (i: number) => boolean, params: readonly string[], fnName: string,
): FlatArguments {
  const staticKeys: string[] = [];
  const leaves: Leaf[] = [];
  const paths: string[] = [];
  const children: TreeDef[] = [];
  const positions: FlatArguments["positions"] = [];
  for (let i = 0; i < nargs; i++) {
    const name = paramLabel(params, i);
    const start = leaves.length;
    if (isStatic(i)) {
      staticKeys.push(staticKey(args[i], `static argument '${name}' of jitted function '${fnName}'`));
      positions.push({ index: i, name, isStatic: true, start, end: start });
      continue;
    }
    if (i >= args.length) continue;
    const argPaths: string[] = [];
    children.push(flatten(args[i], leaves, `argument '${name}' of jitted function '${fnName}'`, argPaths));
    for (const p of argPaths) paths.push(p ? `${name}${p.startsWith("[") ? "" : "."}${p}` : name);
    positions.push({ index: i, name, isStatic: false, start, end: leaves.length });
  }
  return { staticKeys, tree: arrayTreeDef(children), leaves, paths, positions };
}
