// Compiled plans as prebuilt payloads (webgpu, wasm): plain data with concrete sizes,
// written as JSON into the build's output. A buffer (BufferDecl) is written once, in the
// plan's `buffers`, and as `{ b: id }` everywhere else; reading the plan back restores one
// object per buffer, so code that compares buffers by identity works on it as on a fresh one.

import type { BufferDecl } from "../ir/fusion.js";
import { SymDim } from "../symbolic.js";
import { DTypeError } from "../errors.js";

function isBufferDecl(v: unknown): v is BufferDecl {
  if (typeof v !== "object" || v === null) return false;
  const b = v as Partial<BufferDecl>;
  return typeof b.id === "number" && "size" in b && typeof b.kind === "string" && typeof b.index === "number" && typeof b.dtype === "string";
}

/**
 * The plan as JSON text. `backend` names who needs concrete sizes, for the error a symbolic
 * size raises (the build reports it as the reason there is no entry for that backend).
 */
export function planText(plan: { readonly buffers: readonly BufferDecl[] }, backend: string): string {
  return JSON.stringify(plan, function (this: unknown, key, value: unknown) {
    if (value instanceof SymDim) throw new DTypeError(`${backend} kernels are compiled for concrete sizes, and ${key || "a size"} is symbolic (${value.toString()})`);
    if (this !== plan.buffers && isBufferDecl(value)) return { b: value.id };
    return value;
  });
}

/** A plan written by planText, with its buffer references restored. */
export function readPlan<P extends { readonly buffers: readonly BufferDecl[] }>(written: P): P {
  const buffers = written.buffers;
  const resolve = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(resolve);
    if (typeof v !== "object" || v === null) return v;
    const ref = (v as { b?: unknown }).b;
    if (typeof ref === "number" && Object.keys(v).length === 1) return buffers[ref];
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]));
  };
  return { ...(resolve(written) as P), buffers };
}

/** Refuses a program whose inputs have symbolic sizes (prebuilt entries of fixed-size backends). */
export function checkConcreteInputs(invars: readonly { readonly aval: { readonly shape: readonly unknown[] } }[], backend: string): void {
  const symbolic = invars.flatMap((v) => v.aval.shape).find((d) => typeof d !== "number");
  if (symbolic !== undefined) throw new DTypeError(`${backend} kernels are compiled for concrete sizes, and the size ${String(symbolic)} is symbolic`);
}
