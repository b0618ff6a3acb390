// SIMD for loop kernels: when a kernel's innermost loop writes a 4-byte dtype contiguously
// and every expression node computed inside that loop has a lane-wise form, the loop runs
// four elements per iteration (f32x4 / i32x4) up to the last multiple of four, and the
// scalar loop the kernel already has finishes the tail. Nodes hoisted out of the innermost
// loop (broadcast reads, scalars, whole-array reductions) are computed once by the scalar
// code and splatted at their level. Bools are i32x4 lanes of 0/1, like the scalar code's.
//
// Lane-wise semantics equal the scalar ones: f32x4 ops round like f32 ops, min/max
// propagate NaN, nearest is ties-to-even, trunc_sat saturates, the polynomial
// transcendental helpers are the very functions scalar code calls on one lane.

import type { DType } from "../../dtype.js";
import type { Expr, Target } from "../../ir/fusion.js";
import { ByteWriter, type FunctionBuilder } from "./encoder.js";
import { elemBytes, num, valType, type Address, type Bound, type Nest, type ProgramGen } from "./codegen.js";
import type { MathFn } from "./math.js";

const MATH = new Set(["exp", "log", "tanh", "logistic", "sin", "cos"]);
const FLOAT_OPS = new Set(["add", "sub", "mul", "div", "neg", "abs", "floor", "ceil", "round", "sqrt", "max", "min",
  "gt", "ge", "lt", "le", "eq", "ne", "select_n", "is_finite", ...MATH]);
const INT_OPS = new Set(["add", "sub", "mul", "neg", "abs", "max", "min", "gt", "ge", "lt", "le", "eq", "ne", "select_n", "and", "or", "xor", "not"]);
const BOOL_OPS = new Set(["and", "or", "xor", "not", "select_n", "eq", "ne"]);

/** Whether `e`, computed inside the innermost loop, has a lane-wise form (hoisted nodes always do). */
function vectorizable(e: Expr, nest: Nest, memo: ReadonlyMap<Expr, Bound>): boolean {
  const b = memo.get(e);
  if (b && b.level < nest.depth) return true;
  switch (e.kind) {
    case "load": {
      if (elemBytes(e.dtype) !== 4) return false;
      return nest.project(e.view.strides.map(num))[nest.depth - 1] === 1;
    }
    case "index":
      return e.dtype === "int32" || e.dtype === "float32";
    case "const":
    case "scalar":
      return true;
    case "convert":
      return e.from !== "float16" && e.dtype !== "float16" && vectorizable(e.arg, nest, memo);
    case "op": {
      const set = e.operandDType === "float32" ? FLOAT_OPS : e.operandDType === "bool" ? BOOL_OPS : INT_OPS;
      if (!set.has(e.op)) return false;
      if (e.operandDType === "uint32" && (e.op === "abs" || e.op === "neg")) return false;
      return e.args.every((a) => vectorizable(a, nest, memo));
    }
    default:
      return false;
  }
}

/** True when the kernel's innermost loop can run four lanes at a time. */
export function simdPlan(nest: Nest, target: Extract<Target, { kind: "buffer" }> | Target, root: Expr, memo: ReadonlyMap<Expr, Bound>): boolean {
  if (target.kind !== "buffer" || nest.depth === 0 || elemBytes(target.buffer.dtype) !== 4) return false;
  if (nest.dims[nest.depth - 1]! < 4) return false;
  if (nest.project(target.view.strides.map(num))[nest.depth - 1] !== 1) return false;
  return vectorizable(root, nest, memo);
}

const splatOp = (d: DType): "f32x4.splat" | "i32x4.splat" => (valType(d) === "f32" ? "f32x4.splat" : "i32x4.splat");

export class SimdKernel {
  private readonly vmemo = new Map<Expr, number>();
  private readonly body = new ByteWriter();

  constructor(
    private readonly gen: ProgramGen,
    private readonly nest: Nest,
    private readonly memo: ReadonlyMap<Expr, Bound>,
    private readonly target: Extract<Target, { kind: "buffer" }>,
    private readonly root: Expr,
  ) {}

  /** A v128 local holding `e` for lanes v..v+3 of the innermost loop. */
  private vexpr(e: Expr): number {
    const hit = this.vmemo.get(e);
    if (hit !== undefined) return hit;
    const { gen, nest } = this;
    const fb = gen.fb;
    const local = fb.local("v128");
    const b = this.memo.get(e);
    if (b && b.level < nest.depth) {
      // Hoisted: splat once where it is computed.
      const prev = fb.into(nest.levels[b.level]!);
      fb.get(b.local).op(splatOp(e.dtype)).set(local);
      fb.into(prev);
      this.vmemo.set(e, local);
      return local;
    }
    const prev = fb.into(this.body);
    switch (e.kind) {
      case "load": {
        const a = this.address(e.view.strides.map(num), e.view);
        fb.load("v128.load", gen.pushAddress(e.buffer, a), 2);
        break;
      }
      case "index": {
        const a = this.address(e.view.strides.map(num), e.view);
        const step = nest.project(e.view.strides.map(num))[nest.depth - 1]!;
        gen.pushIndex(a);
        fb.op("i32x4.splat").i32x4(0, step, 2 * step, 3 * step).op("i32x4.add");
        if (e.dtype === "float32") fb.op("f32x4.convert_i32x4_s");
        break;
      }
      case "convert": {
        const arg = this.vexpr(e.arg);
        fb.get(arg);
        const fromFloat = valType(e.from) === "f32";
        if (e.dtype === "bool") vectorNonzero(fb, fromFloat);
        else if (e.dtype === "int32") { if (fromFloat) fb.op("i32x4.trunc_sat_f32x4_s"); }
        else if (e.dtype === "uint32") { if (fromFloat) fb.op("i32x4.trunc_sat_f32x4_u"); }
        else if (e.from === "int32") fb.op("f32x4.convert_i32x4_s");
        else if (!fromFloat) fb.op("f32x4.convert_i32x4_u");
        break;
      }
      case "op":
        this.op(e, e.args.map((a) => this.vexpr(a)));
        break;
      default:
        throw new Error(`internal: no vector form for ${e.kind}`);
    }
    fb.set(local);
    fb.into(prev);
    this.vmemo.set(e, local);
    return local;
  }

