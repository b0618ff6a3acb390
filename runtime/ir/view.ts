// Strided views: an affine map from an index in `shape` to a linear buffer position,
// `offset + Σ idx[d] * strides[d]`. Reshape, transpose, broadcast and slice compose into a
// view without moving data (like a single-view ShapeTracker in tinygrad), so the fusion
// pass can read inputs through them instead of materializing copies. Sizes, strides and
// offsets may be symbolic (prebuilt kernels).

import { contiguousStrides, sizeOf, sliceLength, type Shape } from "../shape.js";
import { dimAdd, dimMul, dimText, isOne, knownEqual, type Dim } from "../symbolic.js";

/**
 * A run-time term of a view's offset: `stride · value`, where `value` is a scalar held in
 * a local (a scan's iteration counter). Views of a loop's current slice use these.
 */
export interface DynamicOffset {
  /** Id of the ScalarDecl holding the value. */
  readonly scalar: number;
  readonly stride: Dim;
}

export class View {
  constructor(
    readonly shape: Shape,
    readonly strides: readonly Dim[],
    readonly offset: Dim,
    readonly dynamic: readonly DynamicOffset[] = [],
  ) {}

  static contiguous(shape: Shape, offset: Dim = 0): View {
    return new View(shape, contiguousStrides(shape), offset);
  }

  /** The sub-view at a run-time position along axis 0 (which is dropped). */
  indexLeading(scalar: number): View {
    return new View(this.shape.slice(1), this.strides.slice(1), this.offset, [...this.dynamic, { scalar, stride: this.strides[0]! }]);
  }

  get size(): Dim {
    return sizeOf(this.shape);
  }

  /** True if the view reads its buffer densely in row-major order starting at `offset`. */
  get isContiguous(): boolean {
    let expected: Dim = 1;
    for (let d = this.shape.length - 1; d >= 0; d--) {
      if (isOne(this.shape[d]!)) continue;
      if (!knownEqual(this.strides[d]!, expected)) return false;
      expected = dimMul(expected, this.shape[d]!);
    }
    return true;
  }

  transpose(perm: readonly number[]): View {
    return new View(perm.map((p) => this.shape[p]!), perm.map((p) => this.strides[p]!), this.offset, this.dynamic);
  }

  broadcastInDim(shape: Shape, dims: readonly number[]): View {
    const strides = new Array<Dim>(shape.length).fill(0);
    dims.forEach((d, i) => {
      strides[d] = isOne(this.shape[i]!) && !isOne(shape[d]!) ? 0 : this.strides[i]!;
    });
    return new View(shape, strides, this.offset, this.dynamic);
  }

  slice(start: readonly Dim[], limit: readonly Dim[], steps: readonly number[] | null): View {
    let offset = this.offset;
    const shape = start.map((s, d) => {
      offset = dimAdd(offset, dimMul(s, this.strides[d]!));
      return sliceLength(s, limit[d]!, steps ? steps[d]! : 1, this.shape[d]!, () => new Error("internal: slice out of bounds"));
    });
    const strides = this.strides.map((st, d) => dimMul(st, steps ? steps[d]! : 1));
    return new View(shape, strides, offset, this.dynamic);
  }

  /**
   * A block of `sizes` starting at `start` (static part) plus, on some axes, a run-time
   * start held in a scalar local (already clamped so the block fits).
   */
  dynamicSlice(start: readonly number[], sizes: Shape, dynamic: readonly { axis: number; scalar: number }[]): View {
    let offset = this.offset;
    start.forEach((s, d) => {
      if (s !== 0) offset = dimAdd(offset, dimMul(s, this.strides[d]!));
    });
    const dyn = dynamic.map(({ axis, scalar }) => ({ scalar, stride: this.strides[axis]! }));
    return new View(sizes, this.strides, offset, [...this.dynamic, ...dyn]);
  }

  /** The view of the same elements as `shape`, or null if it is not expressible as one view. */
  reshape(shape: Shape): View | null {
    if (sizeOf(shape) === 0 || this.isContiguous) return new View(shape, contiguousStrides(shape), this.offset, this.dynamic);
    // Splitting and merging runs of axes compares sizes: only for concrete shapes.
    if (!this.shape.every((d) => typeof d === "number") || !shape.every((d) => typeof d === "number")) return null;
    const oldShape = this.shape as readonly number[], newShape = shape as readonly number[];
    // Drop size-1 axes (their strides are irrelevant), then split/merge runs of axes.
    const oldDims: number[] = [], oldStrides: Dim[] = [];
    oldShape.forEach((d, i) => {
      if (d !== 1) { oldDims.push(d); oldStrides.push(this.strides[i]!); }
    });
    const newStrides = new Array<Dim>(newShape.length).fill(0);
    let i = 0, j = 0;
    while (j < newShape.length) {
      if (newShape[j] === 1) { j++; continue; }
      // Grow an old run [i0, i) and a new run [j0, j) until their sizes agree.
      const i0 = i, j0 = j;
      let oldSize = oldDims[i++]!, newSize = newShape[j++]!;
      while (oldSize !== newSize) {
        if (oldSize < newSize) oldSize *= oldDims[i++]!;
        else newSize *= newShape[j++]!;
      }
      // The old run must be internally contiguous to be re-split.
      for (let k = i0; k < i - 1; k++) {
        if (!knownEqual(oldStrides[k]!, dimMul(oldStrides[k + 1]!, oldDims[k + 1]!))) return null;
      }
      let stride = oldStrides[i - 1]!;
      for (let k = j - 1; k >= j0; k--) {
        newStrides[k] = stride;
        stride = dimMul(stride, newShape[k]!);
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
    const dyn = this.dynamic.map((d) => `+s${d.scalar}*${dimText(d.stride)}`).join("");
    return `${dimText(this.offset)}${dyn}:${this.shape.map(dimText).join(",")}:${this.strides.map(dimText).join(",")}`;
  }
}
