// Abstract values ("avals"): what a tracer knows about an array — shape, dtype, weak type.
// Avals are interned, so equal avals are the same object: cache signatures compare by
// identity and carry a small integer id instead of rebuilding strings.

import { shortName, type DType } from "../dtype.js";
import type { Shape } from "../shape.js";

export class ShapedArray {
  /** Dense id, unique per (shape, dtype, weakType); used in cache keys. */
  readonly id: number;
  readonly size: number;
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
    let n = 1;
    for (const d of shape) n *= d;
    this.size = n;
    this.str = `${shortName(dtype)}[${shape.join(",")}]`;
  }

  get ndim(): number {
    return this.shape.length;
  }

  /** Like `str`, marking weak types (JAX's `weak_type=True`), for error messages. */
  describe(): string {
    return this.weakType ? `${this.str}{weak}` : this.str;
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
export function aval(shape: Shape, dtype: DType, weakType = false): ShapedArray {
  let key = dtype;
  for (let i = 0; i < shape.length; i++) key += "," + shape[i];
  if (weakType) key += "w";
  let a = interned.get(key);
  if (a === undefined) {
    for (const d of shape) {
      if (!Number.isInteger(d) || d < 0) throw new TypeError(`Invalid shape [${shape.join(", ")}]: sizes must be non-negative integers.`);
    }
    a = new ShapedArray(Object.freeze(shape.slice()), dtype, weakType, nextId++);
    interned.set(key, a);
  }
  return a;
}

export function scalarAval(dtype: DType, weakType = false): ShapedArray {
  return aval([], dtype, weakType);
}
