// A /** @jit */ function with a boolean static parameter: kernels for true and false.
import { np } from "tsjit";
import * as tsjit_1 from "tsjit";
var dropoutFree_jitted = /*#__PURE__*/ tsjit_1.jitDeclaration(dropoutFree, dropoutFree_jit, dropoutFree_jitted);
/**
 * @jit
 * @static training
 */
export function dropoutFree(x, training) {
    return dropoutFree_jit()(...arguments);
}
function dropoutFree_jit() {
    return dropoutFree_jitted ??= tsjit_1.jit(function dropoutFree(x, training) {
        return training ? x.mul(0.9) : np.maximum(x, 0);
    }, { staticArgnames: ["training"] }, {
        params: ["x", "training"],
        site: "input.ts:8:1",
        prebuilt: [
            /* { lambda ; a:f32[x_0]. let b:f32[x_0] = max a 0.0:f32[] in (b,) }
 */
{
  version: 2,
  backend: "cpu",
  key: "b:0",
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
},
            /* { lambda ; a:f32[x_0]. let b:f32[x_0] = mul a 0.9:f32[] in (b,) }
 */
{
  version: 2,
  backend: "cpu",
  key: "b:1",
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
            const e2 = e1 * 0.8999999761581421;
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
}
