// NDArray: the one array type users see. Concrete arrays (holding a backend buffer) and
// tracers (standing for a value inside a trace) both extend it, so user code is the same
// inside and outside `jit`. Operator methods forward to `np`, which is installed here at
// load time to keep the module graph acyclic.

import type { SortOptions } from "../np/sorting.js";
import type { DType, TypedArray } from "../dtype.js";
import type { ShapedArray } from "../ir/aval.js";
import type { Shape } from "../shape.js";
import type { BackendName } from "../backend/backend.js";
import { ShapeError } from "../errors.js";

/** Scalars and arrays accepted wherever an array operand is. */
export type ArrayLike = NDArray | number | boolean;

export interface ReduceOptions {
  keepdims?: boolean;
}
export type Axis = number | readonly number[] | null | undefined;

/** What `item()` gives for dtype `D`: a boolean for "bool", a number otherwise (also when the dtype is not known). */
export type ItemOf<D extends DType> = [D] extends ["bool"] ? boolean : number;

/** Nested JS arrays of `E` of any depth (or a bare `E` for a 0-d array). */
export type NestedArray<E> = E | NestedArray<E>[];

type NestByAxes<E, S extends readonly unknown[]> = S extends readonly [unknown, ...infer R] ? NestByAxes<E, R>[] : E;

/** What `tolist()` gives: `E` nested as deep as the shape `S` has axes, when the type knows the rank. */
export type NestedList<E, S extends readonly unknown[]> = number extends S["length"] ? NestedArray<E> : NestByAxes<E, S>;

/** One entry of an index for `x.slice(...)`: see `np.slice`. An NDArray entry is an int32 scalar (dynamic index), an int32 array (gather) or a bool mask (eager only). */
export type IndexEntry = number | null | "..." | ":" | readonly [start?: number | null, stop?: number | null, step?: number | null] | NDArray;

/** `x.at(...index)`: functional updates (JAX's `x.at[...]`); each returns a new array. */
export interface IndexUpdater {
  get(): NDArray;
  set(v: ArrayLike): NDArray;
  add(v: ArrayLike): NDArray;
  multiply(v: ArrayLike): NDArray;
  min(v: ArrayLike): NDArray;
  max(v: ArrayLike): NDArray;
}

/** The `np` functions NDArray methods forward to. */
export interface ArrayOps {
  add(a: ArrayLike, b: ArrayLike): NDArray;
  subtract(a: ArrayLike, b: ArrayLike): NDArray;
  multiply(a: ArrayLike, b: ArrayLike): NDArray;
  divide(a: ArrayLike, b: ArrayLike): NDArray;
  power(a: ArrayLike, b: ArrayLike): NDArray;
  mod(a: ArrayLike, b: ArrayLike): NDArray;
  maximum(a: ArrayLike, b: ArrayLike): NDArray;
  minimum(a: ArrayLike, b: ArrayLike): NDArray;
  negative(a: ArrayLike): NDArray;
  abs(a: ArrayLike): NDArray;
  exp(a: ArrayLike): NDArray;
  log(a: ArrayLike): NDArray;
  sqrt(a: ArrayLike): NDArray;
  tanh(a: ArrayLike): NDArray;
  greater(a: ArrayLike, b: ArrayLike): NDArray;
  greaterEqual(a: ArrayLike, b: ArrayLike): NDArray;
  less(a: ArrayLike, b: ArrayLike): NDArray;
  lessEqual(a: ArrayLike, b: ArrayLike): NDArray;
  equal(a: ArrayLike, b: ArrayLike): NDArray;
  notEqual(a: ArrayLike, b: ArrayLike): NDArray;
  logicalNot(a: ArrayLike): NDArray;
  sum(a: ArrayLike, axis?: Axis, opts?: ReduceOptions): NDArray;
  mean(a: ArrayLike, axis?: Axis, opts?: ReduceOptions): NDArray;
  prod(a: ArrayLike, axis?: Axis, opts?: ReduceOptions): NDArray;
  max(a: ArrayLike, axis?: Axis, opts?: ReduceOptions): NDArray;
  min(a: ArrayLike, axis?: Axis, opts?: ReduceOptions): NDArray;
  argmax(a: ArrayLike, axis?: number | null, opts?: ReduceOptions): NDArray;
  argmin(a: ArrayLike, axis?: number | null, opts?: ReduceOptions): NDArray;
  any(a: ArrayLike, axis?: Axis, opts?: ReduceOptions): NDArray;
  all(a: ArrayLike, axis?: Axis, opts?: ReduceOptions): NDArray;
  reshape(a: ArrayLike, shape: Shape | number): NDArray;
  transpose(a: ArrayLike, axes?: readonly number[]): NDArray;
  squeeze(a: ArrayLike, axis?: Axis): NDArray;
  expandDims(a: ArrayLike, axis: number | readonly number[]): NDArray;
  broadcastTo(a: ArrayLike, shape: Shape): NDArray;
  astype(a: ArrayLike, dtype: DType): NDArray;
  matmul(a: ArrayLike, b: ArrayLike): NDArray;
  slice(a: ArrayLike, ...index: IndexEntry[]): NDArray;
  indexUpdate(a: NDArray, index: readonly IndexEntry[]): IndexUpdater;
  flatten(a: ArrayLike): NDArray;
  sort(a: ArrayLike, axis?: number | null, opts?: SortOptions): NDArray;
  argsort(a: ArrayLike, axis?: number | null, opts?: SortOptions): NDArray;
}

