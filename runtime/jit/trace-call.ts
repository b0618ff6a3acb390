// Tracing a call of a user function: dynamic arguments become tracers (one per pytree
// leaf, named by parameter path), static arguments are passed through, and the outputs
// are flattened. Shared by jit, makeJaxpr and the build-time specializer.

import type { ShapedArray } from "../ir/aval.js";
import type { ClosedJaxpr } from "../ir/jaxpr.js";
import { traceToJaxpr } from "../trace/staging.js";
import { flatten, isPlainObject, LEAF, unflatten, type Leaf, type TreeDef } from "../trace/pytree.js";
import { ArgumentError } from "../errors.js";

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === "object" && v !== null && typeof (v as { then?: unknown }).then === "function";
}

export interface CallSignature {
  /** Number of positional arguments the function is called with. */
  readonly nargs: number;
  readonly isStatic: (position: number) => boolean;
  /** The call's arguments: static ones are passed through; dynamic ones are only read for error hints (could it be static?). */
  readonly args: readonly unknown[];
  /** Tree of the dynamic arguments, as one array. */
  readonly dynamicTree: TreeDef;
  readonly avals: readonly ShapedArray[];
  /** Leaf paths (`x`, `params.w1`), for messages. */
  readonly paths: readonly string[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function traceCall(fn: (...args: any[]) => unknown, fnName: string, sig: CallSignature): { jaxpr: ClosedJaxpr; outTree: TreeDef } {
  let outTree: TreeDef = LEAF;
  const hostArgs = hostArguments(sig);
  const inputs = sig.avals.map((a, i) => ({ aval: a, name: sig.paths[i]!, canBeStatic: hostArgs[i] === true }));
  const { jaxpr } = traceToJaxpr(fnName, inputs, (...tracers) => {
    const dynamicValues = unflatten(sig.dynamicTree, tracers) as unknown[];
    const callArgs: unknown[] = new Array(sig.nargs);
    let d = 0;
    for (let i = 0; i < sig.nargs; i++) callArgs[i] = sig.isStatic(i) ? sig.args[i] : dynamicValues[d++];
    return fn(...callArgs);
  }, (result) => {
    if (isThenable(result)) {
      // A function that returns a promise (an async function compiled to plain JS): its body
      // goes on after the trace ends, so its failure must not become an unhandled rejection.
      result.then(undefined, () => undefined);
      throw new ArgumentError(
        `jitted function '${fnName}' returned a Promise: tracing runs the body once, synchronously, and an async body goes on after \`await\`, after the trace has ended.`,
        "Pass a plain synchronous function that returns arrays; do the asynchronous work (await x.data()) outside jit.",
      );
    }
    const leaves: Leaf[] = [];
    outTree = flatten(result, leaves, `the output of jitted function '${fnName}'`);
    return leaves;
  });
  return { jaxpr, outTree };
}

/** JS numbers and booleans (and plain arrays/objects of them), which a static argument could take instead. */
function isHostValue(x: unknown): boolean {
  if (typeof x === "number" || typeof x === "boolean" || x === null || x === undefined) return true;
  if (Array.isArray(x)) return x.every(isHostValue);
  return isPlainObject(x) && Object.values(x).every(isHostValue);
}

/** Per leaf: whether its argument was passed as host values only (so error hints may suggest making it static). */
function hostArguments(sig: CallSignature): boolean[] {
  const out: boolean[] = [];
  let d = 0;
  for (let i = 0; i < sig.nargs; i++) {
    if (sig.isStatic(i)) continue;
    const n = sig.dynamicTree.children[d++]?.numLeaves ?? 0;
    const host = isHostValue(sig.args[i]);
    for (let k = 0; k < n; k++) out.push(host);
  }
  return out;
}
