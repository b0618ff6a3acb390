// A constant folded at compile time (exact semantics) against what the webgpu backend's
// shaders compute for the same op: within the shader's accuracy at every test point.

import { describe, expect, it } from "vitest";
import { jit, np, type NDArray } from "tsjit";
import { webgpuAvailable } from "./setup.js";
import { FOLD_OPS, FOLD_POINTS, folded, ulps } from "../helpers/fold-points.js";

describe.skipIf(!webgpuAvailable)("constant folding vs webgpu", () => {
  it("webgpu computes every folded value within float32 shader accuracy", async () => {
    const xs = np.array(FOLD_POINTS);
    const fns = FOLD_OPS.map(({ op }) => (v: NDArray) => op(v));
    const all = jit((v: NDArray) => fns.map((f) => f(v)) as unknown as NDArray, { backend: "webgpu" });
    const outs = all(xs) as unknown as NDArray[];
    for (let k = 0; k < FOLD_OPS.length; k++) {
      const { name, op } = FOLD_OPS[k]!;
      const got = await outs[k]!.data();
      FOLD_POINTS.forEach((x, i) => {
        const c = folded(op, x);
        // WGSL's exp/log/sin/cos are accurate to a few ulps (sin/cos absolutely, near zeros).
        const close = ulps(got[i]!, c) <= 8 || Math.abs(got[i]! - c) <= 2e-6;
        expect(close, `${name}(${x}): webgpu ${got[i]}, folded ${c}`).toBe(true);
      });
    }
  }, 120_000);
});
