// jit(grad(loss)) and friends are specialized at build time like any other site: the build
// sees through grad, valueAndGrad and vmap to loss (its parameter types give the specs,
// its literal-union parameter the static values), applies the transformations with their
// literal options, and traces the result. vjp/jvp inside a jitted function trace as they
// run. Options the build cannot read leave the site traced at run time, with the rule.
import { grad, jit, jvp, np, valueAndGrad, vjp, vmap } from "tsjit";
function loss(w, x, scale) {
    return np.tanh(np.matmul(x, w)).mul(scale).sum();
}
export const step = /*#__PURE__*/ jit(grad(loss), { staticArgnames: ["scale"] }, {
    params: ["w", "x", "scale"],
    site: "input.ts:12:21",
    prebuilt: [
        /* { lambda ; a:f32[3,2] b:f32[batch,3]. let
 *     c:f32[batch,2] = dot_general[dimension_numbers=(((1,), (0,)), ((), ())) preferred_element_type=None] b a
 *     d:f32[batch,2] = tanh c
 *     e:f32[batch,2] = mul d d
 *     f:f32[batch,2] = sub 1.0:f32[] e
 *     g:f32[batch,2] = mul d 1.0:f32[]
 *     h:f32[] = reduce_sum[axes=(0, 1)] g
 *     i:f32[] = broadcast_in_dim[broadcast_dimensions=() shape=()] 1.0:f32[]
 *     j:f32[batch,2] = broadcast_in_dim[broadcast_dimensions=() shape=(batch, 2)] i
 *     k:f32[batch,2] = mul j 1.0:f32[]
 *     l:f32[batch,2] = mul k f
 *     m:f32[2,3] = dot_general[dimension_numbers=(((0,), (0,)), ((), ())) preferred_element_type=None] l b
 *     n:f32[3,2] = transpose[permutation=(1, 0)] m
 *   in (n,) }
 */
{
  version: 2,
  backend: "cpu",
  key: "n:1",
  nargs: 3,
  tree: "[*,*]",
  inputs: [["float32", false, [3, 2]], ["float32", false, ["batch", 3]]],
  out: 0,
  outTypes: [["float32", false]],
  outShapes: (d) => [[3, 2]],
  consts: [],
  payload: {
    kernel: function (rt, consts) {
      "use strict";
      let p2 = null;
      let p3 = null;
      let p4 = null;
      const p5 = new Float32Array(6);
      return function run(args, dims) {
        const d_batch = dims.batch;
        const b0 = args[0];
        const b1 = args[1];
        if (p2 === null || p2.length !== 2 * d_batch) p2 = new Float32Array(2 * d_batch);
        const b2 = p2;
        if (p3 === null || p3.length !== 2 * d_batch) p3 = new Float32Array(2 * d_batch);
        const b3 = p3;
        if (p4 === null || p4.length !== 2 * d_batch) p4 = new Float32Array(2 * d_batch);
        const b4 = p4;
        const b5 = p5;
        const b6 = new Float32Array(6);
        // kernel 0: matmul 1xbatchx3 @ 3x2
        rt.matmul(b1, 0, 0, 3, 1, b0, 0, 0, 2, 1, b2, 1, d_batch, 2, 3);
        // kernel 1: loop over [batch, 2]
        {
          for (let i0 = 0; i0 < 2 * d_batch; i0++) {
            const e1 = b2[i0];
            const e2 = rt.fastTanh(e1);
            b3[i0] = e2;
          }
        }
        // kernel 2: loop over [batch, 2]
        {
          for (let i3 = 0; i3 < 2 * d_batch; i3++) {
            const e4 = b3[i3];
            const e5 = Math.fround(e4 * e4);
            const e6 = Math.fround(1 - e5);
            const e7 = 1 * e6;
            b4[i3] = e7;
          }
        }
        // kernel 3: matmul 1x2xbatch @ batchx3
        rt.matmul(b4, 0, 0, 1, 2, b1, 0, 0, 3, 1, b5, 1, 2, 3, d_batch);
        // kernel 4: loop over [3, 2]
        {
          for (let i8 = 0; i8 < 3; i8++) {
            for (let i9 = 0; i9 < 2; i9++) {
              const e10 = b5[i8 + i9 * 3];
              b6[i8 * 2 + i9] = e10;
            }
          }
        }
        return [b6];
      };
    },
  },
},
        /* { lambda ; a:f32[3,2] b:f32[batch,3]. let
 *     c:f32[batch,2] = dot_general[dimension_numbers=(((1,), (0,)), ((), ())) preferred_element_type=None] b a
 *     d:f32[batch,2] = tanh c
 *     e:f32[batch,2] = mul d d
 *     f:f32[batch,2] = sub 1.0:f32[] e
 *     g:f32[batch,2] = mul d 2.0:f32[]
 *     h:f32[] = reduce_sum[axes=(0, 1)] g
 *     i:f32[] = broadcast_in_dim[broadcast_dimensions=() shape=()] 1.0:f32[]
 *     j:f32[batch,2] = broadcast_in_dim[broadcast_dimensions=() shape=(batch, 2)] i
 *     k:f32[batch,2] = mul j 2.0:f32[]
 *     l:f32[batch,2] = mul k f
 *     m:f32[2,3] = dot_general[dimension_numbers=(((0,), (0,)), ((), ())) preferred_element_type=None] l b
 *     n:f32[3,2] = transpose[permutation=(1, 0)] m
 *   in (n,) }
 */
{
  version: 2,
  backend: "cpu",
  key: "n:2",
  nargs: 3,
  tree: "[*,*]",
  inputs: [["float32", false, [3, 2]], ["float32", false, ["batch", 3]]],
  out: 0,
  outTypes: [["float32", false]],
  outShapes: (d) => [[3, 2]],
  consts: [],
  payload: {
    kernel: function (rt, consts) {
      "use strict";
      let p2 = null;
      let p3 = null;
      let p4 = null;
      const p5 = new Float32Array(6);
      return function run(args, dims) {
        const d_batch = dims.batch;
        const b0 = args[0];
        const b1 = args[1];
        if (p2 === null || p2.length !== 2 * d_batch) p2 = new Float32Array(2 * d_batch);
        const b2 = p2;
        if (p3 === null || p3.length !== 2 * d_batch) p3 = new Float32Array(2 * d_batch);
        const b3 = p3;
        if (p4 === null || p4.length !== 2 * d_batch) p4 = new Float32Array(2 * d_batch);
        const b4 = p4;
        const b5 = p5;
        const b6 = new Float32Array(6);
        // kernel 0: matmul 1xbatchx3 @ 3x2
        rt.matmul(b1, 0, 0, 3, 1, b0, 0, 0, 2, 1, b2, 1, d_batch, 2, 3);
        // kernel 1: loop over [batch, 2]
        {
          for (let i0 = 0; i0 < 2 * d_batch; i0++) {
            const e1 = b2[i0];
            const e2 = rt.fastTanh(e1);
            b3[i0] = e2;
          }
        }
        // kernel 2: loop over [batch, 2]
        {
          const e4 = Math.fround(1 * 2);
          for (let i3 = 0; i3 < 2 * d_batch; i3++) {
            const e5 = b3[i3];
            const e6 = Math.fround(e5 * e5);
            const e7 = Math.fround(1 - e6);
            const e8 = e4 * e7;
            b4[i3] = e8;
          }
        }
        // kernel 3: matmul 1x2xbatch @ batchx3
        rt.matmul(b4, 0, 0, 1, 2, b1, 0, 0, 3, 1, b5, 1, 2, 3, d_batch);
        // kernel 4: loop over [3, 2]
        {
          for (let i9 = 0; i9 < 3; i9++) {
            for (let i10 = 0; i10 < 2; i10++) {
              const e11 = b5[i9 + i10 * 3];
              b6[i9 * 2 + i10] = e11;
            }
          }
        }
        return [b6];
      };
    },
  },
}
    ]
});
const both = { argnums: [0, 1] };
export const valueAndGrads = /*#__PURE__*/ jit(valueAndGrad(loss, both), { staticArgnums: [2] }, {
    params: ["w", "x", "scale"],
    site: "input.ts:15:30",
    prebuilt: [
        /* { lambda ; a:f32[3,2] b:f32[batch,3]. let
 *     c:f32[batch,2] = dot_general[dimension_numbers=(((1,), (0,)), ((), ())) preferred_element_type=None] b a
 *     d:f32[batch,2] = tanh c
 *     e:f32[batch,2] = mul d d
 *     f:f32[batch,2] = sub 1.0:f32[] e
 *     g:f32[batch,2] = mul d 1.0:f32[]
 *     h:f32[] = reduce_sum[axes=(0, 1)] g
 *     i:f32[] = broadcast_in_dim[broadcast_dimensions=() shape=()] 1.0:f32[]
 *     j:f32[batch,2] = broadcast_in_dim[broadcast_dimensions=() shape=(batch, 2)] i
 *     k:f32[batch,2] = mul j 1.0:f32[]
 *     l:f32[batch,2] = mul k f
 *     m:f32[2,3] = dot_general[dimension_numbers=(((0,), (0,)), ((), ())) preferred_element_type=None] l b
 *     n:f32[3,2] = transpose[permutation=(1, 0)] m
 *     o:f32[batch,3] = dot_general[dimension_numbers=(((1,), (1,)), ((), ())) preferred_element_type=None] l a
 *   in (h, n, o) }
 */
{
  version: 2,
  backend: "cpu",
  key: "n:1",
  nargs: 3,
  tree: "[*,*]",
  inputs: [["float32", false, [3, 2]], ["float32", false, ["batch", 3]]],
  out: [0, [0, 0]],
  outTypes: [["float32", false], ["float32", false], ["float32", false]],
  outShapes: (d) => [[], [3, 2], [d.batch, 3]],
  consts: [],
  payload: {
    kernel: function (rt, consts) {
      "use strict";
      let p2 = null;
      let p3 = null;
      let p4 = null;
      const p5 = new Float32Array(6);
      return function run(args, dims) {
        const d_batch = dims.batch;
        const b0 = args[0];
        const b1 = args[1];
        if (p2 === null || p2.length !== 2 * d_batch) p2 = new Float32Array(2 * d_batch);
        const b2 = p2;
        if (p3 === null || p3.length !== 2 * d_batch) p3 = new Float32Array(2 * d_batch);
        const b3 = p3;
        if (p4 === null || p4.length !== 2 * d_batch) p4 = new Float32Array(2 * d_batch);
        const b4 = p4;
        const b5 = p5;
        const b6 = new Float32Array(3 * d_batch);
        const b7 = new Float32Array(1);
        const b8 = new Float32Array(6);
        // kernel 0: matmul 1xbatchx3 @ 3x2
        rt.matmul(b1, 0, 0, 3, 1, b0, 0, 0, 2, 1, b2, 1, d_batch, 2, 3);
        // kernel 1: loop over [batch, 2]
        {
          for (let i0 = 0; i0 < 2 * d_batch; i0++) {
            const e1 = b2[i0];
            const e2 = rt.fastTanh(e1);
            b3[i0] = e2;
          }
        }
        // kernel 2: loop over [batch, 2]
        {
          for (let i3 = 0; i3 < 2 * d_batch; i3++) {
            const e4 = b3[i3];
            const e5 = Math.fround(e4 * e4);
            const e6 = Math.fround(1 - e5);
            const e7 = 1 * e6;
            b4[i3] = e7;
          }
        }
        // kernel 3: matmul 1x2xbatch @ batchx3
        rt.matmul(b4, 0, 0, 1, 2, b1, 0, 0, 3, 1, b5, 1, 2, 3, d_batch);
        // kernel 4: matmul 1xbatchx2 @ 2x3
        rt.matmul(b4, 0, 0, 2, 1, b0, 0, 0, 1, 2, b6, 1, d_batch, 3, 2);
        // kernel 5: loop over []
        {
          let acc10 = 0;
          for (let r8 = 0; r8 < 2 * d_batch; r8++) {
            const e9 = b3[r8];
            acc10 = acc10 + e9;
          }
          b7[0] = acc10;
        }
        // kernel 6: loop over [3, 2]
        {
          for (let i11 = 0; i11 < 3; i11++) {
            for (let i12 = 0; i12 < 2; i12++) {
              const e13 = b5[i11 + i12 * 3];
              b8[i11 * 2 + i12] = e13;
            }
          }
        }
        return [b7, b8, b6];
      };
    },
  },
},
        /* { lambda ; a:f32[3,2] b:f32[batch,3]. let
 *     c:f32[batch,2] = dot_general[dimension_numbers=(((1,), (0,)), ((), ())) preferred_element_type=None] b a
 *     d:f32[batch,2] = tanh c
 *     e:f32[batch,2] = mul d d
 *     f:f32[batch,2] = sub 1.0:f32[] e
 *     g:f32[batch,2] = mul d 2.0:f32[]
 *     h:f32[] = reduce_sum[axes=(0, 1)] g
 *     i:f32[] = broadcast_in_dim[broadcast_dimensions=() shape=()] 1.0:f32[]
 *     j:f32[batch,2] = broadcast_in_dim[broadcast_dimensions=() shape=(batch, 2)] i
 *     k:f32[batch,2] = mul j 2.0:f32[]
 *     l:f32[batch,2] = mul k f
 *     m:f32[2,3] = dot_general[dimension_numbers=(((0,), (0,)), ((), ())) preferred_element_type=None] l b
 *     n:f32[3,2] = transpose[permutation=(1, 0)] m
 *     o:f32[batch,3] = dot_general[dimension_numbers=(((1,), (1,)), ((), ())) preferred_element_type=None] l a
 *   in (h, n, o) }
 */
{
  version: 2,
  backend: "cpu",
  key: "n:2",
  nargs: 3,
  tree: "[*,*]",
  inputs: [["float32", false, [3, 2]], ["float32", false, ["batch", 3]]],
  out: [0, [0, 0]],
  outTypes: [["float32", false], ["float32", false], ["float32", false]],
  outShapes: (d) => [[], [3, 2], [d.batch, 3]],
  consts: [],
  payload: {
    kernel: function (rt, consts) {
      "use strict";
      let p2 = null;
      let p3 = null;
      let p4 = null;
      const p5 = new Float32Array(6);
      return function run(args, dims) {
        const d_batch = dims.batch;
        const b0 = args[0];
        const b1 = args[1];
        if (p2 === null || p2.length !== 2 * d_batch) p2 = new Float32Array(2 * d_batch);
        const b2 = p2;
        if (p3 === null || p3.length !== 2 * d_batch) p3 = new Float32Array(2 * d_batch);
        const b3 = p3;
        if (p4 === null || p4.length !== 2 * d_batch) p4 = new Float32Array(2 * d_batch);
        const b4 = p4;
        const b5 = p5;
        const b6 = new Float32Array(3 * d_batch);
        const b7 = new Float32Array(1);
        const b8 = new Float32Array(6);
        // kernel 0: matmul 1xbatchx3 @ 3x2
        rt.matmul(b1, 0, 0, 3, 1, b0, 0, 0, 2, 1, b2, 1, d_batch, 2, 3);
        // kernel 1: loop over [batch, 2]
        {
          for (let i0 = 0; i0 < 2 * d_batch; i0++) {
            const e1 = b2[i0];
            const e2 = rt.fastTanh(e1);
            b3[i0] = e2;
          }
        }
        // kernel 2: loop over [batch, 2]
        {
          const e4 = Math.fround(1 * 2);
          for (let i3 = 0; i3 < 2 * d_batch; i3++) {
            const e5 = b3[i3];
            const e6 = Math.fround(e5 * e5);
            const e7 = Math.fround(1 - e6);
            const e8 = e4 * e7;
            b4[i3] = e8;
          }
        }
        // kernel 3: matmul 1x2xbatch @ batchx3
        rt.matmul(b4, 0, 0, 1, 2, b1, 0, 0, 3, 1, b5, 1, 2, 3, d_batch);
        // kernel 4: matmul 1xbatchx2 @ 2x3
        rt.matmul(b4, 0, 0, 2, 1, b0, 0, 0, 1, 2, b6, 1, d_batch, 3, 2);
        // kernel 5: loop over []
        {
          let acc12 = 0;
          for (let r9 = 0; r9 < 2 * d_batch; r9++) {
            const e10 = b3[r9];
            const e11 = Math.fround(e10 * 2);
            acc12 = acc12 + e11;
          }
          b7[0] = acc12;
        }
        // kernel 6: loop over [3, 2]
        {
          for (let i13 = 0; i13 < 3; i13++) {
            for (let i14 = 0; i14 < 2; i14++) {
              const e15 = b5[i13 + i14 * 3];
              b8[i13 * 2 + i14] = e15;
            }
          }
        }
        return [b7, b8, b6];
      };
    },
  },
}
    ]
});
export const perExample = /*#__PURE__*/ jit(vmap(grad(loss), { inAxes: [null, 0, null] }), { staticArgnums: [2] }, {
    params: ["w", "x", "scale"],
    site: "input.ts:17:27",
    prebuilt: [
        /* { lambda ; a:f32[3,2] b:f32[vmap_0,batch,3]. let
 *     c:f32[vmap_0,batch,2] = dot_general[dimension_numbers=(((2,), (0,)), ((), ())) preferred_element_type=None] b a
 *     d:f32[vmap_0,batch,2] = tanh c
 *     e:f32[vmap_0,batch,2] = mul d d
 *     f:f32[vmap_0,batch,2] = sub 1.0:f32[] e
 *     g:f32[vmap_0,batch,2] = mul d 1.0:f32[]
 *     h:f32[vmap_0] = reduce_sum[axes=(1, 2)] g
 *     i:f32[] = broadcast_in_dim[broadcast_dimensions=() shape=()] 1.0:f32[]
 *     j:f32[batch,2] = broadcast_in_dim[broadcast_dimensions=() shape=(batch, 2)] i
 *     k:f32[batch,2] = mul j 1.0:f32[]
 *     l:f32[vmap_0,batch,2] = broadcast_in_dim[broadcast_dimensions=(1, 2) shape=(vmap_0, batch, 2)] k
 *     m:f32[vmap_0,batch,2] = mul l f
 *     n:f32[vmap_0,2,3] = dot_general[dimension_numbers=(((1,), (1,)), ((0,), (0,))) preferred_element_type=None] m b
 *     o:f32[vmap_0,3,2] = transpose[permutation=(0, 2, 1)] n
 *   in (o,) }
 */
{
  version: 2,
  backend: "cpu",
  key: "n:1",
  nargs: 3,
  tree: "[*,*]",
  inputs: [["float32", false, [3, 2]], ["float32", false, ["vmap_0", "batch", 3]]],
  out: 0,
  outTypes: [["float32", false]],
  outShapes: (d) => [[d.vmap_0, 3, 2]],
  consts: [],
  payload: {
    kernel: function (rt, consts) {
      "use strict";
      let p2 = null;
      let p3 = null;
      let p4 = null;
      let p5 = null;
      return function run(args, dims) {
        const d_batch = dims.batch;
        const d_vmap_0 = dims.vmap_0;
        const b0 = args[0];
        const b1 = args[1];
        if (p2 === null || p2.length !== 2 * d_batch * d_vmap_0) p2 = new Float32Array(2 * d_batch * d_vmap_0);
        const b2 = p2;
        if (p3 === null || p3.length !== 2 * d_batch * d_vmap_0) p3 = new Float32Array(2 * d_batch * d_vmap_0);
        const b3 = p3;
        if (p4 === null || p4.length !== 2 * d_batch * d_vmap_0) p4 = new Float32Array(2 * d_batch * d_vmap_0);
        const b4 = p4;
        if (p5 === null || p5.length !== 6 * d_vmap_0) p5 = new Float32Array(6 * d_vmap_0);
        const b5 = p5;
        const b6 = new Float32Array(6 * d_vmap_0);
        // kernel 0: matmul 1xbatch*vmap_0x3 @ 3x2
        rt.matmul(b1, 0, 0, 3, 1, b0, 0, 0, 2, 1, b2, 1, d_batch * d_vmap_0, 2, 3);
        // kernel 1: loop over [vmap_0, batch, 2]
        {
          for (let i0 = 0; i0 < 2 * d_batch * d_vmap_0; i0++) {
            const e1 = b2[i0];
            const e2 = rt.fastTanh(e1);
            b3[i0] = e2;
          }
        }
        // kernel 2: loop over [vmap_0, batch, 2]
        {
          for (let i3 = 0; i3 < 2 * d_batch * d_vmap_0; i3++) {
            const e4 = b3[i3];
            const e5 = Math.fround(e4 * e4);
            const e6 = Math.fround(1 - e5);
            const e7 = 1 * e6;
            b4[i3] = e7;
          }
        }
        // kernel 3: matmul vmap_0x2xbatch @ batchx3
        rt.matmul(b4, 0, 2 * d_batch, 1, 2, b1, 0, 3 * d_batch, 3, 1, b5, d_vmap_0, 2, 3, d_batch);
        // kernel 4: loop over [vmap_0, 3, 2]
        {
          for (let i8 = 0; i8 < d_vmap_0; i8++) {
            for (let i9 = 0; i9 < 3; i9++) {
              for (let i10 = 0; i10 < 2; i10++) {
                const e11 = b5[i8 * 6 + i9 + i10 * 3];
                b6[i8 * 6 + i9 * 2 + i10] = e11;
              }
            }
          }
        }
        return [b6];
      };
    },
  },
},
        /* { lambda ; a:f32[3,2] b:f32[vmap_0,batch,3]. let
 *     c:f32[vmap_0,batch,2] = dot_general[dimension_numbers=(((2,), (0,)), ((), ())) preferred_element_type=None] b a
 *     d:f32[vmap_0,batch,2] = tanh c
 *     e:f32[vmap_0,batch,2] = mul d d
 *     f:f32[vmap_0,batch,2] = sub 1.0:f32[] e
 *     g:f32[vmap_0,batch,2] = mul d 2.0:f32[]
 *     h:f32[vmap_0] = reduce_sum[axes=(1, 2)] g
 *     i:f32[] = broadcast_in_dim[broadcast_dimensions=() shape=()] 1.0:f32[]
 *     j:f32[batch,2] = broadcast_in_dim[broadcast_dimensions=() shape=(batch, 2)] i
 *     k:f32[batch,2] = mul j 2.0:f32[]
 *     l:f32[vmap_0,batch,2] = broadcast_in_dim[broadcast_dimensions=(1, 2) shape=(vmap_0, batch, 2)] k
 *     m:f32[vmap_0,batch,2] = mul l f
 *     n:f32[vmap_0,2,3] = dot_general[dimension_numbers=(((1,), (1,)), ((0,), (0,))) preferred_element_type=None] m b
 *     o:f32[vmap_0,3,2] = transpose[permutation=(0, 2, 1)] n
 *   in (o,) }
 */
{
  version: 2,
  backend: "cpu",
  key: "n:2",
  nargs: 3,
  tree: "[*,*]",
  inputs: [["float32", false, [3, 2]], ["float32", false, ["vmap_0", "batch", 3]]],
  out: 0,
  outTypes: [["float32", false]],
  outShapes: (d) => [[d.vmap_0, 3, 2]],
  consts: [],
  payload: {
    kernel: function (rt, consts) {
      "use strict";
      let p2 = null;
      let p3 = null;
      let p4 = null;
      let p5 = null;
      let p6 = null;
      return function run(args, dims) {
        const d_batch = dims.batch;
        const d_vmap_0 = dims.vmap_0;
        const b0 = args[0];
        const b1 = args[1];
        if (p2 === null || p2.length !== 2 * d_batch * d_vmap_0) p2 = new Float32Array(2 * d_batch * d_vmap_0);
        const b2 = p2;
        if (p3 === null || p3.length !== 2 * d_batch * d_vmap_0) p3 = new Float32Array(2 * d_batch * d_vmap_0);
        const b3 = p3;
        if (p4 === null || p4.length !== 2 * d_batch) p4 = new Float32Array(2 * d_batch);
        const b4 = p4;
        if (p5 === null || p5.length !== 2 * d_batch * d_vmap_0) p5 = new Float32Array(2 * d_batch * d_vmap_0);
        const b5 = p5;
        if (p6 === null || p6.length !== 6 * d_vmap_0) p6 = new Float32Array(6 * d_vmap_0);
        const b6 = p6;
        const b7 = new Float32Array(6 * d_vmap_0);
        // kernel 0: matmul 1xbatch*vmap_0x3 @ 3x2
        rt.matmul(b1, 0, 0, 3, 1, b0, 0, 0, 2, 1, b2, 1, d_batch * d_vmap_0, 2, 3);
        // kernel 1: loop over [vmap_0, batch, 2]
        {
          for (let i0 = 0; i0 < 2 * d_batch * d_vmap_0; i0++) {
            const e1 = b2[i0];
            const e2 = rt.fastTanh(e1);
            b3[i0] = e2;
          }
        }
        // kernel 2: loop over [batch, 2]
        {
          const e4 = 1 * 2;
          for (let i3 = 0; i3 < 2 * d_batch; i3++) {
            b4[i3] = e4;
          }
        }
        // kernel 3: loop over [vmap_0, batch, 2]
        {
          for (let i5 = 0; i5 < d_vmap_0; i5++) {
            for (let i6 = 0; i6 < 2 * d_batch; i6++) {
              const e7 = b4[i6];
              const e8 = b3[i5 * 2 * d_batch + i6];
              const e9 = Math.fround(e8 * e8);
              const e10 = Math.fround(1 - e9);
              const e11 = e7 * e10;
              b5[i5 * 2 * d_batch + i6] = e11;
            }
          }
        }
        // kernel 4: matmul vmap_0x2xbatch @ batchx3
        rt.matmul(b5, 0, 2 * d_batch, 1, 2, b1, 0, 3 * d_batch, 3, 1, b6, d_vmap_0, 2, 3, d_batch);
        // kernel 5: loop over [vmap_0, 3, 2]
        {
          for (let i12 = 0; i12 < d_vmap_0; i12++) {
            for (let i13 = 0; i13 < 3; i13++) {
              for (let i14 = 0; i14 < 2; i14++) {
                const e15 = b6[i12 * 6 + i13 + i14 * 3];
                b7[i12 * 6 + i13 * 2 + i14] = e15;
              }
            }
          }
        }
        return [b7];
      };
    },
  },
}
    ]
});
export const pullback = /*#__PURE__*/ jit((w, x) => vjp((v) => np.tanh(np.matmul(x, v)), w)[1](np.ones([4, 2]))[0], undefined, {
    params: ["w", "x"],
    site: "input.ts:19:25",
    prebuilt: [
        /* { lambda ; a:f32[3,2] b:f32[4,3]. let
 *     c:f32[4,2] = dot_general[dimension_numbers=(((1,), (0,)), ((), ())) preferred_element_type=None] b a
 *     d:f32[4,2] = tanh c
 *     e:f32[4,2] = mul d d
 *     f:f32[4,2] = sub 1.0:f32[] e
 *     g:f32[4,2] = broadcast_in_dim[broadcast_dimensions=() shape=(4, 2)] 1.0:f32[]
 *     h:f32[4,2] = mul g f
 *     i:f32[2,3] = dot_general[dimension_numbers=(((0,), (0,)), ((), ())) preferred_element_type=None] h b
 *     j:f32[3,2] = transpose[permutation=(1, 0)] i
 *   in (j,) }
 */
{
  version: 2,
  backend: "cpu",
  key: "",
  nargs: 2,
  tree: "[*,*]",
  inputs: [["float32", false, [3, 2]], ["float32", false, [4, 3]]],
  out: 0,
  outTypes: [["float32", false]],
  outShapes: (d) => [[3, 2]],
  consts: [],
  payload: {
    kernel: function (rt, consts) {
      "use strict";
      const p2 = new Float32Array(8);
      const p3 = new Float32Array(8);
      const p4 = new Float32Array(8);
      const p5 = new Float32Array(6);
      return function run(args) {
        const b0 = args[0];
        const b1 = args[1];
        const b2 = p2;
        const b3 = p3;
        const b4 = p4;
        const b5 = p5;
        const b6 = new Float32Array(6);
        // kernel 0: matmul 1x4x3 @ 3x2
        rt.matmul(b1, 0, 0, 3, 1, b0, 0, 0, 2, 1, b2, 1, 4, 2, 3);
        // kernel 1: loop over [4, 2]
        {
          for (let i0 = 0; i0 < 8; i0++) {
            const e1 = b2[i0];
            const e2 = rt.fastTanh(e1);
            b3[i0] = e2;
          }
        }
        // kernel 2: loop over [4, 2]
        {
          for (let i3 = 0; i3 < 8; i3++) {
            const e4 = b3[i3];
            const e5 = Math.fround(e4 * e4);
            const e6 = Math.fround(1 - e5);
            const e7 = 1 * e6;
            b4[i3] = e7;
          }
        }
        // kernel 3: matmul 1x2x4 @ 4x3
        rt.matmul(b4, 0, 0, 1, 2, b1, 0, 0, 3, 1, b5, 1, 2, 3, 4);
        // kernel 4: loop over [3, 2]
        {
          for (let i8 = 0; i8 < 3; i8++) {
            for (let i9 = 0; i9 < 2; i9++) {
              const e10 = b5[i8 + i9 * 3];
              b6[i8 * 2 + i9] = e10;
            }
          }
        }
        return [b6];
      };
    },
  },
}
    ]
});
export const tangent = /*#__PURE__*/ jit((w, t) => jvp((v) => np.sin(v).sum(), [w], [t])[1], undefined, {
    params: ["w", "t"],
    site: "input.ts:22:24",
    prebuilt: [
        /* { lambda ; a:f32[3,2] b:f32[3,2]. let
 *     c:f32[3,2] = sin a
 *     d:f32[3,2] = cos a
 *     e:f32[3,2] = mul b d
 *     f:f32[] = reduce_sum[axes=(0, 1)] c
 *     g:f32[] = reduce_sum[axes=(0, 1)] e
 *   in (g,) }
 */
{
  version: 2,
  backend: "cpu",
  key: "",
  nargs: 2,
  tree: "[*,*]",
  inputs: [["float32", false, [3, 2]], ["float32", false, [3, 2]]],
  out: 0,
  outTypes: [["float32", false]],
  outShapes: (d) => [[]],
  consts: [],
  payload: {
    kernel: function (rt, consts) {
      "use strict";
      return function run(args) {
        const b0 = args[0];
        const b1 = args[1];
        const b2 = new Float32Array(1);
        // kernel 0: loop over []
        {
          let acc5 = 0;
          for (let r0 = 0; r0 < 6; r0++) {
            const e1 = b1[r0];
            const e2 = b0[r0];
            const e3 = Math.fround(Math.cos(e2));
            const e4 = Math.fround(e1 * e3);
            acc5 = acc5 + e4;
          }
          b2[0] = acc5;
        }
        return [b2];
      };
    },
  },
}
    ]
});
let which = 0;
export const unread = /*#__PURE__*/ jit(grad(loss, { argnums: which }), { staticArgnums: [2] }, { params: ["w", "x", "scale"], site: "input.ts:26:23" });
which = 1;
