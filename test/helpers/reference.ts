// A float64 reference implementation of the array semantics tsjit promises (NumPy/JAX),
// written independently of the runtime: its own shapes, broadcasting, strides, reductions,
// matmul, transposes and slicing over plain Float64Array data. Values are computed in
// float64 and only cast to the result dtype at the end, so comparing a float32 result
// against it measures the runtime's rounding error.

export type RDType = "float32" | "int32" | "bool";

export class Ref {
  constructor(
    readonly shape: readonly number[],
    readonly data: Float64Array,
    readonly dtype: RDType,
  ) {
    if (data.length !== size(shape)) throw new Error(`reference: ${data.length} values for shape [${shape}]`);
  }

  get ndim(): number {
    return this.shape.length;
  }
  get size(): number {
    return this.data.length;
  }

  /** Element at a multi-index (row-major). */
  at(idx: readonly number[]): number {
    return this.data[flatIndex(this.shape, idx)]!;
  }
}

export function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function stridesOf(shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    out[i] = s;
    s *= shape[i]!;
  }
  return out;
}

function flatIndex(shape: readonly number[], idx: readonly number[]): number {
  let off = 0;
  for (let d = 0; d < shape.length; d++) off = off * shape[d]! + idx[d]!;
  return off;
}

/** Calls f with every multi-index of `shape` in row-major order. */
export function forEachIndex(shape: readonly number[], f: (idx: number[], flat: number) => void): void {
  const n = size(shape);
  const idx = new Array<number>(shape.length).fill(0);
  for (let flat = 0; flat < n; flat++) {
    f(idx, flat);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
  }
}

// --- construction and casts -----------------------------------------------------------------

/** What storing `v` into an array of `dtype` yields (float32 rounding, int truncation, truthiness). */
export function castValue(v: number, dtype: RDType): number {
  switch (dtype) {
    case "float32":
      return Math.fround(v);
    case "int32":
      if (Number.isNaN(v)) return 0;
      if (v >= 2147483647) return 2147483647;
      if (v <= -2147483648) return -2147483648;
      return Math.trunc(v);
    case "bool":
      return v !== 0 ? 1 : 0; // NaN is truthy, as in NumPy
  }
}

export function fromValues(shape: readonly number[], values: ArrayLike<number>, dtype: RDType): Ref {
  const data = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) data[i] = castValue(values[i]!, dtype);
  return new Ref(shape, data, dtype);
}

/** The result of computing in float64 then storing as `dtype`. */
export function cast(x: Ref, dtype: RDType): Ref {
  return fromValues(x.shape, x.data, dtype);
}

export function filled(shape: readonly number[], value: number, dtype: RDType): Ref {
  return fromValues(shape, new Float64Array(size(shape)).fill(value), dtype);
}

// --- broadcasting ----------------------------------------------------------------------------

/** NumPy broadcasting of shapes, or null if they are incompatible. */
export function broadcastShapes(...shapes: (readonly number[])[]): number[] | null {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    let d = 1;
    for (const s of shapes) {
      const k = s.length - rank + i;
      const v = k < 0 ? 1 : s[k]!;
      if (v === 1) continue;
      if (d !== 1 && d !== v) return null;
      d = v;
    }
    out.push(d);
  }
  return out;
}

export function broadcastTo(x: Ref, shape: readonly number[]): Ref {
  const offset = shape.length - x.ndim;
  if (offset < 0) throw new Error("reference: cannot broadcast to a lower rank");
  for (let i = 0; i < x.ndim; i++) {
    if (x.shape[i] !== 1 && x.shape[i] !== shape[offset + i]) throw new Error("reference: incompatible broadcast");
  }
  const data = new Float64Array(size(shape));
  forEachIndex(shape, (idx, flat) => {
    const src = x.shape.map((d, i) => (d === 1 ? 0 : idx[offset + i]!));
    data[flat] = x.at(src);
  });
  return new Ref(shape, data, x.dtype);
}

