// TS990007: an NDArray tested for truthiness is always true, eagerly as in jit: an array is
// an object. Reported everywhere; a nullable array is a presence check and is not.
import { jit, np, type NDArray } from "tsjit";

export function eager(v: number[], maybe: NDArray | undefined, count: () => number) {
  const total = np.array(v).sum();
  if (total.gt(0)) console.log("positive");
  while (np.any(total.lt(0))) break;
  const sign = total.gt(0) ? 1 : -1;
  const none = !total.gt(0);
  total.gt(1) && console.log("large");
  const either = total || np.zeros([1]);
  if (Boolean(total.ne(total))) console.log("nan");
  if (sign > 0 && total.eq(0)) console.log("zero");
  // Not reported: reading the value, a presence check, a number.
  if (total.gt(0).item()) console.log("positive");
  if (maybe) console.log("present");
  if (maybe && maybe.gt(0).item()) console.log("present and positive");
  if (count()) console.log("some");
  return [sign, none, either] as const;
}

// Inside jit, a traced condition is TS990001 (not reported twice); an array that is not
// traced (a constant) is still always truthy.
export const f = jit((x: NDArray) => {
  if (x.gt(0)) return x;
  if (np.array([1, 2]).sum().gt(2)) return x.neg();
  return x;
});
