// prebuiltBackends: ["cpu", "webgpu"] gives each specialization one entry per backend. A
// webgpu entry needs concrete sizes: fixed shapes get one; symbolic ones get entries for the
// shapes seen at call sites, else a note. A name that is not a backend is a warning. (wasm
// entries, module bytes that change with its code generator, are tested in test/wasm.)
import { jit, np, type NDArray } from "tsjit";

export const scale = jit((x: NDArray<"float32", [4]>, k: 2 | 3) => x.mul(k).sum(), { staticArgnames: ["k"] });

export const norm = jit((x: NDArray<"float32", [number, 2]>) => x.div(x.max()));
norm(np.zeros([3, 2]));

export const unseen = jit((x: NDArray<"float32", ["n"]>) => np.exp(x));
