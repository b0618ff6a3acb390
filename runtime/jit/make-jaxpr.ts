// makeJaxpr(fn)(...args): the jaxpr of fn at these arguments, printable in JAX's format.

import { ClosedJaxpr } from "../ir/jaxpr.js";
import { prettyPrint } from "../ir/printer.js";
import { traceToJaxpr } from "../trace/staging.js";
import { flatten, unflatten, type Leaf } from "../trace/pytree.js";
import { aval } from "../ir/aval.js";
import { NDArray } from "../array/ndarray.js";
import { parseParams, DESTRUCTURED } from "./params.js";
import { staticKey } from "./static-key.js";
import type { JitOptions } from "./jit.js";

export class PrintableJaxpr extends ClosedJaxpr {
  override toString(): string {
    return prettyPrint(this);
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function makeJaxpr<F extends (...args: any[]) => any>(fn: F, options: Pick<JitOptions, "staticArgnums" | "staticArgnames"> = {}) {
  const fnName = fn.name || "<anonymous>";
  const { names } = parseParams(fn);
  const nums = options.staticArgnums === undefined ? [] : typeof options.staticArgnums === "number" ? [options.staticArgnums] : [...options.staticArgnums];
  const argnames = options.staticArgnames === undefined ? [] : typeof options.staticArgnames === "string" ? [options.staticArgnames] : options.staticArgnames;
  const isStatic = (i: number, n: number) => nums.some((k) => (k < 0 ? n + k : k) === i) || argnames.includes(names[i] ?? "");
  return (...args: Parameters<F>): PrintableJaxpr => {
    const leaves: Leaf[] = [];
    const paths: string[] = [];
    const dynamic: unknown[] = [];
    args.forEach((a, i) => {
      const name = names[i] && names[i] !== DESTRUCTURED ? names[i]! : `args[${i}]`;
      if (isStatic(i, names.length)) {
        staticKey(a, `static argument '${name}' of '${fnName}'`);
        return;
      }
      const before = paths.length;
      dynamic.push(a);
      flatten(a, leaves, `argument '${name}' of '${fnName}'`, paths);
      for (let k = before; k < paths.length; k++) {
        const path = paths[k]!;
        paths[k] = path ? `${name}${path.startsWith("[") ? "" : "."}${path}` : name;
      }
    });
    const tree = flatten(dynamic, [], "internal");
    const inputs = leaves.map((l, i) => ({
      aval: l instanceof NDArray ? l.aval : typeof l === "number" ? aval([], "float32", true) : aval([], "bool"),
      name: paths[i]!,
    }));
    const { jaxpr } = traceToJaxpr(fnName, inputs, (...tracers) => {
      const values = unflatten(tree, tracers) as unknown[];
      let d = 0;
      return fn(...args.map((a, i) => (isStatic(i, names.length) ? a : values[d++])));
    }, (result) => {
      const outs: Leaf[] = [];
      flatten(result, outs, `the output of '${fnName}'`);
      return outs;
    });
    return new PrintableJaxpr(jaxpr.jaxpr, jaxpr.consts);
  };
}
