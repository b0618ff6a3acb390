// Correctness checks inside the benchmark: a fast but wrong kernel must not pass.

export interface Tolerance {
  readonly rtol: number;
  readonly atol: number;
}

/** float32 elementwise work: a few ulps (tsjit computes in float64 and rounds once). */
export const F32: Tolerance = { rtol: 1e-5, atol: 1e-6 };

/** Long float32 sums (matmul, reductions): rounding grows with the reduction length. */
export function sumTolerance(k: number): Tolerance {
  return { rtol: 1e-6 * Math.max(8, Math.sqrt(k) * 4), atol: 1e-6 * Math.max(8, Math.sqrt(k) * 4) };
}

export class MismatchError extends Error {}

/** Throws unless |actual - expected| <= atol + rtol·|expected| everywhere (same NaNs). */
export function assertClose(what: string, actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Tolerance = F32): void {
  if (actual.length !== expected.length) {
    throw new MismatchError(`${what}: ${actual.length} elements, expected ${expected.length}`);
  }
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e) ? !Number.isNaN(a) : !(Math.abs(a - e) <= tol.atol + tol.rtol * Math.abs(e))) {
      const excess = Number.isNaN(a) || Number.isNaN(e) ? Infinity : Math.abs(a - e) - tol.rtol * Math.abs(e);
      if (worst < 0 || excess > worstExcess) {
        worst = i;
        worstExcess = excess;
      }
    }
  }
  if (worst >= 0) {
    throw new MismatchError(
      `${what}: wrong result at [${worst}]: got ${actual[worst]}, expected ${expected[worst]} ` +
        `(rtol ${tol.rtol}, atol ${tol.atol})`,
    );
  }
}
