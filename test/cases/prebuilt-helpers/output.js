// Module-level helpers and constants the jitted function uses are evaluated with it at
// build time; loops and control flow compile into the prebuilt kernel.
import { jit, lax, np } from "tsjit";
const STEPS = 4;
function smooth(v) {
    return v.mul(0.5).add(np.mean(v).mul(0.5));
}
export const iterate = /*#__PURE__*/ jit((x) => lax.foriLoop(0, STEPS, (_i, v) => smooth(v), x), undefined, {
    params: ["x"],
    site: "input.ts:10:24",
    prebuilt: [
        /* { lambda ; a:f32[x_0]. let
 *     j:i32[] k:f32[x_0] = scan[
 *       jaxpr={ lambda ; b:i32[] c:f32[x_0]. let
 *           d:i32[] = add b 1:i32[]
 *           e:f32[x_0] = mul c 0.5:f32[]
 *           f:f32[] = reduce_sum[axes=(0,)] c
 *           g:f32[] = div f x_0:f32[]
 *           h:f32[] = mul g 0.5:f32[]
 *           i:f32[x_0] = add e h
 *         in (d, i) }
 *       length=4
 *       num_carry=2
 *       num_consts=0
 *       reverse=False
 *     ] 0:i32[] a
 *   in (k,) }
 */
{
  version: 2,
  backend: "cpu",
  key: "",
  nargs: 1,
  tree: "[*]",
  inputs: [["float32", false, ["x_0"]]],
  out: 0,
  outTypes: [["float32", false]],
  outShapes: (d) => [[d.x_0]],
  consts: [],
  payload: {
    kernel: function (rt, consts) {
      "use strict";
      let p1 = null;
      let p2 = null;
      return function run(args, dims) {
        const d_x_0 = dims.x_0;
        const b0 = args[0];
        if (p1 === null || p1.length !== d_x_0) p1 = new Float32Array(d_x_0);
        let b1 = p1;
        if (p2 === null || p2.length !== d_x_0) p2 = new Float32Array(d_x_0);
        let b2 = p2;
        const b3 = new Float32Array(d_x_0);
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        // kernel 0: loop over []
        {
          s0 = 0;
        }
        // kernel 1: loop over [x_0]
        {
          for (let i0 = 0; i0 < d_x_0; i0++) {
            const e1 = b0[i0];
            b1[i0] = e1;
          }
        }
        for (let t2 = 0; t2 < 4; t2++) {
          s2 = t2;
          // kernel 2: loop over []
          {
            const e3 = ((s0 + 1) | 0);
            s1 = e3;
          }
          // kernel 3: loop over [x_0]
          {
            let acc9 = 0;
            for (let r7 = 0; r7 < d_x_0; r7++) {
              const e8 = b1[r7];
              acc9 = acc9 + e8;
            }
            const e10 = Math.fround(acc9);
            const e11 = Math.fround(e10 / d_x_0);
            const e12 = Math.fround(e11 * 0.5);
            for (let i4 = 0; i4 < d_x_0; i4++) {
              const e5 = b1[i4];
              const e6 = Math.fround(e5 * 0.5);
              const e13 = e6 + e12;
              b2[i4] = e13;
            }
          }
          s0 = s1;
          { const tmp = b1; b1 = b2; b2 = tmp; }
        }
        // kernel 4: loop over [x_0]
        {
          for (let i14 = 0; i14 < d_x_0; i14++) {
            const e15 = b1[i14];
            b3[i14] = e15;
          }
        }
        return [b3];
      };
    },
  },
}
    ]
});
