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
import type { View } from "../../ir/view.js";
import { ByteWriter, type FunctionBuilder } from "./encoder.js";
import { elemBytes, num, valType, type Address, type Bound, type Nest, type ProgramGen } from "./codegen.js";
import { emitExpInline, MATH_FNS, type MathFn } from "./math.js";

const MATH = new Set<string>(MATH_FNS);
const FLOAT_OPS = new Set(["add", "sub", "mul", "div", "neg", "abs", "floor", "ceil", "round", "sqrt", "max", "min",
  "gt", "ge", "lt", "le", "eq", "ne", "select_n", "is_finite", ...MATH]);
const INT_OPS = new Set(["add", "sub", "mul", "neg", "abs", "max", "min", "gt", "ge", "lt", "le", "eq", "ne", "select_n", "and", "or", "xor", "not"]);
const BOOL_OPS = new Set(["and", "or", "xor", "not", "select_n", "eq", "ne"]);

/** Where vector code runs: a loop nest, the scalar code's bindings, and how leaves are addressed. */
export interface VectorSite {
  readonly nest: Nest;
  readonly memo: ReadonlyMap<Expr, Bound>;
  /** The address of a leaf view at lane 0 (the innermost loop's variable at its current value). */
  address(view: View): Address;
  /** A leaf view's stride along the innermost loop. */
  innerStride(view: View): number;
}

/** Whether `e`, computed inside the innermost loop, has a lane-wise form (hoisted nodes always do). */
function vectorizable(e: Expr, site: VectorSite): boolean {
  const b = site.memo.get(e);
  if (b && b.level < site.nest.depth) return true;
  switch (e.kind) {
    case "load":
      return elemBytes(e.dtype) === 4 && site.innerStride(e.view) === 1;
    case "index":
      return e.dtype === "int32" || e.dtype === "float32";
    case "const":
    case "scalar":
      return true;
    case "convert":
      return e.from !== "float16" && e.dtype !== "float16" && vectorizable(e.arg, site);
    case "op": {
      const set = e.operandDType === "float32" ? FLOAT_OPS : e.operandDType === "bool" ? BOOL_OPS : INT_OPS;
      if (!set.has(e.op)) return false;
      if (e.operandDType === "uint32" && (e.op === "abs" || e.op === "neg")) return false;
      return e.args.every((a) => vectorizable(a, site));
    }
    default:
      return false;
  }
}

/** The vector site of a loop kernel's nest. */
export function kernelSite(nest: Nest, memo: ReadonlyMap<Expr, Bound>): VectorSite {
  return {
    nest,
    memo,
    address: (view) => ({ ...nest.address(view.strides.map(num), view), level: nest.depth }),
    innerStride: (view) => nest.project(view.strides.map(num))[nest.depth - 1]!,
  };
}

/** True when the kernel's innermost loop can run four lanes at a time. */
export function simdPlan(nest: Nest, target: Target, root: Expr, memo: ReadonlyMap<Expr, Bound>): boolean {
  if (target.kind !== "buffer" || nest.depth === 0 || elemBytes(target.buffer.dtype) !== 4) return false;
  if (nest.dims[nest.depth - 1]! < 4) return false;
  if (nest.rowOuter && nest.depth === 1) return false; // the innermost axis is an enclosing loop's
  if (nest.project(target.view.strides.map(num))[nest.depth - 1] !== 1) return false;
  return vectorizable(root, kernelSite(nest, memo));
}

/** Whether a reduction body can be summed/maxed four lanes at a time along its innermost loop. */
export function reduceVectorizable(site: VectorSite, body: Expr): boolean {
  return site.nest.depth > 0 && site.nest.dims[site.nest.depth - 1]! >= 8 && vectorizable(body, site);
}

const splatOp = (d: DType): "f32x4.splat" | "i32x4.splat" => (valType(d) === "f32" ? "f32x4.splat" : "i32x4.splat");

/** Lane-wise code for expression trees at a site's innermost level (into `body`). */
export class Vectorizer {
  private readonly vmemo = new Map<Expr, number>();
  readonly body = new ByteWriter();

  constructor(private readonly gen: ProgramGen, private readonly site: VectorSite) {}

  private readonly consts = new Map<string, number>();

  /** A v128 local holding a constant, set once before the nest's loops. */
  private constant(kind: "f32" | "i32", v: number): number {
    const key = `${kind}:${v}`;
    let local = this.consts.get(key);
    if (local === undefined) {
      const fb = this.gen.fb;
      local = fb.local("v128");
      const prev = fb.into(this.site.nest.levels[0]!);
      if (kind === "f32") fb.f32x4(v);
      else fb.i32x4(v);
      fb.set(local);
      fb.into(prev);
      this.consts.set(key, local);
    }
    return local;
  }

