// makeJaxpr(fn)(...args): the jaxpr of fn at these arguments, printable in JAX's format.

import { NDArray } from "../array/ndarray.js";
import { aval, type ShapedArray } from "../ir/aval.js";
import { ClosedJaxpr } from "../ir/jaxpr.js";
import { prettyPrint } from "../ir/printer.js";
import { arrayTreeDef, flatten, type Leaf, type TreeDef } from "../trace/pytree.js";
import { DESTRUCTURED, parseParams } from "./params.js";
import { staticKey } from "./static-key.js";
import { traceCall } from "./trace-call.js";
import type { JitOptions } from "./jit.js";

export class PrintableJaxpr extends ClosedJaxpr {
  override toString(): string {
    return prettyPrint(this);
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

function leafAval(l: Leaf): ShapedArray {
  return l instanceof NDArray ? l.aval : typeof l === "number" ? aval([], "float32", true) : aval([], "bool");
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function makeJaxpr<F extends (...args: any[]) => any>(fn: F, options: Pick<JitOptions, "staticArgnums" | "staticArgnames"> = {}) {
  const fnName = fn.name || "<anonymous>";
  const { names } = parseParams(fn);
  const nums = options.staticArgnums === undefined ? [] : typeof options.staticArgnums === "number" ? [options.staticArgnums] : [...options.staticArgnums];
  const argnames = options.staticArgnames === undefined ? [] : typeof options.staticArgnames === "string" ? [options.staticArgnames] : options.staticArgnames;
  const isStatic = (i: number) => nums.some((k) => (k < 0 ? names.length + k : k) === i) || argnames.includes(names[i] ?? "");
  return (...args: Parameters<F>): PrintableJaxpr => {
    const leaves: Leaf[] = [];
    const paths: string[] = [];
    const children: TreeDef[] = [];
    args.forEach((a, i) => {
      const name = names[i] && names[i] !== DESTRUCTURED ? names[i]! : `args[${i}]`;
      if (isStatic(i)) {
        staticKey(a, `static argument '${name}' of '${fnName}'`);
        return;
      }
      const before = paths.length;
      children.push(flatten(a, leaves, `argument '${name}' of '${fnName}'`, paths));
      for (let k = before; k < paths.length; k++) {
        const path = paths[k]!;
        paths[k] = path ? `${name}${path.startsWith("[") ? "" : "."}${path}` : name;
      }
    });
    const { jaxpr } = traceCall(fn, fnName, {
      nargs: args.length, isStatic, args, dynamicTree: arrayTreeDef(children), avals: leaves.map(leafAval), paths,
    });
    return new PrintableJaxpr(jaxpr.jaxpr, jaxpr.consts);
  };
}
