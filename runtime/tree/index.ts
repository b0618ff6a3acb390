// `tree`: jax.tree's flatten / unflatten / leaves / map over the pytrees jit accepts
// (arrays, numbers and booleans as leaves; arrays and plain objects as containers, object
// keys in sorted order; null and undefined as empty subtrees), using jit's own flattening.

import { ArgumentError } from "../errors.js";
import { flatten as flattenInto, unflatten as rebuild, TreeDef, type Leaf } from "../trace/pytree.js";

export type { TreeDef };

/** [leaves, structure]: the leaves in jit's order (depth first, object keys sorted). */
export function flatten(tree: unknown): [Leaf[], TreeDef] {
  const leaves: Leaf[] = [];
  const def = flattenInto(tree, leaves, "tree.flatten's argument");
  return [leaves, def];
}

/** The tree of structure `def` with `leaves` in place of its leaves. */
export function unflatten(def: TreeDef, leaves: readonly unknown[]): unknown {
  if (!(def instanceof TreeDef)) throw new ArgumentError("tree.unflatten: the first argument must be a structure from tree.flatten.");
  if (leaves.length !== def.numLeaves) {
    throw new ArgumentError(`tree.unflatten: the structure ${def.key} has ${def.numLeaves} leaves, got ${leaves.length}.`);
  }
  return rebuild(def, leaves);
}

export function leaves(tree: unknown): Leaf[] {
  return flatten(tree)[0];
}

export function structure(tree: unknown): TreeDef {
  return flatten(tree)[1];
}

/** f applied leafwise over trees of one structure (the first tree's), rebuilt in that structure. */
export function map<R>(f: (...leaves: any[]) => R, tree: unknown, ...rest: unknown[]): unknown {
  const [first, def] = flatten(tree);
  const others = rest.map((t, i) => {
    const [ls, d] = flatten(t);
    if (d !== def) {
      throw new ArgumentError(`tree.map: tree ${i + 2} has structure ${d.key}, but the first tree has ${def.key}.`,
        "Pass trees of the same structure (the same containers, keys and number of leaves).");
    }
    return ls;
  });
  return rebuild(def, first.map((leaf, j) => f(leaf, ...others.map((ls) => ls[j]))));
}
