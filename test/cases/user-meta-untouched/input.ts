// A call that already passes site metadata is left as it is.
import { jit, type NDArray } from "tsjit";

export const f = jit((x: NDArray) => x.mul(2), {}, { params: ["x"], site: "custom" });
