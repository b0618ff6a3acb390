// Shapes from NDArray type arguments: a named size ("batch") is shared, a literal is fixed,
// and sizes the shape rules tie together (w1's rows and x's columns) become one guard.
import { jit, np } from "tsjit";
export const mlp = /*#__PURE__*/ jit((x, p) => np.matmul(np.maximum(np.matmul(x, p.w1).add(p.b1), 0), p.w2), undefined, {
    params: ["x", "p"],
    site: "input.ts:11:20",
    prebuilt: [
        /* { lambda ; a:f32[batch,784] b:f32[p_w2_0] c:f32[784,p_w2_0] d:f32[p_w2_0,10]. let
 *     e:f32[batch,p_w2_0] = dot_general[dimension_numbers=(((1,), (0,)), ((), ())) preferred_element_type=None] a c
 *     f:f32[batch,p_w2_0] = broadcast_in_dim[broadcast_dimensions=(1,) shape=(batch, p_w2_0)] b
 *     g:f32[batch,p_w2_0] = add e f
 *     h:f32[batch,p_w2_0] = max g 0.0:f32[]
 *     i:f32[batch,10] = dot_general[dimension_numbers=(((1,), (0,)), ((), ())) preferred_element_type=None] h d
 *   in (i,) }
 */
{
  version: 2,
  backend: "cpu",
  key: "",
  nargs: 2,
  tree: "[*,{\"b1\":*,\"w1\":*,\"w2\":*}]",
  inputs: [["float32", false, ["batch", 784]], ["float32", false, ["p_w2_0"]], ["float32", false, [784, "p_w2_0"]], ["float32", false, ["p_w2_0", 10]]],
  out: 0,
  outTypes: [["float32", false]],
  outShapes: (d) => [[d.batch, 10]],
  consts: [],
  payload: {
    kernel: function (rt, consts) {
      "use strict";
      let p4 = null;
      let p5 = null;
      return function run(args, dims) {
        const d_batch = dims.batch;
        const d_p_w2_0 = dims.p_w2_0;
        const b0 = args[0];
        const b1 = args[1];
        const b2 = args[2];
        const b3 = args[3];
        if (p4 === null || p4.length !== d_batch * d_p_w2_0) p4 = new Float32Array(d_batch * d_p_w2_0);
        const b4 = p4;
        if (p5 === null || p5.length !== d_batch * d_p_w2_0) p5 = new Float32Array(d_batch * d_p_w2_0);
        const b5 = p5;
        const b6 = new Float32Array(10 * d_batch);
        // kernel 0: matmul 1xbatchx784 @ 784xp_w2_0
        rt.matmul(b0, 0, 0, 784, 1, b2, 0, 0, d_p_w2_0, 1, b4, 1, d_batch, d_p_w2_0, 784);
        // kernel 1: loop over [batch, p_w2_0]
        {
          for (let i0 = 0; i0 < d_batch; i0++) {
            for (let i1 = 0; i1 < d_p_w2_0; i1++) {
              const e2 = b4[i0 * d_p_w2_0 + i1];
              const e3 = b1[i1];
              const e4 = Math.fround(e2 + e3);
              const e5 = Math.max(e4, 0);
              b5[i0 * d_p_w2_0 + i1] = e5;
            }
          }
        }
        // kernel 2: matmul 1xbatchxp_w2_0 @ p_w2_0x10
        rt.matmul(b5, 0, 0, d_p_w2_0, 1, b3, 0, 0, 10, 1, b6, 1, d_batch, 10, d_p_w2_0);
        return [b6];
      };
    },
  },
}
    ]
});
