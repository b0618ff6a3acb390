// More known static values than maxSpecializations: the first ones are prebuilt, with a note.
import { jit } from "tsjit";
export const pick = /*#__PURE__*/ jit((x, k) => x.mul(k), { staticArgnames: ["k"] }, {
    params: ["x", "k"],
    site: "input.ts:4:21",
    prebuilt: [
        /* { lambda ; a:f32[x_0]. let b:f32[x_0] = mul a 1.0:f32[] in (b,) }
 */
{
  version: 2,
  backend: "cpu",
  key: "n:1",
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
        return [b0];
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
