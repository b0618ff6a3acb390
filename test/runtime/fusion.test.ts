// The fusion scheduler and the passes before it: how many kernels a program becomes,
// which values are materialized, that views re-index instead of copying, and that DCE,
// CSE and constant folding do what they say. Values are checked too (all modes).

import { describe, expect, it } from "vitest";
import { jit, makeJaxpr, np, type NDArray } from "tsjit";
import { scheduleJaxpr, type Program, type Step } from "../../runtime/ir/fusion.js";
import { cse, dce, foldConstants, optimize } from "../../runtime/ir/passes.js";
import { prettyPrint } from "../../runtime/ir/printer.js";
import { Rng } from "../helpers/prng.js";
import { EXACT, F32, MODES, checkAllModes, expectClose, randomArray, runMode } from "../helpers/harness.js";
import { broadcastTo, combine, fromValues, map, matmul, reduce, reshape, slice, transpose } from "../helpers/reference.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function schedule<A extends any[]>(fn: (...a: A) => unknown, ...args: A): Program {
  return scheduleJaxpr(optimize(makeJaxpr(fn)(...args).jaxpr));
}

const loops = (p: Program) => p.steps.filter((s): s is Extract<Step, { kind: "loop" }> => s.kind === "loop");
const temps = (p: Program) => p.buffers.filter((b) => b.kind === "temp");

const softmax = (x: NDArray) => {
  const e = np.exp(np.subtract(x, np.max(x, -1, { keepdims: true })));
  return np.divide(e, np.sum(e, -1, { keepdims: true }));
};

