// The CPU sort kernel (generated code calls it as `rt.sortRows`; the interpreter directly).
//
// Each row is sorted as a permutation: an LSD radix sort of (key, index) pairs, where a key
// is the element mapped to a uint32 whose unsigned order is NumPy's order (floats: -0 → 0,
// every NaN → the canonical NaN, then the sign-flip trick; int32: the sign bit flipped;
// uint32 and bool as they are; descending: the complement). LSD radix is stable, so ties
// keep their index order, and several keys sort least significant first. Passes whose byte
// is the same for the whole row are skipped; rows up to 64 use a merge sort instead (the
// histograms cost more than they save there). Work and
// scratch are O(n) per row (allocated once per call), with no allocation per element.

import type { TypedArray } from "../../dtype.js";

/** Runs this long are insertion-sorted (a whole row, if it is no longer). */
const RUN = 16;
/** Rows at most this long are merge-sorted (no histogram passes to pay for). */
const MERGE_ROW = 64;

/** A float32 array's bits (one view per call, not per row); other arrays as they are. */
const keySource = (a: TypedArray): TypedArray => (a instanceof Float32Array ? new Uint32Array(a.buffer, a.byteOffset, a.length) : a);

/**
 * The order keys of row `base..base+n` of an operand, read in `perm` order, into `keys`.
 * `src` is the operand, `bits` its keySource (a float32 operand's bits).
 */
function fillKeys(src: TypedArray, bits: TypedArray, base: number, perm: Int32Array, keys: Uint32Array, n: number, flip: number): void {
  if (src instanceof Float32Array) {
    for (let i = 0; i < n; i++) {
      let u = bits[base + perm[i]!]!;
      if ((u & 0x7fffffff) > 0x7f800000) u = 0x7fc00000;
      else if (u === 0x80000000) u = 0;
      keys[i] = (u & 0x80000000 ? ~u : u | 0x80000000) ^ flip;
    }
  } else if (src instanceof Int32Array) {
    for (let i = 0; i < n; i++) keys[i] = src[base + perm[i]!]! ^ 0x80000000 ^ flip;
  } else {
    for (let i = 0; i < n; i++) keys[i] = src[base + perm[i]!]! ^ flip;
  }
}

/** Stable insertion sort of positions [lo, hi) of (keys, perm) by key. */
function insertionSort(lo: number, hi: number, keys: Uint32Array, perm: Int32Array): void {
  for (let i = lo + 1; i < hi; i++) {
    const k = keys[i]!, p = perm[i]!;
    let j = i - 1;
    while (j >= lo && keys[j]! > k) {
      keys[j + 1] = keys[j]!;
      perm[j + 1] = perm[j]!;
      j--;
    }
    keys[j + 1] = k;
    perm[j + 1] = p;
  }
}

/** Bottom-up stable merge sort (insertion-sorted runs, then merges of doubling width); returns the array holding the result. */
function mergeSort(n: number, keys: Uint32Array, keysB: Uint32Array, perm: Int32Array, permB: Int32Array): Int32Array {
  for (let lo = 0; lo < n; lo += RUN) insertionSort(lo, Math.min(lo + RUN, n), keys, perm);
  let ks = keys, kd = keysB, ps = perm, pd = permB;
  for (let width = RUN; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n), hi = Math.min(lo + 2 * width, n);
      let i = lo, j = mid, o = lo;
      while (i < mid && j < hi) {
        // Ties take the left run first: stable.
        if (ks[j]! < ks[i]!) { kd[o] = ks[j]!; pd[o++] = ps[j++]!; }
        else { kd[o] = ks[i]!; pd[o++] = ps[i++]!; }
      }
      while (i < mid) { kd[o] = ks[i]!; pd[o++] = ps[i++]!; }
      while (j < hi) { kd[o] = ks[j]!; pd[o++] = ps[j++]!; }
    }
    const tk = ks; ks = kd; kd = tk;
    const tp = ps; ps = pd; pd = tp;
  }
  return ps;
}

/**
 * Stable sort of `perm` by `keys` (both length n). Returns the array holding the sorted
 * permutation: `perm` or `permB` (keysB is scratch).
 */