export function map(xs: readonly Ref[], f: (...v: number[]) => number, dtype: RDType): Ref {
  const shape = broadcastShapes(...xs.map((x) => x.shape));
  if (!shape) throw new Error("reference: incompatible shapes");
  const bs = xs.map((x) => broadcastTo(x, shape));
  const out = new Float64Array(size(shape));
  const args = new Array<number>(xs.length);
  for (let i = 0; i < out.length; i++) {
    for (let k = 0; k < bs.length; k++) args[k] = bs[k]!.data[i]!;
    out[i] = castValue(f(...args), dtype);
  }
  return new Ref(shape, out, dtype);
}

// --- reductions ------------------------------------------------------------------------------

export type RAxis = number | readonly number[] | null | undefined;

export function normalizeAxes(axis: RAxis, rank: number): number[] {
  if (axis === null || axis === undefined) return [...Array(rank).keys()];
  const list = typeof axis === "number" ? [axis] : [...axis];
  return list.map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
}

/**
 * Folds `axes` of x: `combine(values)` receives the reduced elements in row-major order and
 * returns the result; also returns, per output element, Σ|values| (for error bounds).
 */
export function reduce(
  x: Ref,
  axis: RAxis,
  keepdims: boolean,
  combine: (values: number[]) => number,
  dtype: RDType,
): { result: Ref; magnitude: Float64Array; count: number } {
  const axes = normalizeAxes(axis, x.ndim);
  const outShape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const keptShape = x.shape.filter((_, i) => !axes.includes(i));
  const groups: number[][] = Array.from({ length: size(outShape) }, () => []);
  forEachIndex(x.shape, (idx, flat) => {
    const o = idx.map((v, i) => (axes.includes(i) ? 0 : v));
    groups[flatIndex(outShape, o)]!.push(x.data[flat]!);
  });
  const data = new Float64Array(groups.length);
  const magnitude = new Float64Array(groups.length);
  groups.forEach((g, i) => {
    data[i] = castValue(combine(g), dtype);
    magnitude[i] = g.reduce((a, v) => a + Math.abs(v), 0);
  });
  const count = axes.reduce((n, a) => n * x.shape[a]!, 1);
  return { result: new Ref(keepdims ? outShape : keptShape, data, dtype), magnitude, count };
}

