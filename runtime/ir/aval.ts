// Abstract values ("avals"): what a tracer knows about an array — shape, dtype, weak type.
// Avals are interned, so equal avals are the same object: cache signatures compare by
// identity and carry a small integer id instead of rebuilding strings.

import { shortName, type DType } from "../dtype.js";
import { sizeOf } from "../shape.js";
import type { Shape } from "../shape.js";
import { concreteDim, dimText, resolveDim, type Dim } from "../symbolic.js";

export class ShapedArray {
  /** Dense id, unique per (shape, dtype, weakType); used in cache keys. */
  readonly id: number;
  readonly size: Dim;
  /** JAX's short form: f32[3,4], i32[], bool[2]. */
  readonly str: string;

  /** @internal use `aval()`; the constructor does not intern. */
  constructor(
    readonly shape: Shape,
    readonly dtype: DType,
    readonly weakType: boolean,
    id: number,
  ) {
    this.id = id;
    this.size = sizeOf(shape);
    this.str = `${shortName(dtype)}[${shape.map(dimText).join(",")}]`;
  }

  get ndim(): number {
    return this.shape.length;
  }

  /** The shape as numbers (concrete arrays always have one; throws while tracing symbolically). */
  get concreteShape(): readonly number[] {
    for (const d of this.shape) if (typeof d !== "number") concreteDim(d, `a size of ${this.str}`);
    return this.shape as readonly number[];
  }

  get concreteSize(): number {
    return concreteDim(this.size, `the size of ${this.str}`);
  }

  /** Like `str`, marking weak types as JAX prints them (`f32[]{weak_type=True}`), for error messages. */
  describe(): string {
    return this.weakType ? `${this.str}{weak_type=True}` : this.str;
  }

  withDType(dtype: DType, weakType = false): ShapedArray {
    return aval(this.shape, dtype, weakType);
  }

  withShape(shape: Shape): ShapedArray {
    return aval(shape, this.dtype, this.weakType);
  }

  strong(): ShapedArray {
    return this.weakType ? aval(this.shape, this.dtype, false) : this;
  }

  toString(): string {
    return this.str;
  }
}

const interned = new Map<string, ShapedArray>();
let nextId = 0;

/** The interned aval for (shape, dtype, weakType). */
/** The interned aval for (shape, dtype, weakType). Symbolic sizes are resolved first. */
export function aval(shape: Shape, dtype: DType, weakType = false): ShapedArray {
  let key: string = dtype;
  let symbolic = false;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i]!;
    if (typeof d === "number") key += "," + d;
    else { symbolic = true; key += "," + dimText(resolveDim(d)); }
  }
  if (weakType) key += "w";
  let a = interned.get(key);
  if (a === undefined) {
    const dims = symbolic ? shape.map(resolveDim) : shape.slice();
    for (const d of dims) {
      if (typeof d === "number" && (!Number.isInteger(d) || d < 0)) {
        throw new TypeError(`Invalid shape [${shape.map(dimText).join(", ")}]: sizes must be non-negative integers.`);
      }
    }
    a = new ShapedArray(Object.freeze(dims), dtype, weakType, nextId++);
    interned.set(key, a);
  }
  return a;
}
