// Every registered primitive runs on the wasm backend: each has a program here that uses it
// (checked in the traced jaxpr) and agrees with the cpu backend. A primitive added later
// fails this test until it is lowered for wasm and given a program below.

import { describe, expect, it } from "vitest";
import { jit, lax, np, random, type NDArray } from "tsjit";
import { allPrimitives } from "../../runtime/primitives/primitive.js";
import * as p from "../../runtime/primitives/index.js";
import { bind1 } from "../../runtime/trace/core.js";
import { backendCompare } from "../helpers/backend-compare.js";

type Case = readonly [fn: (...xs: NDArray[]) => unknown, args: NDArray[]];

const f = np.array([-2.5, -1, -0, 0, 0.5, 1, 3, NaN, Infinity]);
const g = np.array([1, -2, 0.5, 3, -0, 2, NaN, 4, 1]);
const i = np.array([-7, -1, 0, 1, 2, 5, 31, 33, 2147483647], { dtype: "int32" });
const j = np.array([2, 0, -3, 1, 31, 2, 1, 32, -1], { dtype: "int32" });
const u = np.array([0, 1, 7, 4294967295, 65536, 3, 2, 9, 100], { dtype: "uint32" });
const m = np.sin(np.arange(24).astype("float32")).reshape(4, 6);
const b = np.array([true, false, true, true, false, false, true, false, true]);
const idx = np.array([2, 0, -1, 3], { dtype: "int32" });

