// makeJaxpr(fn)(...args): the jaxpr of fn at these arguments, printable in JAX's format.

import { NDArray } from "../array/ndarray.js";
import { aval, type ShapedArray } from "../ir/aval.js";
import { ClosedJaxpr } from "../ir/jaxpr.js";
import { prettyPrint } from "../ir/printer.js";
import type { Leaf } from "../trace/pytree.js";
import { parseParams } from "./params.js";
import { checkOptions, checkTraceable, flattenArguments, resolveStatic } from "./arguments.js";
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
export function makeJaxpr<F extends (...args: any[]) => any>(fn: F, options?: Pick<JitOptions, "staticArgnums" | "staticArgnames">) {
  checkTraceable(fn, "makeJaxpr");
  const opts = checkOptions("makeJaxpr", options, ["staticArgnums", "staticArgnames"]);
  const fnName = fn.name || "<anonymous>";
  const { names, hasRest } = parseParams(fn);
  const staticPositions = resolveStatic(fnName, names, hasRest, opts);
  const isStatic = (i: number) => staticPositions.has(i);
  return (...args: Parameters<F>): PrintableJaxpr => {
    const flat = flattenArguments(args, args.length, isStatic, names, fnName);
    const { jaxpr } = traceCall(fn, fnName, {
      nargs: args.length, isStatic, args, dynamicTree: flat.tree, avals: flat.leaves.map(leafAval), paths: flat.paths,
    });
    return new PrintableJaxpr(jaxpr.jaxpr, jaxpr.consts);
  };
}
