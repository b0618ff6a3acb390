import * as tsjit from "tsjit";

export const f = tsjit.jit((x: tsjit.NDArray) => {
  if (x.gt(0)) return x;
  return tsjit.np.zerosLike(x);
});
