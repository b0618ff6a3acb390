// The simulation: explicit finite differences for the heat equation on a periodic 64x64
// plate, `steps` per call in one lax.foriLoop (a real loop in the kernel, not unrolled).
// Shapes are in the types, so tsjit/vite prebuilds every kernel at build time.
import { jit, lax, np, type NDArray } from "tsjit";

export const SIZE = 64;
export type Plate = NDArray<"float32", [64, 64]>;

/** The plate shifted by one cell along `axis`, wrapping around (a periodic boundary). */
function roll(v: NDArray, axis: 0 | 1): NDArray {
  const last = axis === 0 ? v.slice([SIZE - 1, SIZE]) : v.slice(":", [SIZE - 1, SIZE]);
  const rest = axis === 0 ? v.slice([0, SIZE - 1]) : v.slice(":", [0, SIZE - 1]);
  return np.concatenate([last, rest], axis);
}

function rollBack(v: NDArray, axis: 0 | 1): NDArray {
  const first = axis === 0 ? v.slice([0, 1]) : v.slice(":", [0, 1]);
  const rest = axis === 0 ? v.slice([1, SIZE]) : v.slice(":", [1, SIZE]);
  return np.concatenate([rest, first], axis);
}

/** One explicit Euler step: u + alpha * laplacian(u), with slow cooling. */
function step(u: NDArray, alpha: number): NDArray {
  const laplacian = roll(u, 0).add(rollBack(u, 0)).add(roll(u, 1)).add(rollBack(u, 1)).sub(u.mul(4));
  return u.add(laplacian.mul(alpha)).mul(0.999);
}

export const diffuse = jit((u: Plate, steps: number) => lax.foriLoop(0, steps, (_i, v) => step(v, 0.2), u), { staticArgnames: ["steps"] });

/** Adds a Gaussian spot of heat centred on (row, col); `rows`/`cols` hold each cell's indices. */
export const addHeat = jit((u: Plate, rows: Plate, cols: Plate, row: number, col: number) => {
  const d2 = rows.sub(row).mul(rows.sub(row)).add(cols.sub(col).mul(cols.sub(col)));
  return u.add(np.exp(d2.mul(-1 / 8)).mul(4));
});

/** The starting plate: cold, with three hot spots. */
export function initialPlate(): { u: Plate; rows: Plate; cols: Plate } {
  const index = np.arange(0, SIZE, 1, { dtype: "float32" });
  const rows = np.broadcastTo(index.reshape([SIZE, 1]), [SIZE, SIZE]) as Plate;
  const cols = np.broadcastTo(index.reshape([1, SIZE]), [SIZE, SIZE]) as Plate;
  let u = np.zeros([SIZE, SIZE]) as Plate;
  for (const [r, c] of [[16, 16], [40, 24], [24, 48]] as const) u = addHeat(u, rows, cols, r, c);
  return { u, rows, cols };
}
