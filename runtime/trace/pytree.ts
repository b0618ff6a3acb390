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

const interned = new Map<string, TreeDef>();

function intern(kind: Kind, children: readonly TreeDef[], keys: readonly string[] | null): TreeDef {
  let key: string;
  switch (kind) {
    case "leaf": key = "*"; break;
    case "null": key = "null"; break;
    case "undefined": key = "undefined"; break;
    case "array": key = `[${children.map((c) => c.key).join(",")}]`; break;
    case "object": key = `{${keys!.map((k, i) => `${JSON.stringify(k)}:${children[i]!.key}`).join(",")}}`; break;
  }
  let def = interned.get(key);
  if (!def) {
    def = new TreeDef(kind, children, keys, key, kind === "leaf" ? 1 : children.reduce((n, c) => n + c.numLeaves, 0));
    interned.set(key, def);
  }
  return def;
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

/**
 * Flattens `tree` into `leaves` (and leaf paths like `params.w[0]` into `paths` when given).
 * `what` names the tree in errors (e.g. "argument 'x' of jitted function 'f'").
 */
export function flatten(tree: unknown, leaves: Leaf[], what: string, paths?: string[], path = ""): TreeDef {
  if (tree instanceof NDArray || typeof tree === "number" || typeof tree === "boolean") {
    leaves.push(tree);
    paths?.push(path);
    return LEAF;
  }
  if (tree === null) return intern("null", [], null);
  if (tree === undefined) return intern("undefined", [], null);
  if (Array.isArray(tree)) {
    return intern("array", tree.map((t, i) => flatten(t, leaves, what, paths, `${path}[${i}]`)), null);
  }
  if (isPlainObject(tree)) {
    const keys = Object.keys(tree).sort();
    return intern("object", keys.map((k) => flatten(tree[k], leaves, what, paths, path ? `${path}.${k}` : k)), keys);
  }
  const type = typeof tree === "object" ? (tree.constructor?.name ?? "object") : typeof tree;
  throw new ArgumentError(
    `${what}${path ? ` at '${path}'` : ""} is a ${type}, which is not an array, a number, a boolean, or an array/object of them.`,
    "Pass arrays (np.array(...)) and numbers, or mark the parameter static (staticArgnames / staticArgnums).",
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
