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

/** A traced parameter leaf a value depends on. */
export interface Dependence {
  /** Its path as the user wrote it: `x`, `params.w`, `c.dx`. */
  readonly path: string;
  /** The caller passed a JS value here, so `staticArgnames` could take the parameter instead. */
  readonly canBeStatic: boolean;
}

/** What a tracer needs from the trace that made it. */
export interface TracerOwner {
  readonly active: boolean;
  /** The traced function's name, for messages. */
  readonly fnName: string;
  /** What the function is when it is not the jitted function itself ("the body of lax.scan"). */
  readonly role?: string | undefined;
  /** The trace this one runs inside (a loop body's jitted function). */
  readonly enclosing?: TracerOwner | undefined;
  /** The traced parameters `v` depends on. */
  dependence(v: Var): Dependence[];
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
  protected readItem(): number | boolean {
    throw concretizationError(this, "`.item()`", "readback");
  }
  protected readList(): unknown {
    throw checkLeak(this) ?? new TracerArrayConversionError(
      `The numpy.ndarray conversion method tolist() was called on traced array with shape ${this.aval.str}` +
        describeContext(this) + ".",
      "Return the array from the jitted function and convert the result outside it.",
    );
  }
  blockUntilReady(): Promise<this> {
    return Promise.reject(concretizationError(this, "`.blockUntilReady()`", "readback"));
  }
  to(): Promise<NDArray> {
    return Promise.reject(concretizationError(this, "`.to()` (devicePut)", "readback"));
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
    `Encountered an unexpected tracer: an intermediate value with type ${t.aval.str} escaped the trace of ` +
      `${functionText(t._trace)} (it was saved to outer state, e.g. a global, a captured array or \`this\`, and used after tracing ended).`,
    "Return every value you need from the jitted function instead of storing it outside.",
  );
}

function dependsOn(t: Tracer): Dependence[] {
  try {
    return t._trace.dependence(t._var);
  } catch {
    return [];
  }
}

/**
 * "function 'f'"; for a lax callback "function 'step' (the body of lax.foriLoop)" or "the
 * body of lax.foriLoop", followed by the named function it runs in ("... in function 'f'").
 */
function functionText(owner: TracerOwner): string {
  if (!owner.role) return `function '${owner.fnName}'`;
  const named = owner.fnName && owner.fnName !== "<anonymous>";
  const own = named ? `function '${owner.fnName}' (${owner.role})` : owner.role;
  const outer = owner.enclosing;
  return outer && (outer.role || outer.fnName !== "<anonymous>") ? `${own} in ${functionText(outer)}` : own;
}

function describeContext(t: Tracer): string {
  const deps = dependsOn(t);
  const on = deps.length ? `; it depends on ${deps.length > 1 ? "parameters" : "parameter"} ${deps.map((d) => `'${d.path}'`).join(", ")}` : "";
  return ` in ${functionText(t._trace)}${on}`;
}

/** The top-level parameters the value depends on that could be static: only those passed JS values (an array cannot be a static key). */
function staticCandidates(deps: readonly Dependence[]): string[] {
  return [...new Set(deps.filter((d) => d.canBeStatic).map((d) => d.path.split(/[.[]/)[0]!))];
}

function fixFor(t: Tracer, kind: "bool" | "number" | "index" | "readback"): string {
  const candidates = staticCandidates(dependsOn(t));
  const staticHint = candidates.length ? `, or mark ${candidates.map((d) => `'${d}'`).join(", ")} static (staticArgnames) if it only takes a few values` : "";
  switch (kind) {
    case "bool":
      return `use np.where(cond, a, b) for elementwise selection or lax.cond(pred, trueFn, falseFn, ...operands) for control flow (lax.whileLoop for a data-dependent loop)${staticHint}.`;
    case "number":
      return `keep the value an array and use np functions or NDArray methods (x.mul(2), np.add(x, 1)); choose between values with np.where or lax.cond${staticHint}.`;
    case "index":
      return `index with array operations instead of JS property access: x.slice(...) for static positions, or a mask for a traced one (np.where(np.arange(n).eq(i), x, 0).sum())${staticHint}.`;
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
