// Reading data back inside a trace: .item(), .data(), .dataSync(), .toString().
import { jit, np, type NDArray } from "tsjit";

export const normalize = jit((x: NDArray) => {
  const m = np.max(x).item();
  void x.data();
  const raw = x.dataSync();
  console.log(x.toString(), raw.length);
  return x.div(m as number);
});
