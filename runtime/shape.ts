// Shapes: row-major, concrete sizes. Pure helpers shared by shape rules and backends.

import { ShapeError } from "./errors.js";

export type Shape = readonly number[];

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i]!;
  return n;
}

/** Row-major (C-contiguous) strides in elements. */
export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Python-tuple style, as JAX prints shapes in messages: (3,), (2, 3), (). */
export function shapeTuple(shape: Shape): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

/** NumPy broadcasting of any number of shapes; `op` names the operation for the error. */
export function broadcastShapes(op: string, shapes: readonly Shape[]): number[] {
  let rank = 0;
  for (const s of shapes) rank = Math.max(rank, s.length);
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    const offset = rank - s.length;
    for (let i = 0; i < s.length; i++) {
      const d = s[i]!;
      const o = out[offset + i]!;
      if (d === o || d === 1) continue;
      if (o === 1) out[offset + i] = d;
      else {
        throw new ShapeError(
          `${op} got incompatible shapes for broadcasting: ${shapes.map(shapeTuple).join(", ")}.`,
          "Make the sizes match or be 1 along each axis (np.reshape / np.expandDims can add size-1 axes).",
        );
      }
    }
  }
  return out;
}

/** Normalizes a possibly negative axis against `rank`, with NumPy's AxisError wording. */
export function normalizeAxis(op: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new ShapeError(
      `${op}: axis ${axis} is out of bounds for array of dimension ${rank}.`,
      rank === 0 ? "A 0-d array has no axes; pass axis: null." : `Use an axis in [${-rank}, ${rank - 1}].`,
    );
  }
  return axis < 0 ? axis + rank : axis;
}

/** Normalizes `axis` (number | number[] | null | undefined) into sorted unique axes. */
export function normalizeAxes(op: string, axis: number | readonly number[] | null | undefined, rank: number): number[] {
  if (axis === null || axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axis === "number" ? [axis] : axis;
  const out = list.map((a) => normalizeAxis(op, a, rank));
  if (new Set(out).size !== out.length) {
    throw new ShapeError(`${op}: repeated axis in ${JSON.stringify(list)}.`, "List each axis once.");
  }
  return out.sort((a, b) => a - b);
}