const CASES: Record<string, Case> = {
  add: [(x, y) => x.add(y), [f, g]], sub: [(x, y) => x.sub(y), [f, g]], mul: [(x, y) => x.mul(y), [f, g]], div: [(x, y) => x.div(y), [i, j]],
  rem: [(x, y) => np.mod(x, y), [f, g]], pow: [(x, y) => np.power(x, y), [f, g]], atan2: [(x, y) => np.arctan2(x, y), [f, g]],
  max: [(x, y) => np.maximum(x, y), [f, g]], min: [(x, y) => np.minimum(x, y), [u, u.add(3)]],
  and: [(x, y) => np.bitwiseAnd(x, y), [i, j]], or: [(x, y) => np.logicalOr(x, y), [b, b.reshape(3, 3).T.reshape(9)]], xor: [(x, y) => np.bitwiseXor(x, y), [u, u.mul(3)]],
  not: [(x) => np.bitwiseNot(x), [i]],
  shift_left: [(x, y) => np.leftShift(x, y), [i, j]], shift_right_arithmetic: [(x, y) => np.rightShift(x, y), [i, j]],
  shift_right_logical: [(x, y) => np.rightShift(x, y), [u, j.astype("uint32")]],
  abs: [(x) => np.abs(x), [i]], ceil: [(x) => np.ceil(x), [f]], floor: [(x) => np.floor(x), [f]], round: [(x) => np.round(x), [f]],
  neg: [(x) => np.negative(x), [u]], sign: [(x) => np.sign(x), [f]], sqrt: [(x) => np.sqrt(x), [f]], rsqrt: [(x) => bind1(p.rsqrt, [x]), [f]],
  exp: [(x) => np.exp(x), [f]], expm1: [(x) => np.expm1(x), [f]], log: [(x) => np.log(x), [f]], log1p: [(x) => np.log1p(x), [f]],
  logistic: [(x) => np.sigmoid(x), [f]], sin: [(x) => np.sin(x), [f]], cos: [(x) => np.cos(x), [f]], tan: [(x) => np.tan(x), [g]], tanh: [(x) => np.tanh(x), [f]],
  is_finite: [(x) => np.isfinite(x), [f]],
  erf: [(x) => np.erf(x), [f]], erfc: [(x) => np.erfc(x), [g.mul(3)]],
  gt: [(x, y) => x.gt(y), [f, g]], ge: [(x, y) => x.ge(y), [i, j]], lt: [(x, y) => x.lt(y), [u, u.add(1)]], le: [(x, y) => x.le(y), [f, g]],
  eq: [(x, y) => x.eq(y), [f, g]], ne: [(x, y) => x.ne(y), [f, g]],
  select_n: [(p, x, y) => np.where(p, x, y), [b, f, g]],
  convert_element_type: [(x) => [x.astype("int32"), x.astype("uint32"), x.astype("bool"), x.astype("int32").astype("float32")], [f]],
  iota: [(x) => np.arange(9).astype("float32").add(x), [f]],
  reduce_sum: [(x) => x.sum(1), [m]], reduce_prod: [(x) => x.prod(0), [m]], reduce_max: [(x) => x.max(), [m]], reduce_min: [(x) => x.min(0), [m]],
  reduce_and: [(x) => x.gt(0).all(1), [m]], reduce_or: [(x) => x.gt(0.9).any(0), [m]],
  argmax: [(x) => x.argmax(1), [m]], argmin: [(x) => x.argmin(0), [m]],
  reshape: [(x) => x.reshape(6, 4).mul(2), [m]], transpose: [(x) => x.T.add(1), [m]], broadcast_in_dim: [(x) => x.reshape(4, 1, 6).broadcastTo([4, 3, 6]).sum(1), [m]],
  squeeze: [(x) => x.slice([0, 1]).squeeze(0), [m]], slice: [(x) => x.slice([1, 3], [null, null, 2]), [m]],
  concatenate: [(x) => np.concatenate([x, x.mul(2)], 0), [m]],
  dot_general: [(x) => np.matmul(x, x.T), [m]],
  dynamic_slice: [(x, k) => lax.dynamicSlice(x, [k, k], [2, 3]), [m, np.array(1, { dtype: "int32" })]],
  dynamic_update_slice: [(x, k) => lax.dynamicUpdateSlice(x, np.ones([2, 2]), [k, k]), [m, np.array(2, { dtype: "int32" })]],
  gather: [(x, k) => x.slice(k), [m, idx]],
  scatter: [(x, k) => x.at(k).add(1), [m, idx]],
  cond: [(x, p) => lax.cond(p, (v: NDArray) => v.add(1), (v: NDArray) => v.sub(1), x), [m, np.array(true)]],
  while: [(x) => lax.whileLoop((c: NDArray) => c.sum().lt(100), (c: NDArray) => c.add(1), x), [m]],
  cumsum: [(x, y) => [np.cumsum(x, 1), lax.cumsum(y, 0, true), np.cumsum(x.gt(0))], [m, i]],
  cumprod: [(x, y) => [np.cumprod(x, 0), lax.cumprod(y, 0, true), lax.cumprod(x, 1, true)], [m, u]],
  cummax: [(x, y) => [lax.cummax(x, 1), lax.cummax(y, 0, true), lax.cummax(f)], [m, u]],
  cummin: [(x, y) => [lax.cummin(x, 0, true), lax.cummin(y), lax.cummin(g, 0, true)], [m, i]],
  scan: [(x) => lax.scan((c: NDArray, r: NDArray) => [c.add(r), c.sum()] as const, np.zeros([6]), x), [m]],
  sort: [(x, y) => [np.sort(x), np.argsort(m, 0, { descending: true }), lax.sort([y, x], { numKeys: 1 })[1]], [f, g]],
  top_k: [(x) => lax.topK(x, 3), [m]],
  random_bits: [(x) => random.uniform(random.key(1), [5]).add(x.sum()), [m]],
};

const wasm = backendCompare("wasm");

function primitivesIn(jaxpr: { eqns: readonly { primitive: { name: string }; params: Record<string, unknown> }[] }, out = new Set<string>()): Set<string> {
  for (const e of jaxpr.eqns) {
    out.add(e.primitive.name);
    for (const v of Object.values(e.params)) {
      const subs = Array.isArray(v) ? v : [v];
      for (const s of subs) if (s && typeof s === "object" && "jaxpr" in s) primitivesIn((s as { jaxpr: never }).jaxpr, out);
    }
  }
  return out;
}

describe("wasm coverage", { timeout: 120_000 }, () => {
  const names = allPrimitives().map((p) => p.name).sort();

  it("every registered primitive has a wasm program here", () => {
    const missing = names.filter((n) => !(n in CASES));
    expect(missing, "primitives with no wasm coverage program (lower them for wasm and add one)").toEqual([]);
  });

  for (const name of names) {
    it.runIf(name in CASES)(`${name} runs on wasm and agrees with cpu`, async () => {
      const [fn, args] = CASES[name]!;
      const used = primitivesIn(jit(fn).lower(...args).jaxpr.jaxpr as never);
      expect([...used], `the program for ${name} must use it`).toContain(name);
      await wasm.both(name, fn, ...args);
    });
  }
});