function radixSort(n: number, keys: Uint32Array, keysB: Uint32Array, perm: Int32Array, permB: Int32Array, counts: Uint32Array): Int32Array {
  if (n <= MERGE_ROW) return mergeSort(n, keys, keysB, perm, permB);
  counts.fill(0);
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    counts[k & 255]!++;
    counts[256 + ((k >>> 8) & 255)]!++;
    counts[512 + ((k >>> 16) & 255)]!++;
    counts[768 + (k >>> 24)]!++;
  }
  let ks = keys, kd = keysB, ps = perm, pd = permB;
  for (let pass = 0; pass < 4; pass++) {
    const c = pass * 256, shift = pass * 8;
    if (counts[c + ((ks[0]! >>> shift) & 255)] === n) continue; // one bucket holds the whole row
    let sum = 0;
    for (let d = 0; d < 256; d++) {
      const t = counts[c + d]!;
      counts[c + d] = sum;
      sum += t;
    }
    for (let i = 0; i < n; i++) {
      const k = ks[i]!;
      const o = counts[c + ((k >>> shift) & 255)]!++;
      kd[o] = k;
      pd[o] = ps[i]!;
    }
    const tk = ks; ks = kd; kd = tk;
    const tp = ps; ps = pd; pd = tp;
  }
  return ps;
}

/**
 * Sorts `rows` rows of `n` elements (row r of operand m at `offsets[m] + r·n`) by the first
 * `numKeys` operands; writes the first `keep` permuted elements of each row of operand m to
 * `outputs[m]` (row stride `keep`; null: skipped) and the permutation to `indices`.
 */
export function sortRows(
  operands: readonly TypedArray[], offsets: readonly number[], numKeys: number, rows: number, n: number, keep: number,
  descending: boolean, outputs: readonly (TypedArray | null)[], indices: Int32Array | null,
): void {
  if (rows === 0 || keep === 0) return;
  const permA: Int32Array = new Int32Array(n), permB: Int32Array = new Int32Array(n);
  const keys = new Uint32Array(n), keysB = new Uint32Array(n);
  const counts = new Uint32Array(1024);
  const flip = descending ? 0xffffffff : 0;
  const bits = operands.slice(0, numKeys).map(keySource);
  // Sorting one 4-byte array for its values alone (np.sort): the sorted payload is the
  // elements' own bits, moved along with the keys, so no gather through a permutation.
  const src0 = operands[0]!, out0 = outputs[0];
  if (operands.length === 1 && out0 && !indices && !(src0 instanceof Uint8Array)) {
    const raw = new Int32Array(src0.buffer, src0.byteOffset, src0.length);
    const rawOut = new Int32Array(out0.buffer, out0.byteOffset, out0.length);
    const identity = new Int32Array(n);
    for (let i = 0; i < n; i++) identity[i] = i;
    for (let r = 0; r < rows; r++) {
      const base = offsets[0]! + r * n;
      for (let i = 0; i < n; i++) permA[i] = raw[base + i]!;
      fillKeys(src0, bits[0]!, base, identity, keys, n, flip);
      const sorted = radixSort(n, keys, keysB, permA, permB, counts);
      rawOut.set(keep === n ? sorted : sorted.subarray(0, keep), r * keep);
    }
    return;
  }
  for (let r = 0; r < rows; r++) {
    let perm: Int32Array = permA;
    for (let i = 0; i < n; i++) perm[i] = i;
    // Least significant key first: each pass is stable, so earlier keys decide ties of later ones.
    for (let m = numKeys - 1; m >= 0; m--) {
      fillKeys(operands[m]!, bits[m]!, offsets[m]! + r * n, perm, keys, n, flip);
      perm = radixSort(n, keys, keysB, perm, perm === permA ? permB : permA, counts);
    }
    const at = r * keep;
    for (let m = 0; m < outputs.length; m++) {
      const out = outputs[m];
      if (!out) continue;
      const src = operands[m]!, base = offsets[m]! + r * n;
      for (let i = 0; i < keep; i++) out[at + i] = src[base + perm[i]!]!;
    }
    if (indices) for (let i = 0; i < keep; i++) indices[at + i] = perm[i]!;
  }
}
