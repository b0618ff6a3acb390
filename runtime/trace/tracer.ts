// Tracers: NDArrays that stand for values inside a trace. They know only their aval.
// JavaScript cannot intercept truthiness (`if (tracer)` is always true — the build step
// reports that), but every conversion it can intercept throws a JAX-named error that
// says which parameter the value depends on and how to fix the code.

import { NDArray } from "../array/ndarray.js";
import {
  ConcretizationTypeError,
  TracerArrayConversionError,
  TracerBoolConversionError,
  TracerIntegerConversionError,
  UnexpectedTracerError,
} from "../errors.js";
import type { ShapedArray } from "../ir/aval.js";
import type { Var } from "../ir/jaxpr.js";
import type { TypedArray } from "../dtype.js";

/** What a tracer needs from the trace that made it. */
export interface TracerOwner {
  readonly active: boolean;
  /** The traced function's name, for messages. */
  readonly fnName: string;
  /** The traced parameters (paths like `x`, `params.w`) `v` depends on. */
  dependence(v: Var): string[];
}

export class Tracer extends NDArray {
  constructor(
    readonly _trace: TracerOwner,
    readonly _var: Var,
  ) {
    super();
  }

  get aval(): ShapedArray {
    return this._var.aval;
  }

  dataSync(): TypedArray {
    throw concretizationError(this, "`.dataSync()`", "readback");
  }
  data(): Promise<TypedArray> {
    return Promise.reject(concretizationError(this, "`.data()`", "readback"));
  }
  item(): number | boolean {
    throw concretizationError(this, "`.item()`", "readback");
  }
  tolist(): unknown {
    throw checkLeak(this) ?? new TracerArrayConversionError(
      `The numpy.ndarray conversion method tolist() was called on traced array with shape ${this.aval.str}` +
        describeContext(this) + ".",
      "Return the array from the jitted function and convert the result outside it.",
    );
  }
  blockUntilReady(): Promise<this> {
    return Promise.reject(concretizationError(this, "`.blockUntilReady()`", "readback"));
  }
  dispose(): void {}

  override [Symbol.toPrimitive](hint: string): number | string {
    if (hint === "string") throw integerConversionError(this);
    if (this.aval.dtype === "bool") {
      throw checkLeak(this) ?? new TracerBoolConversionError(
        `Attempted boolean conversion of traced array with shape ${this.aval.str}${describeContext(this)}.`,
        fixFor(this, "bool"),
      );
    }
    throw concretizationError(this, hint === "number" ? "a numeric conversion (`+x`, `Number(x)`, arithmetic)" : "a conversion to a JS primitive", "number");
  }

  override toString(): string {
    throw integerConversionError(this);
  }
  override valueOf(): never {
    throw concretizationError(this, "`valueOf()`", "number");
  }

  /** A debugging aid that never touches values: `Traced<f32[3]>`. */
  describe(): string {
    return `Traced<${this.aval.str}>`;
  }
}

function checkLeak(t: Tracer): UnexpectedTracerError | undefined {
  if (t._trace.active) return undefined;
  return new UnexpectedTracerError(
    `Encountered an unexpected tracer: an intermediate value with type ${t.aval.str} escaped the trace of function ` +
      `'${t._trace.fnName}' (it was saved to outer state, e.g. a global, a captured array or \`this\`, and used after tracing ended).`,
    "Return every value you need from the jitted function instead of storing it outside.",
  );
}

function dependsOn(t: Tracer): string[] {
  try {
    return t._trace.dependence(t._var);
  } catch {
    return [];
  }
}

function describeContext(t: Tracer): string {
  const deps = dependsOn(t);
  const on = deps.length ? `; it depends on ${deps.length > 1 ? "parameters" : "parameter"} ${deps.map((d) => `'${d}'`).join(", ")}` : "";
  return ` in function '${t._trace.fnName}'${on}`;
}

function fixFor(t: Tracer, kind: "bool" | "number" | "index" | "readback"): string {
  const deps = dependsOn(t);
  const staticHint = deps.length ? ` or mark ${deps.map((d) => `'${d.split(/[.[]/)[0]}'`).join(", ")} static (staticArgnames)` : "";
  switch (kind) {
    case "bool":
      return `use np.where(cond, a, b) for elementwise selection or lax.cond(pred, trueFn, falseFn, ...operands) for control flow${staticHint}.`;
    case "number":
      return `keep the value an array and use np functions or NDArray methods (x.mul(2), np.add(x, 1))${staticHint}.`;
    case "index":
      return `index with array operations (x.slice(...), np.where) instead of JS property access${staticHint}.`;
    case "readback":
      return "return the array from the jitted function and read its data outside, or use lax control flow for data-dependent logic.";
  }
}

function concretizationError(t: Tracer, what: string, kind: "number" | "readback"): Error {
  return checkLeak(t) ?? new ConcretizationTypeError(
    `Abstract tracer value encountered where concrete value is expected: traced array with shape ${t.aval.str}` +
      `${describeContext(t)}. The problem arose with ${what}.`,
    fixFor(t, kind),
  );
}

function integerConversionError(t: Tracer): Error {
  return checkLeak(t) ?? new TracerIntegerConversionError(
    `The traced array with shape ${t.aval.str}${describeContext(t)} was used as a string or property key ` +
      `(a template literal, String(x), or arr[x]); its value is not known while tracing.`,
    fixFor(t, "index"),
  );
}

/** Throws UnexpectedTracerError if `t` belongs to a finished trace. */
export function assertLive(t: Tracer): void {
  const leak = checkLeak(t);
  if (leak) throw leak;
}
