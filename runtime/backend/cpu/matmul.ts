// Matrix multiply for the CPU backend: C[b] = A[b] · B[b] with A, B read through arbitrary
// strides (so transposed operands need no copy) and C row-major.
//
// GotoBLAS-style blocking in plain JavaScript: B is packed into 4-column panels and A into
// 4-row panels of a K-block (contiguous, cache-resident), and a 4×4 micro-kernel keeps 16
// accumulators in locals, doing 16 multiply-adds per 8 loads. Packing also absorbs the
// strides and the zero padding of edge tiles.
//
// Precision: products and sums are float64 within a KC-deep block and rounded to float32
// when a block's sums are added into C. Eager mode, jit and the interpreter all call this
// function, so they agree bit for bit.

const MR = 4;
const NR = 4;
const KC = 256;
const MC = 64;
const NC = 1024;

let packA = new Float64Array(MC * KC);
let packB = new Float64Array(KC * NC);

export function matmul(
  A: ArrayLike<number>, aOff: number, aBatch: number, aRow: number, aCol: number,
  B: ArrayLike<number>, bOff: number, bBatch: number, bRow: number, bCol: number,
  C: Float32Array, batch: number, m: number, n: number, k: number,
): void {
  if (packA.length < MC * KC) packA = new Float64Array(MC * KC);
  if (packB.length < KC * NC) packB = new Float64Array(KC * NC);
  for (let b = 0; b < batch; b++) {
    const cOff = b * m * n;
    C.fill(0, cOff, cOff + m * n);
    if (k === 0) continue;
    const a0 = aOff + b * aBatch;
    const b0 = bOff + b * bBatch;
    for (let jc = 0; jc < n; jc += NC) {
      const nc = Math.min(NC, n - jc);
      for (let pc = 0; pc < k; pc += KC) {
        const kc = Math.min(KC, k - pc);
        packPanelsB(B, b0 + pc * bRow + jc * bCol, bRow, bCol, kc, nc);
        for (let ic = 0; ic < m; ic += MC) {
          const mc = Math.min(MC, m - ic);
          packPanelsA(A, a0 + ic * aRow + pc * aCol, aRow, aCol, mc, kc);
          macroKernel(C, cOff + ic * n + jc, n, mc, nc, kc);
        }
      }
    }
  }
}

/** B[kc × nc] → panels of NR columns, each laid out [k][NR], zero-padded. */
function packPanelsB(B: ArrayLike<number>, off: number, rs: number, cs: number, kc: number, nc: number): void {
  const dst = packB;
  let p = 0;
  for (let j = 0; j < nc; j += NR) {
    const w = Math.min(NR, nc - j);
    for (let kk = 0; kk < kc; kk++) {
      const row = off + kk * rs + j * cs;
      if (w === NR) {
        dst[p] = B[row]!;
        dst[p + 1] = B[row + cs]!;
        dst[p + 2] = B[row + 2 * cs]!;
        dst[p + 3] = B[row + 3 * cs]!;
      } else {
        for (let t = 0; t < NR; t++) dst[p + t] = t < w ? B[row + t * cs]! : 0;
      }
      p += NR;
    }
  }
}

/** A[mc × kc] → panels of MR rows, each laid out [k][MR], zero-padded. */
function packPanelsA(A: ArrayLike<number>, off: number, rs: number, cs: number, mc: number, kc: number): void {
  const dst = packA;
  let p = 0;
  for (let i = 0; i < mc; i += MR) {
    const h = Math.min(MR, mc - i);
    const base = off + i * rs;
    for (let kk = 0; kk < kc; kk++) {
      const col = base + kk * cs;
      if (h === MR) {
        dst[p] = A[col]!;
        dst[p + 1] = A[col + rs]!;
        dst[p + 2] = A[col + 2 * rs]!;
        dst[p + 3] = A[col + 3 * rs]!;
      } else {
        for (let t = 0; t < MR; t++) dst[p + t] = t < h ? A[col + t * rs]! : 0;
      }
      p += MR;
    }
  }
}

function macroKernel(C: Float32Array, cOff: number, ldc: number, mc: number, nc: number, kc: number): void {
  const pa = packA, pb = packB;
  for (let j = 0; j < nc; j += NR) {
    const bp = j * kc; // panel j/NR starts at (j/NR)·kc·NR
    const w = Math.min(NR, nc - j);
    for (let i = 0; i < mc; i += MR) {
      const ap = i * kc;
      const h = Math.min(MR, mc - i);
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
      let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
      let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let kk = 0, ai = ap, bi = bp; kk < kc; kk++, ai += MR, bi += NR) {
        const a0 = pa[ai]!, a1 = pa[ai + 1]!, a2 = pa[ai + 2]!, a3 = pa[ai + 3]!;
        const b0 = pb[bi]!, b1 = pb[bi + 1]!, b2 = pb[bi + 2]!, b3 = pb[bi + 3]!;
        c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
        c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
        c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
        c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
      }
      const r = cOff + i * ldc + j;
      if (h === MR && w === NR) {
        C[r] += c00; C[r + 1] += c01; C[r + 2] += c02; C[r + 3] += c03;
        const r1 = r + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
        C[r1] += c10; C[r1 + 1] += c11; C[r1 + 2] += c12; C[r1 + 3] += c13;
        C[r2] += c20; C[r2 + 1] += c21; C[r2 + 2] += c22; C[r2 + 3] += c23;
        C[r3] += c30; C[r3 + 1] += c31; C[r3 + 2] += c32; C[r3 + 3] += c33;
      } else {
        const tile = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
        for (let ii = 0; ii < h; ii++) for (let jj = 0; jj < w; jj++) C[r + ii * ldc + jj] += tile[ii * 4 + jj]!;
      }
    }
  }
}

/** int32 matmul with wrapping arithmetic (rare; a plain loop). */
export function matmulInt(
  A: ArrayLike<number>, aOff: number, aBatch: number, aRow: number, aCol: number,
  B: ArrayLike<number>, bOff: number, bBatch: number, bRow: number, bCol: number,
  C: Int32Array, batch: number, m: number, n: number, k: number,
): void {
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let acc = 0;
        let pa = aOff + b * aBatch + i * aRow, pb = bOff + b * bBatch + j * bCol;
        for (let kk = 0; kk < k; kk++, pa += aCol, pb += bRow) acc = (acc + Math.imul(A[pa]!, B[pb]!)) | 0;
        C[b * m * n + i * n + j] = acc;
      }
    }
  }
}