describe("fusion schedule", () => {
  const x = np.ones([4, 8]);

  it("an elementwise chain is one kernel with no temporaries", () => {
    const p = schedule((v: NDArray) => np.subtract(np.tanh(np.add(np.multiply(v, 2), 1)), np.exp(v)), x);
    expect(p.steps.length).toBe(1);
    expect(temps(p)).toEqual([]);
    expect(loops(p)[0]!.shape).toEqual([4, 8]);
  });

  it("softmax is at most 4 kernels", () => {
    expect(schedule(softmax, x).steps.length).toBeLessThanOrEqual(4);
  });

  it("a reduction fuses its elementwise producer (prologue) and consumer (epilogue)", () => {
    expect(schedule((v: NDArray) => np.sum(np.exp(v)), x).steps.length).toBe(1);
    expect(schedule((v: NDArray) => np.divide(np.sum(np.multiply(v, v), 1), 8), x).steps.length).toBe(1);
    // Several reductions of one input combined elementwise stay one kernel.
    expect(schedule((v: NDArray) => np.subtract(np.max(v, 0), np.min(v, 0)), x).steps.length).toBe(1);
  });

  it("views do not copy: transpose, reshape, slice and broadcast are read in place", () => {
    const y = np.ones([8, 4]);
    for (const p of [
      schedule((a: NDArray, b: NDArray) => np.add(a.T, b), x, y),
      schedule((a: NDArray) => a.reshape([32]).slice([1, 30, 3]).mul(2), x),
      schedule((a: NDArray) => np.add(np.ones([3, 4, 8]), a), x),
      schedule((a: NDArray) => np.expandDims(a, 0).squeeze().T.mul(3), x),
    ]) {
      expect(p.steps.length).toBe(1);
      expect(temps(p)).toEqual([]);
    }
  });

  it("returning a reshape of an input returns the input buffer itself (no kernel)", () => {
    const p = schedule((a: NDArray) => a.reshape([32]), x);
    expect(p.steps).toEqual([]);
    expect(p.outputs).toEqual([{ kind: "buffer", buffer: p.inputs[0] }]);
  });

  it("matmul reads transposed operands through strides, without a copy", () => {
    const p = schedule((a: NDArray, b: NDArray) => np.matmul(a.T, b), x, np.ones([4, 3]));
    expect(p.steps.map((s) => s.kind)).toEqual(["matmul"]);
  });

  it("a value used twice is computed once into a temporary", () => {
    const p = schedule((v: NDArray) => {
      const y = np.exp(v);
      return np.add(y, np.sum(y));
    }, x);
    expect(p.steps.length).toBe(2);
    expect(temps(p).length).toBe(1);
  });

  it("broadcasting computed values materializes them first instead of recomputing per element", () => {
    const p = schedule((v: NDArray) => np.add(np.broadcastTo(np.exp(v), [100, 4, 8]), 1), x);
    expect(loops(p).map((s) => s.shape)).toEqual([[4, 8], [100, 4, 8]]);
  });

  it("the generated JS hoists a full reduction out of the elementwise loop and merges contiguous axes", () => {
    const js = jit((v: NDArray) => np.subtract(v, np.max(v))).lower(x).asText("js");
    const reduction = js.indexOf("Math.max(acc");
    const mainLoop = js.indexOf("for (let i");
    expect(reduction).toBeGreaterThan(0);
    expect(mainLoop).toBeGreaterThan(reduction);
    const flat = jit((v: NDArray) => np.exp(v).mul(2)).lower(np.ones([2, 3, 4])).asText("js");
    expect(flat.match(/for \(/g)!.length).toBe(1);
    expect(flat).toContain("< 24;");
  });
});

describe("passes", () => {
  const x = np.ones([3]);

  it("DCE drops unused equations", () => {
    const j = makeJaxpr((v: NDArray) => {
      np.exp(v);
      np.sum(np.sin(v));
      return v.mul(2);
    })(x).jaxpr;
    expect(j.eqns.length).toBe(4);
    expect(dce(j).eqns.map((e) => e.primitive.name)).toEqual(["mul"]);
  });

  it("CSE merges identical equations (same primitive, params and inputs)", () => {
    const j = makeJaxpr((v: NDArray) => np.add(np.exp(v), np.exp(v)).add(np.sum(v, 0)).add(np.sum(v, 0)))(x).jaxpr;
    expect(prettyPrint(dce(cse(j)))).toBe(
      "{ lambda ; a:f32[3]. let\n" +
        "    b:f32[3] = exp a\n" +
        "    c:f32[3] = add b b\n" +
        "    d:f32[] = reduce_sum[axes=(0,)] a\n" +
        "    e:f32[3] = add c d\n" +
        "    f:f32[3] = add e d\n" +
        "  in (f,) }",
    );
    // Different params are not merged.
    const k = makeJaxpr((v: NDArray) => np.add(np.sum(v.reshape([3, 1]), 0), np.sum(v.reshape([3, 1]), 1).sum()))(x).jaxpr;
    expect(cse(k).eqns.filter((e) => e.primitive.name === "reduce_sum").length).toBe(3);
  });

  it("constant folding evaluates scalar-literal equations with the dtype's semantics", () => {
    const j = makeJaxpr((v: NDArray) => v.add(np.add(np.multiply(2, 3), np.divide(7, 2))).add(np.floorDivide(-7, 2)))(x).jaxpr;
    expect(prettyPrint(dce(foldConstants(j)))).toBe(
      "{ lambda ; a:f32[3]. let\n    b:f32[3] = add a 9.5:f32[]\n    c:f32[3] = add b -4.0:f32[]\n  in (c,) }",
    );
    // int32 wraps and truncates when folded, as the kernels do.
    const k = makeJaxpr(() => np.add(np.multiply(65536, 65536), np.array(0, { dtype: "int32" })))().jaxpr;
    expect(prettyPrint(optimize(k))).toBe("{ lambda a:i32[]; . let b:i32[] = add 0:i32[] a in (b,) }");
    const big = jit(() => np.multiply(np.add(2147483647, 0), np.add(1, 1)));
    expect(big().item()).toBe(-2);
  });

  it("exact identities: x*1, 1*x, x/1, x-0 and x+(-0) vanish; x+0 stays (it maps -0 to 0)", () => {
    const j = makeJaxpr((v: NDArray) => v.mul(1).div(1).sub(0).add(-0).add(0))(x).jaxpr;
    expect(prettyPrint(optimize(j))).toBe("{ lambda ; a:f32[3]. let b:f32[3] = add a 0.0:f32[] in (b,) }");
    const neg0 = jit((v: NDArray) => v.add(0));
    expect(Object.is(neg0(np.array([-0])).dataSync()[0], 0)).toBe(true);
    // x - (-0) is x + 0, not x: it stays too (identities match literals with Object.is).
    const subNeg0 = jit((v: NDArray) => v.sub(-0));
    expect(subNeg0.lower(x).asText("optimized")).toContain("sub");
    expect(Object.is(subNeg0(np.array([-0])).dataSync()[0], 0)).toBe(true);
  });

  it("optimization does not change results (programs with dead, duplicate and constant parts)", () => {
    const rng = new Rng(5);
    const a = randomArray(rng, [3, 5], "float32");
    const fn = (v: NDArray) => {
      np.exp(v).sum(); // dead
      const t = np.tanh(v).mul(np.add(1, 1));
      return np.add(t, np.tanh(v).mul(2)).div(np.multiply(2, 2));
    };
    checkAllModes(fn, [a.x], map([a.ref], (p) => Math.tanh(p), "float32"), F32);
  });
});

describe("schedules that must still compute the right values", () => {
  it("several outputs sharing work, an output used again, the same output twice, scalar outputs (all modes)", () => {
    const rng = new Rng(6);
    const a = randomArray(rng, [3, 4], "float32");
    const fn = (v: NDArray) => {
      const e = np.exp(v);
      const s = np.sum(e);
      return [e, np.divide(e, s), s, e, v.T] as unknown as NDArray;
    };
    const eRef = map([a.ref], Math.exp, "float32");
    const sRef = reduce(eRef, null, false, combine.sum, "float32");
    const expected = [
      [eRef, F32],
      [map([eRef, sRef.result], (p, q) => p / q, "float32"), F32],
      [sRef.result, { ...F32, magnitude: sRef.magnitude }],
      [eRef, F32],
      [transpose(a.ref), EXACT],
    ] as const;
    for (const mode of MODES) {
      const outs = runMode(mode, fn, [a.x]) as unknown as NDArray[];
      expect(outs.length).toBe(5);
      expected.forEach(([want, tol], i) => expectClose(outs[i], want, tol, `${mode} output ${i}`));
    }
  });

  it("a program without inputs", () => {
    checkAllModes(() => np.add(np.arange(4), 1), [], fromValues([4], [1, 2, 3, 4], "int32"), EXACT);
    checkAllModes(() => np.full([2], 3), [], fromValues([2], [3, 3], "float32"), EXACT);
  });

  it("0-d array operands inside an expression stay scalars through views (T, reshape, slice, broadcast, matmul)", () => {
    const rng = new Rng(9);
    const a = randomArray(rng, [2, 3], "float32");
    const c = np.array(2.5); // a 0-d constant: a rank-0 buffer, broadcast implicitly by `add`
    const plus = map([a.ref], (v) => v + 2.5, "float32");
    checkAllModes((v) => np.add(v, c).T, [a.x], transpose(plus), F32);
    checkAllModes((v) => np.add(v, c).reshape([6]), [a.x], reshape(plus, [6]), F32);
    checkAllModes((v) => np.multiply(v, c).slice(1, [null, null, 2]), [a.x], slice(map([a.ref], (v) => v * 2.5, "float32"), 1, [null, null, 2]), F32);
    checkAllModes((v) => np.broadcastTo(np.add(v, c), [4, 2, 3]), [a.x], broadcastTo(plus, [4, 2, 3]), F32);
    // The same with a rank-0 value computed in the program (a vector dot product).
    const d = matmul(a.ref.shape.length ? slice(a.ref, 0) : a.ref, slice(a.ref, 1), "float32");
    const expected = transpose(map([a.ref, d.result], (v, s) => v * s, "float32"));
    checkAllModes((v) => np.multiply(v, np.matmul(v.slice(0), v.slice(1))).T, [a.x], expected, { ...F32, atol: 1e-5 });
    // ... and with a 0-d jit argument.
    checkAllModes((v, s) => np.add(v, s).T.reshape([6]), [a.x, np.array(2.5)], reshape(transpose(plus), [6]), F32);
  });

  it("argmax of a transposed view with an epilogue", () => {
    const rng = new Rng(7);
    const a = randomArray(rng, [3, 5], "float32");
    const expected = map([reduce(transpose(a.ref), 1, false, combine.argmax, "int32").result], (v) => v * 2 + 1, "int32");
    checkAllModes((v) => np.add(np.multiply(np.argmax(v.T, 1), 2), 1), [a.x], expected, EXACT);
  });

  it("softmax matches the reference in every mode", () => {
    const rng = new Rng(8);
    const a = randomArray(rng, [5, 7], "float32");
    const m = reduce(a.ref, -1, true, combine.max, "float32").result;
    const e = map([a.ref, m], (p, q) => Math.exp(p - q), "float32");
    const s = reduce(e, -1, true, combine.sum, "float32").result;
    checkAllModes(softmax, [a.x], map([e, s], (p, q) => p / q, "float32"), F32);
  });
});
