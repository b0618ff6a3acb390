// Every registered primitive has a rule in every lowering table that applies to it: the
// fusion pass's (ir/fusion.ts), and for elementwise primitives the exact semantics
// (constant folding), the CPU backend's JavaScript templates and interpreter functions, and
// the WebGPU backend's WGSL templates, for every dtype the primitive accepts; for reductions
// each backend's combine step. A primitive added without its lowering fails here, by name,
// instead of at run time on one backend.

import { describe, expect, it } from "vitest";
import * as primitives from "../../runtime/primitives/index.js";
import { allPrimitives, type Primitive } from "../../runtime/primitives/primitive.js";
import { aval, type ShapedArray } from "../../runtime/ir/aval.js";
import type { DType } from "../../runtime/dtype.js";
import { FUSION_RULES, fusionRuleFor } from "../../runtime/ir/fusion.js";
import { EXACT, dtypeClass, exactScalar, type DTypeClass } from "../../runtime/primitives/scalar-ops.js";
import { JS_TEMPLATES, REDUCE_STEPS, convertOp, runtimeHelpers, scalarOp } from "../../runtime/backend/cpu/scalar-ops.js";
import { WGSL_OPS, HelperSet, wgslConvert } from "../../runtime/backend/webgpu/ops.js";
import { WGSL_COMBINE } from "../../runtime/backend/webgpu/wgsl.js";

void primitives; // registers every primitive

const DTYPES: readonly DType[] = ["float32", "int32", "uint32", "bool"];

/** Values of each dtype (as stored) that exercise truncation, saturation, wrapping and NaN. */
const SAMPLES: Readonly<Record<string, readonly number[]>> = {
  float32: [-3e9, -2.5, -0.5, -0, 0, 0.75, 1.5, 3e9, 5e9, Infinity, -Infinity, NaN],
  int32: [-2147483648, -5, 0, 7, 2147483647],
  uint32: [0, 7, 2147483648, 4294967295],
  bool: [0, 1],
};

function evaluates(prim: Primitive, inputs: ShapedArray[]): boolean {
  try {
    prim.abstractEval(inputs, {});
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether the elementwise `prim` accepts operands of `dtype`: tried at arities 1-3, and as
 * cases after a bool predicate (select_n) where the primitive does not take a lone bool.
 */
function accepts(prim: Primitive, dtype: DType): boolean {
  const s = aval([], dtype), p = aval([], "bool");
  if ([[s], [s, s], [s, s, s]].some((inputs) => evaluates(prim, inputs))) return true;
  return !evaluates(prim, [p]) && evaluates(prim, [p, s, s]);
}

const elementwiseOps = () => allPrimitives().filter((q) => q.kind === "elementwise" && !(q.name in FUSION_RULES));

describe("lowering tables", () => {
  it("sees every primitive", () => {
    expect(allPrimitives().length).toBeGreaterThan(55);
    expect(elementwiseOps().length).toBeGreaterThan(35);
  });

  it("every primitive has a fusion rule", () => {
    expect(allPrimitives().filter((q) => !fusionRuleFor(q)).map((q) => q.name)).toEqual([]);
  });

  it("every elementwise primitive has exact semantics and a cpu (JS + interpreter) and a WGSL entry for each dtype it accepts", () => {
    const missing: string[] = [];
    for (const prim of elementwiseOps()) {
      for (const dtype of DTYPES) {
        if (!accepts(prim, dtype)) continue;
        const at = `${prim.name} on ${dtype}`;
        if (!prim.scalar?.(dtype, dtype, {})) missing.push(`${at}: exact semantics (Primitive.scalar)`);
        const cpu = scalarOp(prim.name, dtype);
        if (!cpu || typeof cpu.evaluate !== "function" || typeof cpu.js !== "function") missing.push(`${at}: cpu table (backend/cpu/scalar-ops.ts)`);
        if (!Object.prototype.hasOwnProperty.call(WGSL_OPS[dtypeClass(dtype)], prim.name)) missing.push(`${at}: WGSL table (backend/webgpu/ops.ts)`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("backend tables name only registered primitives, in classes the exact semantics define", () => {
    const stale: string[] = [];
    for (const cls of ["float", "int", "uint", "bool"] as DTypeClass[]) {
      for (const [table, keys] of [["cpu", Object.keys(JS_TEMPLATES[cls])], ["wgsl", Object.keys(WGSL_OPS[cls])]] as const) {
        for (const k of keys) if (!primitives.lookupPrimitive(k) || !(k in EXACT[cls])) stale.push(`${table} ${cls} ${k}`);
      }
    }
    expect(stale).toEqual([]);
  });

  it("every reduction has a reducer and a combine step on each backend", () => {
    const reductions = allPrimitives().filter((q) => q.kind === "reduce");
    expect(reductions.length).toBeGreaterThanOrEqual(8);
    const missing = reductions.flatMap((q) => {
      if (!q.reducer) return [`${q.name}: Primitive.reducer`];
      if (q.reducer === "argmax" || q.reducer === "argmin") return [];
      return [...(q.reducer in REDUCE_STEPS ? [] : [`${q.name}: cpu REDUCE_STEPS`]), ...(q.reducer in WGSL_COMBINE ? [] : [`${q.name}: WGSL_COMBINE`])];
    });
    expect(missing).toEqual([]);
  });

  it("conversions exist between every pair of dtypes on every backend", () => {
    const convert = primitives.lookupPrimitive("convert_element_type")!;
    for (const from of DTYPES) {
      for (const to of DTYPES) {
        expect(typeof convert.scalar!(from, to, { new_dtype: to, weak_type: false }), `${from} -> ${to}`).toBe("function");
        // The CPU's JS template computes what the exact conversion computes.
        const exact = convert.scalar!(from, to, { new_dtype: to, weak_type: false })!;
        const js = new Function("x", "rt", `return ${convertOp(from, to).js("x")};`) as (x: number, rt: unknown) => number;
        for (const x of SAMPLES[from]) expect(js(x, runtimeHelpers), `${from} -> ${to} of ${x}`).toBe(exact(x));
        expect(typeof wgslConvert("x", from, to, new HelperSet())).toBe("string");
      }
    }
  });

  it("a primitive without a rule is reported by name (the check can fail)", () => {
    const orphan: Primitive = { name: "orphan_op", kind: "other", abstractEval: (xs) => [...xs] };
    expect(fusionRuleFor(orphan)).toBeUndefined();
    const view: Primitive = { name: "orphan_view", kind: "view", abstractEval: (xs) => [...xs] };
    expect(fusionRuleFor(view)).toBeUndefined();
    expect(scalarOp("orphan_op", "float32")).toBeUndefined();
    expect(exactScalar("orphan_op", "float32")).toBeUndefined();
  });
});
