// Limits on array sizes, and allocation failures turned into errors that name the arrays.
// A typed array holds at most 2^32 elements in V8, and kernels index with int32 arithmetic,
// so an array has at most 2^31 - 1 elements: a bigger shape is refused where it is made,
// before generated code fails with "Invalid typed array length".

import type { ShapedArray } from "../ir/aval.js";
import { ResourceExhaustedError, ShapeError } from "../errors.js";
import type { Dim } from "../symbolic.js";

export const MAX_ELEMENTS = 2 ** 31 - 1;

const BYTES: Record<string, number> = { float32: 4, float16: 4, int32: 4, bool: 1 };

/** Refuses a concrete shape with more than MAX_ELEMENTS elements (symbolic sizes are checked when bound). */
export function checkSize(op: string, shape: readonly Dim[]): void {
  let n = 1;
  for (const d of shape) if (typeof d === "number") n *= d;
  if (n > MAX_ELEMENTS) {
    throw new ShapeError(
      `${op}: shape (${shape.map(String).join(", ")}${shape.length === 1 ? "," : ""}) has ${n.toExponential(3)} elements, ` +
        `more than the ${MAX_ELEMENTS} (2^31 - 1) an array can hold.`,
      "Use a smaller shape (split the work into chunks).",
    );
  }
}

function isAllocationFailure(e: unknown): boolean {
  return e instanceof RangeError && /allocation failed|Invalid typed array length|Invalid array buffer length|out of memory/i.test(e.message);
}

function gigabytes(avals: readonly ShapedArray[]): string {
  let bytes = 0;
  for (const a of avals) if (typeof a.size === "number") bytes += a.size * (BYTES[a.dtype] ?? 4);
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${(bytes / 1e6).toFixed(1)} MB`;
}

/**
 * The error to throw for `e`, raised by a compile or a run that allocates buffers: a failed
 * allocation becomes a ResourceExhaustedError naming `what` and the arrays it produces;
 * anything else is returned as it is. (Called from catch blocks, so the hot path allocates nothing.)
 */
export function allocationError(e: unknown, what: string, avals: readonly ShapedArray[]): unknown {
  if (!isAllocationFailure(e)) return e;
  return new ResourceExhaustedError(
    `${what} could not allocate memory for ${avals.map((a) => a.str).join(", ") || "its buffers"} ` +
      `(${gigabytes(avals)} of outputs, plus temporaries): ${(e as Error).message}.`,
    "Use smaller arrays (split the work into chunks), or free memory (drop references to large arrays, or dispose() them).",
  );
}
