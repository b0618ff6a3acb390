// Dtypes and JAX's type-promotion lattice (restricted to the dtypes tsjit has).
//
// Lattice (edges point to wider types):  bool → i* → int32 → f* → float16 → float32
//                                                  i* → f*
//                                                  i* → uint32 → int32
// uint32 → int32 is JAX's uint32 → int64 edge with x64 off (int64 canonicalizes to int32),
// so uint32 + int32 → int32, and a weak int never widens uint32.
// i* / f* are the *weak* int / float types of JS number constants. They materialize as
// int32 / float32 with `weakType` set, and never widen a strong array's dtype.

import { SymDim, concreteDim } from "./symbolic.js";

export type DType = "float32" | "int32" | "uint32" | "bool" | "float16";

export function isDType(x: unknown): x is DType {
  return x === "float32" || x === "int32" || x === "uint32" || x === "bool" || x === "float16";
}

export function isFloat(dtype: DType): boolean {
  return dtype === "float32" || dtype === "float16";
}

export function shortName(dtype: DType): string {
  switch (dtype) {
    case "float32": return "f32";
    case "float16": return "f16";
    case "int32": return "i32";
    case "uint32": return "u32";
    case "bool": return "bool";
  }
}

export type TypedArray = Float32Array | Int32Array | Uint32Array | Uint8Array;

/** Whether `dtype` is an integer (not bool) dtype. */
export function isInteger(dtype: DType): boolean {
  return dtype === "int32" || dtype === "uint32";
}

/** Host storage for each dtype (float16 is stored widened on the CPU side). */
export function typedArrayFor(dtype: DType, size: number): TypedArray {
  switch (dtype) {
    case "float32":
    case "float16":
      return new Float32Array(size);
    case "int32":
      return new Int32Array(size);
    case "uint32":
      return new Uint32Array(size);
    case "bool":
      return new Uint8Array(size);
  }
}

/** castScalar for literal values, which may be symbolic sizes (integers, kept symbolic). */
export function castLiteral(value: number | boolean | SymDim, dtype: DType): number | SymDim {
  if (value instanceof SymDim) return dtype === "bool" ? concreteDim(value, "a size used as a bool") : value;
  return castScalar(value, dtype);
}

/** Rounds a JS number to a value representable in `dtype` (what a store would produce). */
export function castScalar(value: number | boolean, dtype: DType): number {
  const v = typeof value === "boolean" ? (value ? 1 : 0) : value;
  switch (dtype) {
    case "float32":
    case "float16":
      return Math.fround(v);
    case "int32":
      // XLA's float → int32 conversion (what astype and jnp.array(..., dtype=int32) do on
      // CPU): truncate toward zero, saturating at the int32 range; NaN → 0. The same rule
      // for np.array data, literals and astype, so they agree (3e9 → 2147483647).
      return v >= 2147483647 ? 2147483647 : v <= -2147483648 ? -2147483648 : v === v ? Math.trunc(v) | 0 : 0;
    case "uint32":
      // Negative int32-range integers wrap (two's complement, as int32 → uint32 does: a
      // weak -1 is 0xffffffff); anything else follows XLA's float → uint32: truncate,
      // saturating at [0, 2^32 - 1]; NaN → 0.
      if (Number.isInteger(v) && v < 0 && v >= -2147483648) return v >>> 0;
      return v >= 4294967295 ? 4294967295 : v === v && v > 0 ? Math.trunc(v) : 0;
    case "bool":
      // Truthiness, as NumPy and convert_element_type: NaN is true.
      return v !== 0 ? 1 : 0;
  }
}

// ---------------------------------------------------------------------------------------
// Promotion

type LatticeNode = "bool" | "i*" | "f*" | "uint32" | "int32" | "float16" | "float32";

const UPPER: Record<LatticeNode, readonly LatticeNode[]> = {
  bool: ["i*"],
  "i*": ["uint32", "int32", "f*"],
  uint32: ["int32"],
  int32: ["f*"],
  "f*": ["float16"],
  float16: ["float32"],
  float32: [],
};

function ancestors(node: LatticeNode): Set<LatticeNode> {
  const seen = new Set<LatticeNode>([node]);
  const stack = [node];
  while (stack.length) {
    for (const up of UPPER[stack.pop()!]) {
      if (!seen.has(up)) { seen.add(up); stack.push(up); }
    }
  }
  return seen;
}

const ORDER: readonly LatticeNode[] = ["bool", "i*", "uint32", "int32", "f*", "float16", "float32"];

function join(a: LatticeNode, b: LatticeNode): LatticeNode {
  const up = ancestors(a);
  const common = ORDER.filter((n) => up.has(n) && ancestors(b).has(n));
  // The lattice is a total order restricted to common ancestors: the least one wins.
  return common[0]!;
}

function toNode(dtype: DType, weak: boolean): LatticeNode {
  if (weak) {
    if (dtype === "int32") return "i*";
    if (dtype === "float32") return "f*";
  }
  return dtype;
}

export interface DTypeAndWeak {
  readonly dtype: DType;
  readonly weakType: boolean;
}

const joinCache = new Map<string, LatticeNode>();

/** JAX's `result_type` over (dtype, weak) pairs. */
export function promoteTypes(types: readonly DTypeAndWeak[]): DTypeAndWeak {
  let node = toNode(types[0]!.dtype, types[0]!.weakType);
  for (let i = 1; i < types.length; i++) {
    const other = toNode(types[i]!.dtype, types[i]!.weakType);
    if (other === node) continue;
    const key = node + "|" + other;
    let j = joinCache.get(key);
    if (j === undefined) joinCache.set(key, (j = join(node, other)));
    node = j;
  }
  if (node === "i*") return { dtype: "int32", weakType: true };
  if (node === "f*") return { dtype: "float32", weakType: true };
  return { dtype: node, weakType: false };
}

/** The dtype a JS number constant gets: weak int if integral (and in int32 range), else weak float. */
export function dtypeOfNumber(value: number): DType {
  return Number.isInteger(value) && value >= -2147483648 && value <= 2147483647 ? "int32" : "float32";
}
