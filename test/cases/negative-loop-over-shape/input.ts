import { jit, np, type NDArray } from "tsjit";

export const rowSum = jit((x: NDArray) => {
  let acc = np.zeros([x.shape[1]!]);
  for (let i = 0; i < x.shape[0]!; i++) {
    acc = acc.add(x.slice(i));
  }
  return acc;
});
