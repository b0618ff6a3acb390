// A static position at or past a rest parameter makes one element of the rest static, not
// the whole rest: with staticArgnums: [5], `args[0]` is still traced.
import { jit, np, type NDArray } from "tsjit";

export const first = jit((...args: NDArray[]) => {
  if (args[0]) return args[0];
  return np.zeros([1]);
}, { staticArgnums: [5] });

// A literal index is precise: rest[0] is argument 1 (static), rest[1] is argument 2 (traced).
export const scaled = jit((x: NDArray, ...rest: number[]) => {
  if (rest[0]! > 1) return x.mul(rest[0]!);
  if (rest[1]! > 0) return x;
  return x.neg();
}, { staticArgnums: [1] });

// A negative position counts from the end of the parameter list, as at run time: -1 is rest[0].
export const negative = jit((x: NDArray, ...rest: number[]) => (rest[0]! > 0 ? x : x.neg()), { staticArgnums: [-1] });

// Any other index may reach a traced element.
export const dynamicIndex = jit((...args: number[]) => {
  const i = 1;
  return args[i]! > 0 ? np.asarray(1) : np.asarray(0);
}, { staticArgnums: [1] });

// A destructured rest: its static element is static.
export const pattern = jit((...[n, y]: [number, NDArray]) => (n > 0 ? y : y.neg()), { staticArgnums: [0] });