  private address(strides: readonly number[], view: Parameters<Nest["address"]>[1]): Address {
    return { ...this.nest.address(strides, view), level: this.nest.depth };
  }

  private op(e: Extract<Expr, { kind: "op" }>, args: number[]): void {
    const fb = this.gen.fb;
    const [a, b, c] = args as [number, number, number];
    const d = e.operandDType;
    const float = d === "float32";
    const unsigned = d === "uint32" || d === "bool";
    const bin = (name: Parameters<typeof fb.op>[0]) => fb.get(a).get(b).op(name);
    const boolOf = () => fb.i32x4(1).op("v128.and");
    switch (e.op) {
      case "select_n": fb.get(c).get(b).get(a).i32x4(0).op("i32x4.ne").op("v128.bitselect"); return;
      case "and": bin("v128.and"); return;
      case "or": bin("v128.or"); return;
      case "xor": bin("v128.xor"); return;
      case "not": fb.get(a).i32x4(d === "bool" ? 1 : -1).op("v128.xor"); return;
    }
    if (float) {
      switch (e.op) {
        case "add": bin("f32x4.add"); return;
        case "sub": bin("f32x4.sub"); return;
        case "mul": bin("f32x4.mul"); return;
        case "div": bin("f32x4.div"); return;
        case "max": bin("f32x4.max"); return;
        case "min": bin("f32x4.min"); return;
        case "neg": fb.get(a).op("f32x4.neg"); return;
        case "abs": fb.get(a).op("f32x4.abs"); return;
        case "floor": fb.get(a).op("f32x4.floor"); return;
        case "ceil": fb.get(a).op("f32x4.ceil"); return;
        case "round": fb.get(a).op("f32x4.nearest"); return;
        case "sqrt": fb.get(a).op("f32x4.sqrt"); return;
        case "is_finite": fb.get(a).get(a).op("f32x4.sub").f32x4(0).op("f32x4.eq"); boolOf(); return;
        case "gt": case "ge": case "lt": case "le": case "eq": case "ne":
          bin(`f32x4.${e.op}`); boolOf(); return;
      }
      if (MATH.has(e.op)) {
        fb.get(a);
        this.gen.callMath(e.op as MathFn, true);
        return;
      }
    } else {
      switch (e.op) {
        case "add": bin("i32x4.add"); return;
        case "sub": bin("i32x4.sub"); return;
        case "mul": bin("i32x4.mul"); return;
        case "neg": fb.get(a).op("i32x4.neg"); return;
        case "abs": fb.get(a).op("i32x4.abs"); return;
        case "max": bin(unsigned ? "i32x4.max_u" : "i32x4.max_s"); return;
        case "min": bin(unsigned ? "i32x4.min_u" : "i32x4.min_s"); return;
        case "eq": case "ne": bin(`i32x4.${e.op}`); boolOf(); return;
        case "gt": case "ge": case "lt": case "le":
          bin(`i32x4.${e.op}_${unsigned ? "u" : "s"}`); boolOf(); return;
      }
    }
    throw new Error(`internal: no vector form for ${e.op} on ${d}`);
  }

  /** The nest with its innermost loop split: four lanes at a time, then the scalar tail. */
  assemble(): void {
    const { gen, nest, target } = this;
    const fb = gen.fb;
    const value = this.vexpr(this.root);
    const prev = fb.into(this.body);
    const a = this.address(target.view.strides.map(num), target.view);
    const off = gen.pushAddress(target.buffer, a);
    fb.get(value).store("v128.store", off, 2);
    fb.into(prev);
    nest.assemble((l) => {
      const v = nest.vars[l]!, n = nest.dims[l]!;
      const vecEnd = n - (n % 4);
      gen.countedLoop(v, vecEnd, () => void fb.splice(this.body), 4);
      if (vecEnd < n) gen.countedLoopFrom(v, vecEnd, n, () => void fb.splice(nest.levels[l + 1]!));
    });
  }
}

function vectorNonzero(fb: FunctionBuilder, fromFloat: boolean): void {
  // (x != 0) as 0/1 lanes.
  if (fromFloat) fb.f32x4(0).op("f32x4.ne");
  else fb.i32x4(0).op("i32x4.ne");
  fb.i32x4(1).op("v128.and");
}
