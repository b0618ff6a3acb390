import { jit, np } from "tsjit";

export const next = jit((i: number) => {
  let j = i;
  j++;
  return np.asarray(j);
});
