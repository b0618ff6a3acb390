// Values listed in the `specialize` option, for a static parameter whose type is open.
import { jit } from "tsjit";
export const scale = /*#__PURE__*/ jit((x, by) => x.mul(by), {
    staticArgnames: ["by"],
    specialize: [{ by: 0.5 }, { by: 2 }],
}, {
    params: ["x", "by"],
    site: "input.ts:4:22",
    prebuilt: [
        /* { lambda ; a:f32[x_0]. let b:f32[x_0] = mul a 0.5:f32[] in (b,) }
 */
{
  version: 2,
  backend: "cpu",
  key: "n:0.5",
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
            const e2 = e1 * 0.5;
            b1[i0] = e2;
          }
        }
        return [b1];
      };
    },
  },
},
        /* { lambda ; a:f32[x_0]. let b:f32[x_0] = mul a 2.0:f32[] in (b,) }
 */
{
  version: 2,
  backend: "cpu",
  key: "n:2",
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
            const e2 = e1 * 2;
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
