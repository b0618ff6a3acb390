// Shapes: row-major. Sizes are numbers, or symbolic dimensions while tracing for a
// prebuilt kernel (see symbolic.ts); on concrete shapes every helper is plain arithmetic.

import { ArgumentError, ShapeError } from "./errors.js";
import { concreteDim, dimDivExact, dimMul, dimProduct, dimSub, dimText, isOne, knownEqual, sameDim, type Dim } from "./symbolic.js";

export type { Dim };
export type Shape = readonly Dim[];

export function sizeOf(shape: Shape): Dim {
  let n: Dim = 1;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i]!;
    n = typeof n === "number" && typeof d === "number" ? n * d : dimProduct([n, d]);
  }
  return n;
}

/** Row-major (C-contiguous) strides in elements. */
export function contiguousStrides(shape: Shape): Dim[] {
  const strides = new Array<Dim>(shape.length);
  let s: Dim = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s = dimMul(s, shape[i]!);
  }
  return strides;
}

/** Known equal (no unification). */
export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!knownEqual(a[i]!, b[i]!)) return false;
  return true;
}

/** Equal, unifying symbolic sizes where needed (for shape rules that require equality). */
export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameDim(a[i]!, b[i]!)) return false;
  return true;
}

/** Python-tuple style, as JAX prints shapes in messages: (3,), (2, 3), (). */
export function shapeTuple(shape: readonly Dim[]): string {
  return shape.length === 1 ? `(${dimText(shape[0]!)},)` : `(${shape.map(dimText).join(", ")})`;
}

/** NumPy broadcasting of any number of shapes; `op` names the operation for the error. */
export function broadcastShapes(op: string, shapes: readonly Shape[]): Dim[] {
  let rank = 0;
  for (const s of shapes) rank = Math.max(rank, s.length);
  const out = new Array<Dim>(rank).fill(1);
  for (const s of shapes) {
    const offset = rank - s.length;
    for (let i = 0; i < s.length; i++) {
      const d = s[i]!;
      const o = out[offset + i]!;
      if (typeof d === "number" && typeof o === "number") {
        if (d === o || d === 1) continue;
        if (o === 1) { out[offset + i] = d; continue; }
      } else {
        if (knownEqual(d, o) || isOne(d)) continue;
        if (isOne(o)) { out[offset + i] = d; continue; }
        if (sameDim(d, o)) continue;
      }
      throw new ShapeError(
        `${op} got incompatible shapes for broadcasting: ${shapes.map(shapeTuple).join(", ")}.`,
        "Make the sizes match or be 1 along each axis (np.reshape / np.expandDims can add size-1 axes).",
      );
    }
  }
  return out;
}

/** Normalizes a possibly negative axis against `rank`, with NumPy's AxisError wording. */
export function normalizeAxis(op: string, axis: number, rank: number): number {
  if (typeof axis !== "number") throw axisTypeError(op, axis);
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new ShapeError(
      `${op}: axis ${axis} is out of bounds for array of dimension ${rank}.`,
      rank === 0 ? "A 0-d array has no axes; pass axis: null." : `Use an axis in [${-rank}, ${rank - 1}].`,
    );
  }
  return axis < 0 ? axis + rank : axis;
}

function axisTypeError(op: string, axis: unknown): ArgumentError {
  const shown = typeof axis === "string" ? JSON.stringify(axis) : String(axis);
  return new ArgumentError(
    `${op}: axis must be an integer, a list of integers or null, got ${shown} (${Array.isArray(axis) ? "a list" : typeof axis}).`,
    typeof axis === "string" && /^-?\d+$/.test(axis.trim()) ? `Pass the number: axis ${axis.trim()}.` : "Pass an integer axis, e.g. x.sum(0), or null for all axes.",
  );
}

/** Normalizes `axis` (number | number[] | null | undefined) into sorted unique axes. */
export function normalizeAxes(op: string, axis: number | readonly number[] | null | undefined, rank: number): number[] {
  if (axis === null || axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axis === "number" ? [axis] : axis;
  if (!Array.isArray(list)) throw axisTypeError(op, axis);
  const out = list.map((a) => normalizeAxis(op, a, rank));
  if (new Set(out).size !== out.length) {
    throw new ShapeError(`${op}: repeated axis in ${JSON.stringify(list)}.`, "List each axis once.");
  }
  return out.sort((a, b) => a - b);
}

/**
 * ceil((limit - start) / stride), checking bounds where they are known. With symbolic
 * sizes, a range must be expressible exactly (the whole axis, or a concrete stride of 1).
 */
export function sliceLength(start: Dim, limit: Dim, stride: number, size: Dim, error: () => Error): Dim {
  if (typeof start === "number" && typeof limit === "number" && typeof size === "number") {
    if (!(0 <= start && start <= limit && limit <= size && stride >= 1)) throw error();
    return Math.ceil((limit - start) / stride);
  }
  if (stride !== 1) {
    const exact = dimDivExact(dimSub(limit, start), stride);
    if (exact === null) return concreteDim(dimSub(limit, start), "a strided slice length");
    return exact;
  }
  return dimSub(limit, start);
}

