// Values listed in the `specialize` option, for a static parameter whose type is open.
import { jit, type NDArray } from "tsjit";

export const scale = jit((x: NDArray<"float32", [number]>, by: number) => x.mul(by), {
  staticArgnames: ["by"],
  specialize: [{ by: 0.5 }, { by: 2 }],
});
