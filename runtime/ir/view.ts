// Strided views: an affine map from an index in `shape` to a linear buffer position,
// `offset + Σ idx[d] * strides[d]`. Reshape, transpose, broadcast and slice compose into a
// view without moving data (like a single-view ShapeTracker in tinygrad), so the fusion
// pass can read inputs through them instead of materializing copies.

import { contiguousStrides, sizeOf, type Shape } from "../shape.js";

/**
 * A run-time term of a view's offset: `stride · value`, where `value` is a scalar held in
 * a local (a scan's iteration counter). Views of a loop's current slice use these.
 */
export interface DynamicOffset {
  /** Id of the ScalarDecl holding the value. */
  readonly scalar: number;
  readonly stride: number;
}

export class View {
  constructor(
    readonly shape: Shape,
    readonly strides: readonly number[],
    readonly offset: number,
    readonly dynamic: readonly DynamicOffset[] = [],
  ) {}

  static contiguous(shape: Shape, offset = 0): View {
    return new View(shape, contiguousStrides(shape), offset);
  }

  /** The sub-view at a run-time position along axis 0 (which is dropped). */
  indexLeading(scalar: number): View {
    return new View(this.shape.slice(1), this.strides.slice(1), this.offset, [...this.dynamic, { scalar, stride: this.strides[0]! }]);
  }

  get size(): number {
    return sizeOf(this.shape);
  }

  /** True if the view reads its buffer densely in row-major order starting at `offset`. */
  get isContiguous(): boolean {
    let expected = 1;
    for (let d = this.shape.length - 1; d >= 0; d--) {
      if (this.shape[d] === 1) continue;
      if (this.strides[d] !== expected) return false;
      expected *= this.shape[d]!;
    }
    return true;
  }

  transpose(perm: readonly number[]): View {
    return new View(perm.map((p) => this.shape[p]!), perm.map((p) => this.strides[p]!), this.offset, this.dynamic);
  }

  broadcastInDim(shape: Shape, dims: readonly number[]): View {
    const strides = new Array<number>(shape.length).fill(0);
    dims.forEach((d, i) => {
      strides[d] = this.shape[i] === 1 && shape[d] !== 1 ? 0 : this.strides[i]!;
    });
    return new View(shape, strides, this.offset, this.dynamic);
  }

  slice(start: readonly number[], limit: readonly number[], steps: readonly number[] | null): View {
    let offset = this.offset;
    const shape = start.map((s, d) => {
      offset += s * this.strides[d]!;
      const step = steps ? steps[d]! : 1;
      return Math.ceil((limit[d]! - s) / step);
    });
    const strides = this.strides.map((st, d) => st * (steps ? steps[d]! : 1));
    return new View(shape, strides, offset, this.dynamic);
  }

  /** The view of the same elements as `shape`, or null if it is not expressible as one view. */
  reshape(shape: Shape): View | null {
    if (sizeOf(shape) === 0 || this.isContiguous) return new View(shape, contiguousStrides(shape), this.offset, this.dynamic);
    // Drop size-1 axes (their strides are irrelevant), then split/merge runs of axes.
    const oldDims: number[] = [], oldStrides: number[] = [];
    this.shape.forEach((d, i) => {
      if (d !== 1) { oldDims.push(d); oldStrides.push(this.strides[i]!); }
    });
    const newStrides = new Array<number>(shape.length).fill(0);
    let i = 0, j = 0;
    while (j < shape.length) {
      if (shape[j] === 1) { j++; continue; }
      // Grow an old run [i0, i) and a new run [j0, j) until their sizes agree.
      const i0 = i, j0 = j;
      let oldSize = oldDims[i++]!, newSize = shape[j++]!;
      while (oldSize !== newSize) {
        if (oldSize < newSize) oldSize *= oldDims[i++]!;
        else newSize *= shape[j++]!;
      }
      // The old run must be internally contiguous to be re-split.
      for (let k = i0; k < i - 1; k++) {
        if (oldStrides[k] !== oldStrides[k + 1]! * oldDims[k + 1]!) return null;
      }
      let stride = oldStrides[i - 1]!;
      for (let k = j - 1; k >= j0; k--) {
        newStrides[k] = stride;
        stride *= shape[k]!;
      }
    }
    return new View(shape, newStrides, this.offset, this.dynamic);
  }

  squeeze(dims: readonly number[]): View {
    const keep = (_: unknown, i: number) => !dims.includes(i);
    return new View(this.shape.filter(keep), this.strides.filter(keep), this.offset, this.dynamic);
  }

  /** Stable text for deduplicating reads of the same elements. */
  key(): string {
    return `${this.offset}${this.dynamic.map((d) => `+s${d.scalar}*${d.stride}`).join("")}:${this.shape.join(",")}:${this.strides.join(",")}`;
  }
}