let ops: ArrayOps;

export function installArrayOps(o: ArrayOps): void {
  ops = o;
}

/**
 * An n-dimensional array. The optional type parameters only document the dtype and shape
 * for the build-time specializer, which reads them from parameter annotations
 * (`x: NDArray<"float32", ["batch", 784]>`: a name or `number` is a size known only at run
 * time, a literal is a fixed size). They do not constrain assignability: every NDArray is
 * assignable to every other.
 */
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export abstract class NDArray<D extends DType = DType, S extends readonly (number | string)[] = readonly (number | string)[]> {
  abstract readonly aval: ShapedArray;

  /** The shape. (While tracing for a prebuilt kernel, sizes may be symbolic objects that refuse to become numbers.) */
  get shape(): readonly number[] {
    return this.aval.shape as readonly number[];
  }
  get dtype(): DType {
    return this.aval.dtype;
  }
  get ndim(): number {
    return this.aval.shape.length;
  }
  get size(): number {
    return this.aval.size as number;
  }
  /** True for arrays standing for JS number constants (JAX's weak_type). */
  get weakType(): boolean {
    return this.aval.weakType;
  }

  // --- readback (concrete arrays implement; tracers refuse) ---------------------------
  /** Host copy of the data; on the CPU it may alias the array's buffer (do not mutate). */
  abstract dataSync(): TypedArray;
  abstract data(): Promise<TypedArray>;
  /**
   * The single element of a size-1 array: a boolean for `NDArray<"bool">` (comparisons,
   * `x.astype("bool")`), a number otherwise. The type follows the dtype parameter, so an
   * `NDArray` of unknown dtype reads as a number; a bool array still gives a boolean at run time.
   */
  item<D2 extends DType>(this: NDArray<D2>): ItemOf<D2> {
    return this.readItem() as ItemOf<D2>;
  }
  /** Nested JS arrays of numbers (booleans for bool arrays), as deep as the shape parameter's rank when it is known. */
  tolist<D2 extends DType, S2 extends readonly (number | string)[]>(this: NDArray<D2, S2>): NestedList<ItemOf<D2>, S2> {
    return this.readList() as NestedList<ItemOf<D2>, S2>;
  }
  /** `item()` and `tolist()` of the subclass (concrete arrays read, tracers refuse). */
  protected abstract readItem(): number | boolean;
  protected abstract readList(): unknown;
  /** Resolves when the value is computed (for benchmarks on asynchronous backends). */
  abstract blockUntilReady(): Promise<this>;
  /**
   * This array on another backend (`devicePut(x, name)`): itself if it is there, else a copy
   * made once (cached on the array; using `x` in a function on that backend reuses it).
   * Asynchronous, since reading a device is: `const c = await x.to("cpu")`.
   */
  abstract to(backend: BackendName): Promise<NDArray>;
  /** Frees the backend buffer now instead of at garbage collection. Optional. */
  abstract dispose(): void;
  abstract [Symbol.toPrimitive](hint: string): number | string;

  // --- operators ------------------------------------------------------------------------
  add(other: ArrayLike): NDArray { return ops.add(this, other); }
  sub(other: ArrayLike): NDArray { return ops.subtract(this, other); }
  mul(other: ArrayLike): NDArray { return ops.multiply(this, other); }
  div(other: ArrayLike): NDArray { return ops.divide(this, other); }
  pow(other: ArrayLike): NDArray { return ops.power(this, other); }
  mod(other: ArrayLike): NDArray { return ops.mod(this, other); }
  maximum(other: ArrayLike): NDArray { return ops.maximum(this, other); }
  minimum(other: ArrayLike): NDArray { return ops.minimum(this, other); }
  neg(): NDArray { return ops.negative(this); }
  abs(): NDArray { return ops.abs(this); }
  exp(): NDArray { return ops.exp(this); }
  log(): NDArray { return ops.log(this); }
  sqrt(): NDArray { return ops.sqrt(this); }
  tanh(): NDArray { return ops.tanh(this); }
  gt(other: ArrayLike): NDArray<"bool"> { return ops.greater(this, other); }
  ge(other: ArrayLike): NDArray<"bool"> { return ops.greaterEqual(this, other); }
  lt(other: ArrayLike): NDArray<"bool"> { return ops.less(this, other); }
  le(other: ArrayLike): NDArray<"bool"> { return ops.lessEqual(this, other); }
  eq(other: ArrayLike): NDArray<"bool"> { return ops.equal(this, other); }
  ne(other: ArrayLike): NDArray<"bool"> { return ops.notEqual(this, other); }
  not(): NDArray<"bool"> { return ops.logicalNot(this); }
  matmul(other: ArrayLike): NDArray { return ops.matmul(this, other); }

  sum(axis?: Axis, opts?: ReduceOptions): NDArray { return ops.sum(this, axis, opts); }
  mean(axis?: Axis, opts?: ReduceOptions): NDArray { return ops.mean(this, axis, opts); }
  prod(axis?: Axis, opts?: ReduceOptions): NDArray { return ops.prod(this, axis, opts); }
  max(axis?: Axis, opts?: ReduceOptions): NDArray { return ops.max(this, axis, opts); }
  min(axis?: Axis, opts?: ReduceOptions): NDArray { return ops.min(this, axis, opts); }
  argmax(axis?: number | null, opts?: ReduceOptions): NDArray { return ops.argmax(this, axis, opts); }
  argmin(axis?: number | null, opts?: ReduceOptions): NDArray { return ops.argmin(this, axis, opts); }
  any(axis?: Axis, opts?: ReduceOptions): NDArray<"bool"> { return ops.any(this, axis, opts); }
  all(axis?: Axis, opts?: ReduceOptions): NDArray<"bool"> { return ops.all(this, axis, opts); }

  /** `x.reshape([2, 3])` or `x.reshape(2, 3)`; one size may be -1. */
  reshape(...shape: (number | Shape)[]): NDArray {
    const s = shape.length === 1 && typeof shape[0] !== "number" ? (shape[0] as Shape) : (shape as number[]);
    return ops.reshape(this, s);
  }
  transpose(axes?: readonly number[]): NDArray { return ops.transpose(this, axes); }
  get T(): NDArray { return ops.transpose(this); }
  squeeze(axis?: Axis): NDArray { return ops.squeeze(this, axis); }
  expandDims(axis: number | readonly number[]): NDArray { return ops.expandDims(this, axis); }
  broadcastTo(shape: Shape): NDArray { return ops.broadcastTo(this, shape); }
  flatten(): NDArray { return ops.flatten(this); }
  astype<D2 extends DType>(dtype: D2): NDArray<D2> { return ops.astype(this, dtype); }
  /** Basic indexing: `x.slice(0)`, `x.slice([1, 3])`, `x.slice(":", [null, null, 2])`; see `np.slice`. */
  slice(...index: IndexEntry[]): NDArray { return ops.slice(this, ...index); }
  /** Functional updates: `x.at(i).set(v)`, `x.at(idx).add(v)`, ... (JAX's `x.at[i]`); never mutates `x`. */
  at(...index: IndexEntry[]): IndexUpdater { return ops.indexUpdate(this, index); }
  /** A sorted copy along `axis` (JAX's `x.sort()`; never in place); see `np.sort`. */
  sort(axis: number | null = -1, opts?: SortOptions): NDArray { return ops.sort(this, axis, opts); }
  /** The int32 indices that sort along `axis`; see `np.argsort`. */
  argsort(axis: number | null = -1, opts?: SortOptions): NDArray { return ops.argsort(this, axis, opts); }

  /** Iterates over the first axis, like NumPy (a 0-d array is not iterable). */
  *[Symbol.iterator](): IterableIterator<NDArray> {
    if (this.ndim === 0) throw new ShapeError("iteration over a 0-d array", "Use x.item() for the value of a 0-d array.");
    for (let i = 0; i < this.shape[0]!; i++) yield ops.slice(this, i);
  }
}
