// A call that already passes site metadata is left as it is.
import { jit } from "tsjit";
export const f = jit((x) => x.mul(2), {}, { params: ["x"], site: "custom" });
