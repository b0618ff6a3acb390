// prebuiltBackends: ["cpu", "webgpu"] gives each specialization one entry per backend. A
// webgpu entry needs concrete sizes: fixed shapes get one; symbolic ones get entries for the
// shapes seen at call sites, else a note. A name that is not a backend is a warning. (wasm
// entries, module bytes that change with its code generator, are tested in test/wasm.)
import { jit, np } from "tsjit";
export const scale = /*#__PURE__*/ jit((x, k) => x.mul(k).sum(), { staticArgnames: ["k"] }, {
    params: ["x", "k"],
    site: "input.ts:7:22",
    prebuilt: [
        /* { lambda ; a:f32[4]. let
 *     b:f32[4] = mul a 2.0:f32[]
 *     c:f32[] = reduce_sum[axes=(0,)] b
 *   in (c,) }
 */
{
  version: 2,
  backend: "cpu",
  key: "n:2",
  nargs: 2,
  tree: "[*]",
  inputs: [["float32", false, [4]]],
  out: 0,
  outTypes: [["float32", false]],
  outShapes: (d) => [[]],
  consts: [],
  payload: {
    kernel: function (rt, consts) {
      "use strict";
      return function run(args) {
        const b0 = args[0];
        const b1 = new Float32Array(1);
        // kernel 0: loop over []
        {
          let acc3 = 0;
          for (let r0 = 0; r0 < 4; r0++) {
            const e1 = b0[r0];
            const e2 = Math.fround(e1 * 2);
            acc3 = acc3 + e2;
          }
          b1[0] = acc3;
        }
        return [b1];
      };
    },
  },
},
        {
  version: 2,
  backend: "webgpu",
  key: "n:2",
  nargs: 2,
  tree: "[*]",
  inputs: [["float32", false, [4]]],
  out: 0,
  outTypes: [["float32", false]],
  outShapes: (d) => [[]],
  consts: [],
  payload: { plan: {"inputs":[{"b":0}],"buffers":[{"id":0,"dtype":"float32","size":4,"kind":"input","index":0},{"id":1,"dtype":"float32","size":1,"kind":"output","index":0}],"scalars":0,"outputs":[{"kind":"buffer","buffer":{"b":1}}],"nodes":[{"kind":"kernel","src":{"code":"@group(0) @binding(0) var<storage, read> b0: array<f32>;\n@group(0) @binding(1) var<storage, read_write> b1: array<f32>;\nvar<private> FBITS_: array<u32, 3> = array<u32, 3>(0x7fc00000u, 0x7f800000u, 0xff800000u);\n@compute @workgroup_size(64)\nfn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {\n  let flat = i32(gid.x + gid.y * nwg.x * 64u);\n  if (flat >= 1) { return; }\n  var acc3: f32 = 0f;\n  for (var r0: i32 = 0; r0 < 4; r0 += 1) {\n    let e1: f32 = b0[r0];\n    let e2: f32 = (e1 * 2f);\n    acc3 = acc3 + e2;\n  }\n  b1[0] = acc3;\n}","buffers":[{"b":0},{"b":1}],"writes":{"b":1},"usesScalars":false,"writesScalars":false,"workgroups":1,"label":"loop over []"}}]} },
},
        /* { lambda ; a:f32[4]. let
 *     b:f32[4] = mul a 3.0:f32[]
 *     c:f32[] = reduce_sum[axes=(0,)] b
 *   in (c,) }
 */
{
  version: 2,
  backend: "cpu",
  key: "n:3",
  nargs: 2,
  tree: "[*]",
  inputs: [["float32", false, [4]]],
  out: 0,
  outTypes: [["float32", false]],
  outShapes: (d) => [[]],
  consts: [],
  payload: {
    kernel: function (rt, consts) {
      "use strict";
      return function run(args) {
        const b0 = args[0];
        const b1 = new Float32Array(1);
        // kernel 0: loop over []
        {
          let acc3 = 0;
          for (let r0 = 0; r0 < 4; r0++) {
            const e1 = b0[r0];
            const e2 = Math.fround(e1 * 3);
            acc3 = acc3 + e2;
          }
          b1[0] = acc3;
        }
        return [b1];
      };
    },
  },
},
        {
  version: 2,
  backend: "webgpu",
  key: "n:3",
  nargs: 2,
  tree: "[*]",
  inputs: [["float32", false, [4]]],
  out: 0,
  outTypes: [["float32", false]],
  outShapes: (d) => [[]],
  consts: [],
  payload: { plan: {"inputs":[{"b":0}],"buffers":[{"id":0,"dtype":"float32","size":4,"kind":"input","index":0},{"id":1,"dtype":"float32","size":1,"kind":"output","index":0}],"scalars":0,"outputs":[{"kind":"buffer","buffer":{"b":1}}],"nodes":[{"kind":"kernel","src":{"code":"@group(0) @binding(0) var<storage, read> b0: array<f32>;\n@group(0) @binding(1) var<storage, read_write> b1: array<f32>;\nvar<private> FBITS_: array<u32, 3> = array<u32, 3>(0x7fc00000u, 0x7f800000u, 0xff800000u);\n@compute @workgroup_size(64)\nfn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {\n  let flat = i32(gid.x + gid.y * nwg.x * 64u);\n  if (flat >= 1) { return; }\n  var acc3: f32 = 0f;\n  for (var r0: i32 = 0; r0 < 4; r0 += 1) {\n    let e1: f32 = b0[r0];\n    let e2: f32 = (e1 * 3f);\n    acc3 = acc3 + e2;\n  }\n  b1[0] = acc3;\n}","buffers":[{"b":0},{"b":1}],"writes":{"b":1},"usesScalars":false,"writesScalars":false,"workgroups":1,"label":"loop over []"}}]} },
}
    ]
});
export const norm = /*#__PURE__*/ jit((x) => x.div(x.max()), undefined, {
    params: ["x"],
    site: "input.ts:9:21",
    prebuilt: [
        /* { lambda ; a:f32[x_0,2]. let
 *     b:f32[] = reduce_max[axes=(0, 1)] a
 *     c:f32[x_0,2] = div a b
 *   in (c,) }
 */
{
  version: 2,
  backend: "cpu",
  key: "",
  nargs: 1,
  tree: "[*]",
  inputs: [["float32", false, ["x_0", 2]]],
  out: 0,
  outTypes: [["float32", false]],
  outShapes: (d) => [[d.x_0, 2]],
  consts: [],
  payload: {
    kernel: function (rt, consts) {
      "use strict";
      return function run(args, dims) {
        const d_x_0 = dims.x_0;
        const b0 = args[0];
        const b1 = new Float32Array(2 * d_x_0);
        // kernel 0: loop over [x_0, 2]
        {
          let acc4 = (-Infinity);
          for (let r2 = 0; r2 < 2 * d_x_0; r2++) {
            const e3 = b0[r2];
            acc4 = Math.max(acc4, e3);
          }
          for (let i0 = 0; i0 < 2 * d_x_0; i0++) {
            const e1 = b0[i0];
            const e5 = e1 / acc4;
            b1[i0] = e5;
          }
        }
        return [b1];
      };
    },
  },
},
        /* { lambda ; a:f32[3,2]. let
 *     b:f32[] = reduce_max[axes=(0, 1)] a
 *     c:f32[3,2] = div a b
 *   in (c,) }
 */
{
  version: 2,
  backend: "webgpu",
  key: "",
  nargs: 1,
  tree: "[*]",
  inputs: [["float32", false, [3, 2]]],
  out: 0,
  outTypes: [["float32", false]],
  outShapes: (d) => [[3, 2]],
  consts: [],
  payload: { plan: {"inputs":[{"b":0}],"buffers":[{"id":0,"dtype":"float32","size":6,"kind":"input","index":0},{"id":1,"dtype":"float32","size":6,"kind":"output","index":0}],"scalars":0,"outputs":[{"kind":"buffer","buffer":{"b":1}}],"nodes":[{"kind":"kernel","src":{"code":"@group(0) @binding(0) var<storage, read> b0: array<f32>;\n@group(0) @binding(1) var<storage, read_write> b1: array<f32>;\nvar<private> FBITS_: array<u32, 3> = array<u32, 3>(0x7fc00000u, 0x7f800000u, 0xff800000u);\nfn fmax_(a: f32, b: f32) -> f32 { if (isnan_(a) || isnan_(b)) { return a + b; } return max(a, b); }\nfn isnan_(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }\n@compute @workgroup_size(64)\nfn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {\n  let flat = i32(gid.x + gid.y * nwg.x * 64u);\n  if (flat >= 6) { return; }\n  let g0 = flat;\n  let e0: f32 = b0[g0];\n  var acc3: f32 = bitcast<f32>(FBITS_[2]);\n  for (var r1: i32 = 0; r1 < 6; r1 += 1) {\n    var rr_r1 = r1;\n    let r1_1 = rr_r1 % 2;\n    rr_r1 = rr_r1 / 2;\n    let r1_0 = rr_r1;\n    let e2: f32 = b0[r1_0 * 2 + r1_1];\n    acc3 = fmax_(acc3, e2);\n  }\n  let e5: f32 = (e0 / acc3);\n  b1[g0] = e5;\n}","buffers":[{"b":0},{"b":1}],"writes":{"b":1},"usesScalars":false,"writesScalars":false,"workgroups":1,"label":"loop over [3, 2]"}}]} },
}
    ]
});
norm(np.zeros([3, 2]));
export const unseen = /*#__PURE__*/ jit((x) => np.exp(x), undefined, {
    params: ["x"],
    site: "input.ts:12:23",
    prebuilt: [
        /* { lambda ; a:f32[n]. let b:f32[n] = exp a in (b,) }
 */
{
  version: 2,
  backend: "cpu",
  key: "",
  nargs: 1,
  tree: "[*]",
  inputs: [["float32", false, ["n"]]],
  out: 0,
  outTypes: [["float32", false]],
  outShapes: (d) => [[d.n]],
  consts: [],
  payload: {
    kernel: function (rt, consts) {
      "use strict";
      return function run(args, dims) {
        const d_n = dims.n;
        const b0 = args[0];
        const b1 = new Float32Array(d_n);
        // kernel 0: loop over [n]
        {
          for (let i0 = 0; i0 < d_n; i0++) {
            const e1 = b0[i0];
            const e2 = rt.fastExp(e1);
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