  /** A v128 local holding `e` for lanes v..v+3 of the innermost loop. */
  vexpr(e: Expr): number {
    const hit = this.vmemo.get(e);
    if (hit !== undefined) return hit;
    const { gen, site } = this;
    const nest = site.nest;
    const fb = gen.fb;
    const local = fb.local("v128");
    const b = site.memo.get(e);
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
      case "load":
        fb.load("v128.load", gen.pushAddress(e.buffer, site.address(e.view)), 2);
        break;
      case "index": {
        const step = site.innerStride(e.view);
        gen.pushIndex(site.address(e.view));
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
      if (e.op === "exp") return emitExpInline(fb, a, (kind, v) => void fb.get(this.constant(kind, v)));
      if (MATH.has(e.op)) {
        fb.get(a);
        this.gen.callMath(e.op as MathFn);
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

}

/** A loop kernel whose innermost loop runs four lanes at a time, then the scalar tail. */
export class SimdKernel {
  private readonly vz: Vectorizer;

  constructor(
    private readonly gen: ProgramGen,
    private readonly nest: Nest,
    memo: ReadonlyMap<Expr, Bound>,
    private readonly target: Extract<Target, { kind: "buffer" }>,
    private readonly root: Expr,
  ) {
    this.vz = new Vectorizer(gen, kernelSite(nest, memo));
  }

  assemble(): void {
    const { gen, nest, target } = this;
    const fb = gen.fb;
    const value = this.vz.vexpr(this.root);
    const prev = fb.into(this.vz.body);
    const off = gen.pushAddress(target.buffer, { ...nest.address(target.view.strides.map(num), target.view), level: nest.depth });
    fb.get(value).store("v128.store", off, 2);
    fb.into(prev);
    splitInnermost(gen, nest, this.vz.body);
  }
}

/** Assembles `nest` with its innermost loop split into a 4-lane loop over `body` and the scalar tail. */
export function splitInnermost(gen: ProgramGen, nest: Nest, body: ByteWriter): void {
  const fb = gen.fb;
  nest.assemble((l) => {
    const v = nest.vars[l]!, n = nest.dims[l]!;
    const vecEnd = n - (n % 4);
    gen.countedLoop(v, vecEnd, () => void fb.splice(body), 4);
    if (vecEnd < n) gen.countedLoopFrom(v, vecEnd, n, () => void fb.splice(nest.levels[l + 1]!));
  });
}

/**
 * A reduction's vector part: accumulators (two f64x2 for a float32 sum, which accumulates
 * in float64 like the scalar code; one f32x4/i32x4 for max/min and integer sums) that the
 * 4-lane loop updates, folded into the scalar accumulator `acc` after the loops. The
 * scalar tail updates `acc` directly; only the summation order differs from the scalar
 * loop's (max/min and integer sums are order-independent).
 */
export function emitVectorReduce(gen: ProgramGen, site: VectorSite, body: Expr, op: "sum" | "max" | "min", dtype: DType, acc: number, sink: ByteWriter, init: number): void {
  const fb = gen.fb;
  const vz = new Vectorizer(gen, site);
  const v = vz.vexpr(body);
  const floatSum = op === "sum" && dtype === "float32";
  const a0 = fb.local("v128"), a1 = fb.local("v128");
  const prev = fb.into(sink);
  if (floatSum) fb.f32x4(0).op("f64x2.promote_low_f32x4").tee(a0).set(a1);
  else if (dtype === "float32") fb.f32x4(init).set(a0);
  else fb.i32x4(init).set(a0);
  fb.into(vz.body);
  if (floatSum) {
    fb.get(a0).get(v).op("f64x2.promote_low_f32x4").op("f64x2.add").set(a0);
    fb.get(a1).get(v).get(v).shuffle([8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7]).op("f64x2.promote_low_f32x4").op("f64x2.add").set(a1);
  } else {
    const name = dtype === "float32" ? `f32x4.${op}` : op === "sum" ? "i32x4.add" : `i32x4.${op}_${dtype === "int32" ? "s" : "u"}`;
    fb.get(a0).get(v).op(name as "f32x4.add").set(a0);
  }
  fb.into(prev);
  splitInnermost(gen, site.nest, vz.body);
  // Fold the lanes into the scalar accumulator (after the loops, in the sink's order).
  if (floatSum) {
    fb.get(a0).get(a1).op("f64x2.add").set(a0);
    fb.get(acc).get(a0).lane("f64x2.extract_lane", 0).op("f64.add").get(a0).lane("f64x2.extract_lane", 1).op("f64.add").set(acc);
    return;
  }
  for (let lane = 0; lane < 4; lane++) {
    if (dtype === "float32") fb.get(acc).get(a0).lane("f32x4.extract_lane", lane).op(op === "max" ? "f32.max" : "f32.min").set(acc);
    else {
      fb.get(acc).get(a0).lane("i32x4.extract_lane", lane);
      if (op === "sum") fb.op("i32.add");
      else {
        const t = fb.local("i32"), u = fb.local("i32");
        fb.set(u).set(t).get(t).get(u).get(t).get(u);
        fb.op(op === "max" ? (dtype === "int32" ? "i32.gt_s" : "i32.gt_u") : dtype === "int32" ? "i32.lt_s" : "i32.lt_u").op("select");
      }
      fb.set(acc);
    }
  }
}

function vectorNonzero(fb: FunctionBuilder, fromFloat: boolean): void {
  // (x != 0) as 0/1 lanes.
  if (fromFloat) fb.f32x4(0).op("f32x4.ne");
  else fb.i32x4(0).op("i32x4.ne");
  fb.i32x4(1).op("v128.and");
}
