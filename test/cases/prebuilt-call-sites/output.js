// Static values from literal arguments at call sites (a const and an enum member count
// as literals); a call with a run-time value adds nothing.
import { jit, np } from "tsjit";
var Axis;
(function (Axis) {
    Axis[Axis["Rows"] = 0] = "Rows";
    Axis[Axis["Cols"] = 1] = "Cols";
})(Axis || (Axis = {}));
const LAST = -1;
export const total = /*#__PURE__*/ jit((x, axis) => np.sum(x, axis), { staticArgnames: ["axis"] }, {
    params: ["x", "axis"],
    site: "input.ts:8:22",
    prebuilt: [
        /* { lambda ; a:f32[x_0,x_1]. let b:f32[x_0] = reduce_sum[axes=(1,)] a in (b,) }
 */
{
  version: 2,
  backend: "cpu",
  key: "n:-1",
  nargs: 2,
  tree: "[*]",
  inputs: [["float32", false, ["x_0", "x_1"]]],
  out: 0,
  outTypes: [["float32", false]],
  outShapes: (d) => [[d.x_0]],
  consts: [],
  payload: {
    kernel: function (rt, consts) {
      "use strict";
      return function run(args, dims) {
        const d_x_0 = dims.x_0;
        const d_x_1 = dims.x_1;
        const b0 = args[0];
        const b1 = new Float32Array(d_x_0);
        // kernel 0: loop over [x_0]
        {
          for (let i0 = 0; i0 < d_x_0; i0++) {
            let acc3 = 0;
            for (let r1 = 0; r1 < d_x_1; r1++) {
              const e2 = b0[i0 * d_x_1 + r1];
              acc3 = acc3 + e2;
            }
            b1[i0] = acc3;
          }
        }
        return [b1];
      };
    },
  },
},
        /* { lambda ; a:f32[x_0,x_1]. let b:f32[x_0] = reduce_sum[axes=(1,)] a in (b,) }
 */
{
  version: 2,
  backend: "cpu",
  key: "n:1",
  nargs: 2,
  tree: "[*]",
  inputs: [["float32", false, ["x_0", "x_1"]]],
  out: 0,
  outTypes: [["float32", false]],
  outShapes: (d) => [[d.x_0]],
  consts: [],
  payload: {
    kernel: function (rt, consts) {
      "use strict";
      return function run(args, dims) {
        const d_x_0 = dims.x_0;
        const d_x_1 = dims.x_1;
        const b0 = args[0];
        const b1 = new Float32Array(d_x_0);
        // kernel 0: loop over [x_0]
        {
          for (let i0 = 0; i0 < d_x_0; i0++) {
            let acc3 = 0;
            for (let r1 = 0; r1 < d_x_1; r1++) {
              const e2 = b0[i0 * d_x_1 + r1];
              acc3 = acc3 + e2;
            }
            b1[i0] = acc3;
          }
        }
        return [b1];
      };
    },
  },
}
    ]
});
export function useIt(m, k) {
    return [total(m, Axis.Cols), total(m, LAST), total(m, k)];
}
