// Creating the jitted function per iteration: every call retraces.
import { jit, np, type NDArray } from "tsjit";

for (const s of [1, 2, 3]) {
  const scaled = jit((x: NDArray) => x.mul(s));
  console.log(scaled(np.ones([2])).toString());
}

let i = 0;
while (i < 3) {
  jit((x: NDArray) => x.add(1))(np.ones([2]));
  i++;
}
