// Pytrees: nested arrays and plain objects whose leaves are arrays, numbers or booleans.
// `null` and `undefined` are empty nodes. Tree definitions are interned by a canonical key
// (object keys sorted, as JAX sorts dict keys), so equal structures are the same object.

import { NDArray } from "../array/ndarray.js";
import { ArgumentError } from "../errors.js";

export type Leaf = NDArray | number | boolean;
export type PyTree = Leaf | null | undefined | readonly PyTree[] | { readonly [key: string]: PyTree };

type Kind = "leaf" | "array" | "object" | "null" | "undefined";

export class TreeDef {
  constructor(
    readonly kind: Kind,
    readonly children: readonly TreeDef[],
    readonly keys: readonly string[] | null,
    readonly key: string,
    readonly numLeaves: number,
  ) {}

  toString(): string {
    return this.key;
  }
}

// Interned weakly: a structure lives as long as something (a cache entry, a traced
// function's output tree, a parent structure) holds it, so a stream of distinct argument
// structures does not grow the heap for good. Equal live structures stay the same object,
// which is what the identity comparisons (cond branches, loop carries) rely on.
const interned = new Map<string, WeakRef<TreeDef>>();
const collected = new FinalizationRegistry<string>((key) => {
  if (interned.get(key)?.deref() === undefined) interned.delete(key);
});

function intern(kind: Kind, children: readonly TreeDef[], keys: readonly string[] | null): TreeDef {
  let key: string;
  switch (kind) {
    case "leaf": key = "*"; break;
    case "null": key = "null"; break;
    case "undefined": key = "undefined"; break;
    case "array": key = `[${children.map((c) => c.key).join(",")}]`; break;
    case "object": key = `{${keys!.map((k, i) => `${JSON.stringify(k)}:${children[i]!.key}`).join(",")}}`; break;
  }
  let def = interned.get(key)?.deref();
  if (!def) {
    def = new TreeDef(kind, children, keys, key, kind === "leaf" ? 1 : children.reduce((n, c) => n + c.numLeaves, 0));
    interned.set(key, new WeakRef(def));
    collected.register(def, key);
  }
  return def;
}

/** Live interned structures (dropping entries whose structure was collected); for tests and diagnostics. */
export function internedTreeCount(): number {
  for (const [key, ref] of interned) if (ref.deref() === undefined) interned.delete(key);
  return interned.size;
}

export const LEAF = intern("leaf", [], null);

/** The tree of a JS array whose elements have the given trees. */
export function arrayTreeDef(children: readonly TreeDef[]): TreeDef {
  return intern("array", children, null);
}

export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== "object" || x === null) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** What a value is, with an article, for messages ("a string", "undefined", "a Map instance", "a Generator object"). */
export function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (v === undefined) return "undefined";
  if (typeof v === "function") {
    const kind = v.constructor?.name; // AsyncFunction, GeneratorFunction, ...
    return kind && kind !== "Function" ? `${article(kind)} ${kind}` : "a function";
  }
  if (typeof v === "object") {
    const name = (v as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof name === "string" && name) return `${article(name)} ${name} instance`;
    const tag = Object.prototype.toString.call(v).slice(8, -1); // e.g. "Generator"
    return `${article(tag)} ${tag} object`;
  }
  return `${article(typeof v)} ${typeof v}`;
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? "an" : "a";
}

/** Typed arrays become 1-D arrays of their dtype, as np.array makes them (set by np, which imports this module). */
let typedArrayLeaf: ((data: ArrayBufferView, what: string) => NDArray) | undefined;
export function setTypedArrayLeaf(convert: (data: ArrayBufferView, what: string) => NDArray): void {
  typedArrayLeaf = convert;
}

/**
 * Flattens `tree` into `leaves` (and leaf paths like `params.w[0]` into `paths` when given).
 * `what` names the tree in errors (e.g. "argument 'x' of jitted function 'f'"; a name
 * starting with "the output" is a function's result, for which the fix differs).
 */
export function flatten(tree: unknown, leaves: Leaf[], what: string, paths?: string[]): TreeDef {
  return walk(tree, leaves, what, paths, "", [], []);
}

// `open` holds the containers being flattened (the current path's ancestors) and
// `openPaths` their paths: a container met again among them is a cycle.
function walk(tree: unknown, leaves: Leaf[], what: string, paths: string[] | undefined, path: string, open: object[], openPaths: string[]): TreeDef {
  if (tree instanceof NDArray || typeof tree === "number" || typeof tree === "boolean") {
    leaves.push(tree);
    paths?.push(path);
    return LEAF;
  }
  if (tree === null) return intern("null", [], null);
  if (tree === undefined) return intern("undefined", [], null);
  const container = Array.isArray(tree) || isPlainObject(tree);
  if (container && open.includes(tree)) throw cyclic(what, path, openPaths[open.indexOf(tree)]!);
  if (Array.isArray(tree)) {
    open.push(tree);
    openPaths.push(path);
    const children = tree.map((t, i) => walk(t, leaves, what, paths, `${path}[${i}]`, open, openPaths));
    open.pop();
    openPaths.pop();
    return intern("array", children, null);
  }
  if (isPlainObject(tree)) {
    open.push(tree);
    openPaths.push(path);
    const keys = Object.keys(tree).sort();
    const children = keys.map((k) => walk(tree[k], leaves, what, paths, path ? `${path}.${k}` : k, open, openPaths));
    open.pop();
    openPaths.pop();
    return intern("object", children, keys);
  }
  if (typedArrayLeaf && ArrayBuffer.isView(tree) && !(tree instanceof DataView)) {
    const leaf = typedArrayLeaf(tree, `${what}${path ? ` at '${path}'` : ""}`);
    leaves.push(leaf);
    paths?.push(path);
    return LEAF;
  }
  // The fix depends on whose value it is: only a jitted function's parameter can be static.
  const fix = what.startsWith("the output")
    ? "Return arrays, numbers and booleans (in arrays or plain objects); compute other values outside the jitted function."
    : what.startsWith("argument ")
      ? "Pass arrays (np.array(...)) and numbers, or mark the parameter static (staticArgnames / staticArgnums)."
      : "Pass arrays, numbers and booleans (in arrays or plain objects); let the function capture other values instead.";
  throw new ArgumentError(
    `${what}${path ? ` at '${path}'` : ""} is ${describeValue(tree)}, which is not an array, a number, a boolean, or an array/object of them.`,
    fix,
  );
}

/** The error for a container met again inside itself, naming both paths. */
function cyclic(what: string, path: string, ancestor: string): ArgumentError {
  return new ArgumentError(
    `${what} is cyclic: the value at '${path}' is the same object as ${ancestor ? `the one at '${ancestor}'` : "the whole value"}, which contains it.`,
    "Pytrees are trees: pass a structure without cycles (copy the parts the function needs).",
  );
}

export function unflatten(def: TreeDef, leaves: readonly unknown[]): unknown {
  let i = 0;
  const build = (d: TreeDef): unknown => {
    switch (d.kind) {
      case "leaf": return leaves[i++];
      case "null": return null;
      case "undefined": return undefined;
      case "array": return d.children.map(build);
      case "object": {
        const out: Record<string, unknown> = {};
        d.keys!.forEach((k, j) => (out[k] = build(d.children[j]!)));
        return out;
      }
    }
  };
  return build(def);
}
