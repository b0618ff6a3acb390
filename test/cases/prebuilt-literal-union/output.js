// A static parameter typed as a literal union: one prebuilt kernel per member.
import { jit, np } from "tsjit";
export const activation = /*#__PURE__*/ jit((x, mode) => mode === "relu" ? np.maximum(x, 0) : x.mul(0.5).mul(np.tanh(x.mul(0.7978845608)).add(1)), { staticArgnames: ["mode"] }, {
    params: ["x", "mode"],
    site: "input.ts:4:27",
    prebuilt: [
        /* { lambda ; a:f32[x_0]. let
 *     b:f32[x_0] = mul a 0.5:f32[]
 *     c:f32[x_0] = mul a 0.7978846:f32[]
 *     d:f32[x_0] = tanh c
 *     e:f32[x_0] = add d 1.0:f32[]
 *     f:f32[x_0] = mul b e
 *   in (f,) }
 */
{
  version: 2,
  backend: "cpu",
  key: "s:\"gelu\"",
  nargs: 2,
  tree: "[*]",
  inputs: [["float32", false, ["x_0"]]],
  out: 0,
  outTypes: [["float32", false]],
  outShapes: (d) => [[d.x_0]],
  consts: [],
  payload: {
    kernel: function (rt, consts) {
      "use strict";
      return function run(args, dims) {
        const d_x_0 = dims.x_0;
        const b0 = args[0];
        const b1 = new Float32Array(d_x_0);
        // kernel 0: loop over [x_0]
        {
          for (let i0 = 0; i0 < d_x_0; i0++) {
            const e1 = b0[i0];
            const e2 = Math.fround(e1 * 0.5);
            const e3 = Math.fround(e1 * 0.7978845834732056);
            const e4 = Math.fround(rt.fastTanh(e3));
            const e5 = Math.fround(e4 + 1);
            const e6 = e2 * e5;
            b1[i0] = e6;
          }
        }
        return [b1];
      };
    },
  },
},
        /* { lambda ; a:f32[x_0]. let b:f32[x_0] = max a 0.0:f32[] in (b,) }
 */
{
  version: 2,
  backend: "cpu",
  key: "s:\"relu\"",
  nargs: 2,
  tree: "[*]",
  inputs: [["float32", false, ["x_0"]]],
  out: 0,
  outTypes: [["float32", false]],
  outShapes: (d) => [[d.x_0]],
  consts: [],
  payload: {
    kernel: function (rt, consts) {
      "use strict";
      return function run(args, dims) {
        const d_x_0 = dims.x_0;
        const b0 = args[0];
        const b1 = new Float32Array(d_x_0);
        // kernel 0: loop over [x_0]
        {
          for (let i0 = 0; i0 < d_x_0; i0++) {
            const e1 = b0[i0];
            const e2 = Math.max(e1, 0);
            b1[i0] = e2;
          }
        }
        return [b1];
      };
    },
  },
}
    ]
});
