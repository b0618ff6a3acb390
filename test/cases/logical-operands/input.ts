// `a || b` tests `a`; in an `if`, every operand of `&&` is tested.
import { jit, np, type NDArray } from "tsjit";

export const pick = jit((a: number, b: number) => np.asarray(a || b));

export const gate = jit((x: NDArray, flag: boolean) => {
  if (flag && x.sum().gt(0)) return x;
  return x.neg();
}, { staticArgnames: ["flag"] });
