// Sites that are traced at run time get a note saying why (with notes enabled).
import { jit } from "tsjit";
let gain = 2;
export const mutable = /*#__PURE__*/ jit((x) => x.mul(gain), undefined, { params: ["x"], site: "input.ts:5:24" });
export const untyped = /*#__PURE__*/ jit((x) => x.mul(2), undefined, {
    params: ["x"],
    site: "input.ts:7:24",
    prebuilt: [
        /* { lambda ; a:f32[size]. let b:f32[size] = mul a 2.0:f32[] in (b,) }
 */
{
  version: 2,
  backend: "cpu",
  key: "",
  nargs: 1,
  tree: "[*]",
  flat: "size",
  inputs: [["float32", false, ["size"]]],
  out: 0,
  outTypes: [["float32", false]],
  outShapes: (d) => [[d.size]],
  consts: [],
  payload: {
    kernel: function (rt, consts) {
      "use strict";
      return function run(args, dims) {
        const d_size = dims.size;
        const b0 = args[0];
        const b1 = new Float32Array(d_size);
        // kernel 0: loop over [size]
        {
          for (let i0 = 0; i0 < d_size; i0++) {
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
export function factory(k) {
    return /*#__PURE__*/ jit((x) => x.mul(k), undefined, { params: ["x"], site: "input.ts:10:10" });
}
export const unknownStatic = /*#__PURE__*/ jit((x, n) => x.mul(n), { staticArgnames: ["n"] }, { params: ["x", "n"], site: "input.ts:13:30" });
export const needsSize = /*#__PURE__*/ jit((x) => x.reshape(x.shape[0] / 2, 2), undefined, { params: ["x"], site: "input.ts:15:26" });
export const fine = /*#__PURE__*/ jit((x) => x.add(1), undefined, {
    params: ["x"],
    site: "input.ts:17:21",
    prebuilt: [
        /* { lambda ; a:f32[3]. let b:f32[3] = add a 1.0:f32[] in (b,) }
 */
{
  version: 2,
  backend: "cpu",
  key: "",
  nargs: 1,
  tree: "[*]",
  inputs: [["float32", false, [3]]],
  out: 0,
  outTypes: [["float32", false]],
  outShapes: (d) => [[3]],
  consts: [],
  payload: {
    kernel: function (rt, consts) {
      "use strict";
      return function run(args) {
        const b0 = args[0];
        const b1 = new Float32Array(3);
        // kernel 0: loop over [3]
        {
          for (let i0 = 0; i0 < 3; i0++) {
            const e1 = b0[i0];
            const e2 = e1 + 1;
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