export const combine = {
  sum: (v: number[]) => v.reduce((a, b) => a + b, 0),
  prod: (v: number[]) => v.reduce((a, b) => a * b, 1),
  max: (v: number[]) => (v.some(Number.isNaN) ? NaN : Math.max(...v)),
  min: (v: number[]) => (v.some(Number.isNaN) ? NaN : Math.min(...v)),
  mean: (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length,
  any: (v: number[]) => (v.some((x) => x !== 0) ? 1 : 0),
  all: (v: number[]) => (v.every((x) => x !== 0) ? 1 : 0),
  /** NumPy: the first maximal element; a NaN counts as maximal (its first position). */
  argmax: (v: number[]) => {
    const nan = v.findIndex(Number.isNaN);
    if (nan >= 0) return nan;
    let best = 0;
    for (let i = 1; i < v.length; i++) if (v[i]! > v[best]!) best = i;
    return best;
  },
  argmin: (v: number[]) => {
    const nan = v.findIndex(Number.isNaN);
    if (nan >= 0) return nan;
    let best = 0;
    for (let i = 1; i < v.length; i++) if (v[i]! < v[best]!) best = i;
    return best;
  },
};

// --- shape manipulation ------------------------------------------------------------------------

export function reshape(x: Ref, shape: readonly number[]): Ref {
  const known = shape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const resolved = shape.map((d) => (d === -1 ? x.size / known : d));
  if (size(resolved) !== x.size) throw new Error("reference: bad reshape");
  return new Ref(resolved, x.data.slice(), x.dtype);
}

export function transpose(x: Ref, perm?: readonly number[]): Ref {
  const p = (perm ?? [...Array(x.ndim).keys()].reverse()).map((a) => (a < 0 ? a + x.ndim : a));
  const shape = p.map((a) => x.shape[a]!);
  const data = new Float64Array(x.size);
  forEachIndex(shape, (idx, flat) => {
    const src = new Array<number>(x.ndim);
    p.forEach((a, i) => (src[a] = idx[i]!));
    data[flat] = x.at(src);
  });
  return new Ref(shape, data, x.dtype);
}

export function squeeze(x: Ref, axis?: RAxis): Ref {
  const axes = axis === undefined || axis === null ? x.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : normalizeAxes(axis, x.ndim);
  return new Ref(x.shape.filter((_, i) => !axes.includes(i)), x.data.slice(), x.dtype);
}

export function expandDims(x: Ref, axis: number | readonly number[]): Ref {
  const list = typeof axis === "number" ? [axis] : axis;
  const rank = x.ndim + list.length;
  const axes = list.map((a) => (a < 0 ? a + rank : a));
  const shape: number[] = [];
  let k = 0;
  for (let i = 0; i < rank; i++) shape.push(axes.includes(i) ? 1 : x.shape[k++]!);
  return new Ref(shape, x.data.slice(), x.dtype);
}

export function concatenate(xs: readonly Ref[], axis: number, dtype: RDType): Ref {
  const rank = xs[0]!.ndim;
  const ax = axis < 0 ? axis + rank : axis;
  const shape = xs[0]!.shape.slice();
  shape[ax] = xs.reduce((n, x) => n + x.shape[ax]!, 0);
  const data = new Float64Array(size(shape));
  forEachIndex(shape, (idx, flat) => {
    let i = idx[ax]!;
    let k = 0;
    while (i >= xs[k]!.shape[ax]!) i -= xs[k++]!.shape[ax]!;
    const src = idx.slice();
    src[ax] = i;
    data[flat] = castValue(xs[k]!.at(src), dtype);
  });
  return new Ref(shape, data, dtype);
}

export function stack(xs: readonly Ref[], axis: number, dtype: RDType): Ref {
  const rank = xs[0]!.ndim + 1;
  const ax = axis < 0 ? axis + rank : axis;
  return concatenate(xs.map((x) => expandDims(x, ax)), ax, dtype);
}

/** One entry of a NumPy basic index, as tsjit spells it. */
export type RIndex = number | null | "..." | ":" | readonly [start?: number | null, stop?: number | null, step?: number | null];

/** NumPy basic indexing with positive steps (Python's slice.indices semantics). */
export function slice(x: Ref, ...index: RIndex[]): Ref {
  const consumed = index.filter((e) => e !== null && e !== "...").length;
  const entries: RIndex[] = [];
  for (const e of index) {
    if (e === "...") for (let i = 0; i < x.ndim - consumed; i++) entries.push(":");
    else entries.push(e);
  }
  while (entries.filter((e) => e !== null).length < x.ndim) entries.push(":");
  // Per source axis: the list of source positions it keeps (or one fixed position).
  const pick: { positions: number[]; drop: boolean }[] = [];
  const outShape: number[] = [];
  const outToSrc: (number | null)[] = []; // output axis → source axis (null: new axis)
  let axis = 0;
  for (const e of entries) {
    if (e === null) {
      outShape.push(1);
      outToSrc.push(null);
      continue;
    }
    const n = x.shape[axis]!;
    if (typeof e === "number") {
      pick.push({ positions: [e < 0 ? e + n : e], drop: true });
    } else {
      const [s0, s1, st]: readonly (number | null | undefined)[] = e === ":" || e === "..." ? [null, null, null] : e;
      const step = st ?? 1;
      const norm = (v: number | null | undefined, dflt: number) =>
        v === null || v === undefined ? dflt : Math.min(Math.max(v < 0 ? v + n : v, 0), n);
      const lo = norm(s0, 0), hi = norm(s1, n);
      const positions: number[] = [];
      for (let i = lo; i < hi; i += step) positions.push(i);
      pick.push({ positions, drop: false });
      outShape.push(positions.length);
      outToSrc.push(axis);
    }
    axis++;
  }
  const data = new Float64Array(size(outShape));
  forEachIndex(outShape, (idx, flat) => {
    const src = pick.map((p) => p.positions[0]!);
    outToSrc.forEach((s, o) => {
      if (s !== null) src[s] = pick[s]!.positions[idx[o]!]!;
    });
    data[flat] = x.at(src);
  });
  return new Ref(outShape, data, x.dtype);
}

// --- linear algebra ------------------------------------------------------------------------------

/**
 * NumPy's matmul: 1-D operands get a temporary axis, batch axes broadcast. Also returns
 * Σ|a·b| per output element (the scale of the rounding error of a float32 dot product).
 */
export function matmul(a: Ref, b: Ref, dtype: RDType): { result: Ref; magnitude: Float64Array } {
  const a2 = a.ndim === 1 ? new Ref([1, a.shape[0]!], a.data, a.dtype) : a;
  const b2 = b.ndim === 1 ? new Ref([b.shape[0]!, 1], b.data, b.dtype) : b;
  const m = a2.shape[a2.ndim - 2]!, k = a2.shape[a2.ndim - 1]!, n = b2.shape[b2.ndim - 1]!;
  if (b2.shape[b2.ndim - 2] !== k) throw new Error("reference: matmul shapes not aligned");
  const batch = broadcastShapes(a2.shape.slice(0, -2), b2.shape.slice(0, -2));
  if (!batch) throw new Error("reference: matmul batch shapes");
  const A = broadcastTo(a2, [...batch, m, k]);
  const B = broadcastTo(b2, [...batch, k, n]);
  const nb = size(batch);
  const data = new Float64Array(nb * m * n);
  const magnitude = new Float64Array(nb * m * n);
  for (let t = 0; t < nb; t++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let acc = 0, mag = 0;
        for (let p = 0; p < k; p++) {
          const v = A.data[t * m * k + i * k + p]! * B.data[t * k * n + p * n + j]!;
          acc += v;
          mag += Math.abs(v);
        }
        data[t * m * n + i * n + j] = castValue(acc, dtype);
        magnitude[t * m * n + i * n + j] = mag;
      }
    }
  }
  let shape = [...batch, m, n];
  if (a.ndim === 1) shape = [...batch, n];
  if (b.ndim === 1) shape = a.ndim === 1 ? [...batch] : [...batch, m];
  return { result: new Ref(shape, data, dtype), magnitude };
}

/** NumPy's dot for N-D operands: sum over the last axis of a and the second-to-last of b. */
export function dot(a: Ref, b: Ref, dtype: RDType): Ref {
  if (a.ndim === 0 || b.ndim === 0) return map([a, b], (x, y) => x * y, dtype);
  const k = a.shape[a.ndim - 1]!;
  const bAxis = b.ndim === 1 ? 0 : b.ndim - 2;
  const aFree = a.shape.slice(0, -1);
  const bFree = b.shape.filter((_, i) => i !== bAxis);
  const shape = [...aFree, ...bFree];
  const data = new Float64Array(size(shape));
  forEachIndex(shape, (idx, flat) => {
    const ia = idx.slice(0, aFree.length);
    const ib = idx.slice(aFree.length);
    let acc = 0;
    for (let p = 0; p < k; p++) {
      const bi = ib.slice();
      bi.splice(bAxis, 0, p);
      acc += a.at([...ia, p]) * b.at(bi);
    }
    data[flat] = castValue(acc, dtype);
  });
  return new Ref(shape, data, dtype);
}

// --- dtype promotion, as DESIGN.md pins it -----------------------------------------------------------

/** An operand's type for promotion: weak = a JS number constant (weak int if integral, else weak float). */
export interface RType {
  readonly dtype: RDType;
  readonly weak: boolean;
}

const RANK: Record<RDType, number> = { bool: 0, int32: 1, float32: 2 };

/**
 * JAX's result type restricted to bool/int32/float32 and weak scalars: strong types take
 * the wider of the two; a weak scalar never widens a strong array within its kind
 * (int32 + weak int → int32, float32 + anything weak → float32) but lifts it to its own
 * kind, staying weak (JAX's lattice: int32 ⊔ f* = f*, bool ⊔ i* = i*): int32 + weak float →
 * weak float32, bool + weak int → weak int32. Two weak operands stay weak.
 */
export function resultType(a: RType, b: RType): RType {
  if (a.weak && b.weak) return { dtype: RANK[a.dtype] >= RANK[b.dtype] ? a.dtype : b.dtype, weak: true };
  if (a.weak || b.weak) {
    const [strong, weak] = a.weak ? [b, a] : [a, b];
    if (RANK[weak.dtype] > RANK[strong.dtype]) return { dtype: weak.dtype, weak: true };
    return strong;
  }
  return { dtype: RANK[a.dtype] >= RANK[b.dtype] ? a.dtype : b.dtype, weak: false };
}
