// Fusion: lowers a jaxpr into a short list of loop kernels over expression trees — the
// backend-neutral schedule that code generators (JS, WGSL) compile.
//
// Values stay lazy as expressions until something forces them into a buffer:
// - elementwise ops build expression trees (fusing chains into one loop);
// - view ops (reshape, transpose, broadcast, slice) re-index the leaves of a tree
//   instead of copying;
// - reductions become `reduce` nodes whose body is the producer's expression (prologue
//   fusion), and elementwise ops on a reduction's result extend the same kernel
//   (epilogue fusion: `sum(x) / n` is one loop nest);
// - a value is materialized when it is an output, is used more than once (and is not a
//   plain read), feeds a matmul or concatenation, or would otherwise be recomputed per
//   element of a broadcast.
//
// Equations are lowered by rule, not by name: FUSION_RULES (at the end of this file) maps a
// primitive to its lowering; primitives of kind elementwise/view/reduce need no entry (their
// class and their rules on the primitive, Primitive.view / Primitive.reducer, say how).

import type { DType } from "../dtype.js";
import { contiguousStrides, sizeOf, type Shape } from "../shape.js";
import { dimAdd, dimMul, isOne, knownEqual, type Dim } from "../symbolic.js";
import { Literal, Var, type Atom, type Eqn, type Jaxpr } from "./jaxpr.js";
import { View, type DynamicOffset } from "./view.js";
import { optimize } from "./passes.js";
import type { ClosedJaxpr } from "./jaxpr.js";
import { operandDType, type Primitive, type Reducer } from "../primitives/primitive.js";
import { freeAxes, type DimensionNumbers } from "../primitives/dot.js";
import { restAxes, type ScatterMode } from "../primitives/indexing.js";
import { CUMULATIVE_OPS, type CumulativeOp } from "../primitives/cumulative.js";
import { TsjitError } from "../errors.js";

/**
 * input/const: arguments; output: allocated per call and returned; temp: allocated once per
 * executable; carry: a loop's state, allocated once and swapped by reference each iteration.
 */
export type BufferKind = "input" | "const" | "temp" | "output" | "carry";

export interface BufferDecl {
  readonly id: number;
  readonly dtype: DType;
  readonly size: Dim;
  readonly kind: BufferKind;
  /** Position among the jaxpr's inputs / constvars / outputs, for those kinds. */
  readonly index: number;
}

export interface ScalarDecl {
  readonly id: number;
  readonly dtype: DType;
  /** `input`: a rank-0 argument (passed as a number or a 1-element array). */
  readonly kind: "input" | "local";
  readonly index: number;
}

export type ReduceOp = Reducer;

export type Expr =
  | { readonly kind: "load"; readonly buffer: BufferDecl; readonly view: View; readonly dtype: DType }
  | { readonly kind: "scalar"; readonly scalar: ScalarDecl; readonly dtype: DType }
  | { readonly kind: "const"; readonly value: Dim; readonly dtype: DType }
  /** The position `view.offset + Σ idx·stride` itself as a value (iota). */
  | { readonly kind: "index"; readonly view: View; readonly dtype: DType }
  | { readonly kind: "op"; readonly op: string; readonly args: readonly Expr[]; readonly operandDType: DType; readonly dtype: DType }
  | { readonly kind: "convert"; readonly arg: Expr; readonly from: DType; readonly dtype: DType }
  /** A data-dependent read: `buffer[offset]`, `offset` an int32 expression (gather; always in range). */
  | { readonly kind: "gather"; readonly buffer: BufferDecl; readonly offset: Expr; readonly dtype: DType }
  /** The reduction of `body` (indexed over `inShape`) over `axes`, at the enclosing index. */
  | {
      readonly kind: "reduce";
      readonly op: ReduceOp;
      readonly body: Expr;
      readonly inShape: Shape;
      readonly axes: readonly number[];
      readonly operandDType: DType;
      readonly dtype: DType;
    };

export type Target =
  | { readonly kind: "buffer"; readonly buffer: BufferDecl; readonly view: View }
  | { readonly kind: "scalar"; readonly scalar: ScalarDecl };

export interface MatmulOperand {
  readonly buffer: BufferDecl;
  readonly offset: Dim;
  readonly dynamic: readonly DynamicOffset[];
  readonly strides: readonly [Dim, Dim, Dim];
}

/** C[b, m, n] = Σ_k A[b, m, k] · B[b, k, n], operands read through strided views. */
export interface MatmulStep {
  readonly kind: "matmul";
  readonly a: MatmulOperand;
  readonly b: MatmulOperand;
  readonly out: BufferDecl;
  readonly batch: Dim;
  readonly m: Dim;
  readonly n: Dim;
  readonly k: Dim;
}

/** End of a loop iteration: the next carry becomes the current one. */
export type Swap =
  | { readonly kind: "buffers"; readonly current: BufferDecl; readonly next: BufferDecl }
  | { readonly kind: "scalar"; readonly current: ScalarDecl; readonly next: ScalarDecl };

/**
 * For every index of `shape` in row-major order, serially: `o = offset(idx)`; if o >= 0,
 * `buffer[o] = combine(buffer[o], value(idx))` (`set` replaces). Serial order makes
 * repeated indices accumulate deterministically; a negative offset drops the update.
 */
export interface ScatterStep {
  readonly kind: "scatter";
  readonly shape: Shape;
  readonly buffer: BufferDecl;
  readonly offset: Expr;
  readonly value: Expr;
  readonly mode: ScatterMode;
  /**
   * How many trailing axes of `shape` never make two updates meet (they index operand axes
   * that no index array touches): backends may run those in parallel, serial over the rest.
   */
  readonly parallelAxes: number;
}

/** A contiguous run of rows in a buffer: row r of `n` elements starts at `offset + dynamic + r·n`. */
export interface RowsOperand {
  readonly buffer: BufferDecl;
  readonly offset: Dim;
  readonly dynamic: readonly DynamicOffset[];
}

/**
 * Sorts `rows` rows of `n` elements (the sort axis moved last): each row is permuted by the
 * stable order of the first `numKeys` operands (lexicographic; NumPy's order: -0 == 0, NaN
 * last, see primitives/sort.ts; `descending` reverses it, ties stay in index order). The
 * first `keep` positions of each permuted row are written to `outputs[m]` (`[rows, keep]`,
 * contiguous; null: not needed) and the permutation itself to `indices` (int32).
 */
export interface SortStep {
  readonly kind: "sort";
  readonly rows: Dim;
  readonly n: Dim;
  readonly keep: Dim;
  readonly operands: readonly RowsOperand[];
  readonly numKeys: number;
  readonly descending: boolean;
  readonly outputs: readonly (BufferDecl | null)[];
  readonly indices: BufferDecl | null;
}

/**
 * A cumulative fold (cumsum/cumprod/cummax/cummin) along the middle axis of `[outer, n,
 * inner]`: element (o, t, i) sits at `base + (o·n + t)·inner + i` in the input (contiguous
 * from the operand's offset) and at `(o·n + t)·inner + i` in `output`; output (o, t, i)
 * folds inputs (o, 0..t, i) with `op` — (o, t..n-1, i) when `reverse`. Arithmetic is the
 * buffer dtype's: float32 rounds after every step, int32/uint32 wrap, max/min keep NaN.
 */
export interface CumulativeStep {
  readonly kind: "cumulative";
  readonly op: CumulativeOp;
  readonly reverse: boolean;
  readonly outer: Dim;
  readonly n: Dim;
  readonly inner: Dim;
  readonly input: RowsOperand;
  readonly output: BufferDecl;
}

export type Step =
  | { readonly kind: "loop"; readonly shape: Shape; readonly target: Target; readonly expr: Expr }
  | ScatterStep
  | SortStep
  | CumulativeStep
  | MatmulStep
  /** Runs `branches[index]`. */
  | { readonly kind: "cond"; readonly index: ScalarDecl; readonly branches: readonly (readonly Step[])[] }
  /** `while (true) { cond; if (!pred) break; body; swaps }` */
  | { readonly kind: "while"; readonly cond: readonly Step[]; readonly pred: ScalarDecl; readonly body: readonly Step[]; readonly swaps: readonly Swap[] }
  /** `for (t < length) { counter = reverse ? length-1-t : t; body; swaps }` */
  | {
      readonly kind: "scan";
      readonly length: Dim;
      readonly reverse: boolean;
      readonly counter: ScalarDecl;
      readonly body: readonly Step[];
      readonly swaps: readonly Swap[];
    };

export type OutputRef =
  | { readonly kind: "buffer"; readonly buffer: BufferDecl }
  | { readonly kind: "scalar"; readonly scalar: ScalarDecl }
  | { readonly kind: "const"; readonly value: Dim; readonly dtype: DType };

export interface Program {
  readonly inputs: readonly (BufferDecl | ScalarDecl)[];
  readonly consts: readonly BufferDecl[];
  readonly buffers: readonly BufferDecl[];
  readonly scalars: readonly ScalarDecl[];
  readonly steps: readonly Step[];
  readonly outputs: readonly OutputRef[];
}

interface Lazy {
  readonly shape: Shape;
  readonly expr: Expr;
}

export class UnsupportedPrimitiveError extends TsjitError {}

// --- expression helpers ------------------------------------------------------------------

export function containsReduce(e: Expr): boolean {
  switch (e.kind) {
    case "reduce": return true;
    case "op": return e.args.some(containsReduce);
    case "convert": return containsReduce(e.arg);
    case "gather": return containsReduce(e.offset);
    default: return false;
  }
}

/**
 * Deepest expression a kernel computes. A longer chain (thousands of ops from a JS loop
 * inside jit) is materialized every MAX_FUSED_DEPTH ops, so code generators and the
 * interpreter, which walk expressions recursively, stay far from the stack limit, and no
 * generated function grows past what V8 optimizes. Real programs rarely reach a tenth of it.
 */
export const MAX_FUSED_DEPTH = 256;

const depths = new WeakMap<Expr, number>();

/** Ops on the longest path from `e` to a leaf (memoized; bounded, since deeper values are materialized). */
function exprDepth(e: Expr): number {
  let d = depths.get(e);
  if (d !== undefined) return d;
  switch (e.kind) {
    case "op": d = 1 + Math.max(...e.args.map(exprDepth)); break;
    case "convert": d = 1 + exprDepth(e.arg); break;
    case "gather": d = 1 + exprDepth(e.offset); break;
    case "reduce": d = 1 + exprDepth(e.body); break;
    default: d = 0;
  }
  depths.set(e, d);
  return d;
}

/** A read (possibly converted): cheap to duplicate or to recompute per element. */
function isLeaf(e: Expr): boolean {
  if (e.kind === "convert") return isLeaf(e.arg);
  return e.kind === "load" || e.kind === "scalar" || e.kind === "const" || e.kind === "index";
}

/**
 * Re-indexes every leaf of an expression of rank `rank` through `f`; null if some view
 * cannot be re-indexed. Rank-0 leaves of a higher-rank expression are scalar operands that
 * broadcast implicitly (`mul a 2.0:f32[]` with a 0-d array): they read one element at
 * every index and stay as they are.
 */
function mapViews(e: Expr, f: (v: View) => View | null, rank: number): Expr | null {
  switch (e.kind) {
    case "load":
    case "index": {
      if (e.view.shape.length !== rank) return e;
      const view = f(e.view);
      return view && { ...e, view };
    }
    case "scalar":
    case "const":
      return e;
    case "convert": {
      const arg = mapViews(e.arg, f, rank);
      return arg && { ...e, arg };
    }
    case "gather": {
      const offset = mapViews(e.offset, f, rank);
      return offset && { ...e, offset };
    }
    case "op": {
      const args: Expr[] = [];
      for (const a of e.args) {
        const m = mapViews(a, f, rank);
        if (!m) return null;
        args.push(m);
      }
      return { ...e, args };
    }
    case "reduce":
      return null; // Callers materialize reductions before re-indexing them.
  }
}

/** Strides of `view` with each group of axes merged into one, or null if a group is not mergeable. */
function mergeAxisGroups(view: View, shape: Shape, groups: readonly (readonly number[])[]): [Dim, Dim, Dim] | null {
  const strides: Dim[] = [];
  for (const g of groups) {
    const dims = g.filter((d) => !isOne(shape[d]!));
    if (dims.length === 0) { strides.push(0); continue; }
    for (let i = 0; i < dims.length - 1; i++) {
      if (!knownEqual(view.strides[dims[i]!]!, dimMul(view.strides[dims[i + 1]!]!, shape[dims[i + 1]!]!))) return null;
    }
    strides.push(view.strides[dims[dims.length - 1]!]!);
  }
  return strides as [Dim, Dim, Dim];
}

const int32Op = (op: string, ...args: Expr[]): Expr => ({ kind: "op", op, args, operandDType: "int32", dtype: "int32" });
const boolOp = (op: string, operandDType: DType, ...args: Expr[]): Expr => ({ kind: "op", op, args, operandDType, dtype: "bool" });
const int32Const = (value: Dim): Expr => ({ kind: "const", value, dtype: "int32" });

/** `min(max(e, lo), hi)` on int32 (a constant folds). */
function clampExpr(e: Expr, lo: number, hi: number): Expr {
  if (e.kind === "const" && typeof e.value === "number") return int32Const(Math.min(Math.max(e.value, lo), hi));
  return int32Op("min", int32Op("max", e, int32Const(lo)), int32Const(hi));
}

function addTerm(a: Expr, b: Expr): Expr {
  return a.kind === "const" && a.value === 0 ? b : int32Op("add", a, b);
}

function scaled(e: Expr, stride: Dim): Expr {
  if (stride === 0) return int32Const(0);
  return stride === 1 ? e : int32Op("mul", e, int32Const(stride));
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Whether `e` is the int32 iota along axis `dim` (each element its own position on that axis). */
function isIotaAlong(e: Expr, dim: number): boolean {
  if (e.kind !== "index" || e.dtype !== "int32" || e.view.offset !== 0 || e.view.dynamic.length) return false;
  return e.view.strides.every((s, d) => (d === dim ? s === 1 : s === 0 || isOne(e.view.shape[d]!)));
}

// --- the scheduler -------------------------------------------------------------------------

export function scheduleJaxpr(jaxpr: Jaxpr): Program {
  return new Scheduler(jaxpr).run();
}

export class Scheduler {
  private readonly buffers: BufferDecl[] = [];
  private readonly scalars: ScalarDecl[] = [];
  /** Where new steps go: the program's list, or a branch's / loop body's. */
  private steps: Step[] = [];
  private readonly env = new Map<Var, Lazy>();
  private readonly uses = new Map<Var, number>();
  private readonly outvarSet: Set<Var>;
  private outputCount = 0;

  constructor(private readonly jaxpr: Jaxpr) {
    this.outvarSet = new Set(jaxpr.outvars.filter((a): a is Var => a instanceof Var));
  }

  run(): Program {
    const { jaxpr } = this;
    const inputs = jaxpr.invars.map((v, i) => {
      if (v.aval.ndim === 0) {
        const s = this.newScalar(v.aval.dtype, "input", i);
        this.env.set(v, { shape: [], expr: { kind: "scalar", scalar: s, dtype: s.dtype } });
        return s;
      }
      const b = this.newBuffer(v.aval.dtype, v.aval.size, "input", i);
      this.env.set(v, this.loadOf(b, v.aval.shape));
      return b;
    });
    const consts = jaxpr.constvars.map((v, i) => {
      const b = this.newBuffer(v.aval.dtype, v.aval.size, "const", i);
      this.env.set(v, this.loadOf(b, v.aval.shape));
      return b;
    });

    const topSteps = this.steps;
    this.lowerEqns(jaxpr);
    const outputs = jaxpr.outvars.map((a) => this.outputRef(a));
    return { inputs, consts, buffers: this.buffers, scalars: this.scalars, steps: topSteps, outputs };
  }

  private lowerEqns(jaxpr: Jaxpr): void {
    for (const e of jaxpr.eqns) for (const a of e.inputs) if (a instanceof Var) this.uses.set(a, (this.uses.get(a) ?? 0) + 1);
    for (const a of jaxpr.outvars) if (a instanceof Var) this.uses.set(a, (this.uses.get(a) ?? 0) + 1);
    for (const eqn of jaxpr.eqns) {
      this.lowerEqn(eqn);
      for (const out of eqn.outputs) {
        const lazy = this.env.get(out);
        if (!lazy || isLeaf(lazy.expr)) continue;
        if ((this.uses.get(out) ?? 0) > 1 || exprDepth(lazy.expr) > MAX_FUSED_DEPTH) this.materialize(out, lazy);
      }
    }
  }

  /** Lowers a sub-jaxpr (optimized first) with its inputs bound to `inputs`; returns its outputs, still lazy. */
  private lowerSubJaxpr(closed: ClosedJaxpr, inputs: readonly Lazy[]): Lazy[] {
    const jaxpr = optimize(closed.jaxpr);
    jaxpr.invars.forEach((v, i) => this.env.set(v, inputs[i]!));
    this.lowerEqns(jaxpr);
    return jaxpr.outvars.map((a) => this.get(a));
  }

  /** Runs `f` with new steps collected into a fresh list, which is returned. */
  private collect(f: () => void): Step[] {
    const saved = this.steps;
    const list: Step[] = [];
    this.steps = list;
    try {
      f();
    } finally {
      this.steps = saved;
    }
    return list;
  }

  // --- declarations ---------------------------------------------------------------------

  private newBuffer(dtype: DType, size: Dim, kind: BufferKind, index = -1): BufferDecl {
    const b: BufferDecl = { id: this.buffers.length, dtype, size, kind, index };
    this.buffers.push(b);
    return b;
  }

  /** A buffer for a computed value: the program's next output buffer when `output`, else a temporary. */
  private resultBuffer(dtype: DType, size: Dim, output: boolean): BufferDecl {
    return output ? this.newBuffer(dtype, size, "output", this.outputCount++) : this.newBuffer(dtype, size, "temp");
  }

  private newScalar(dtype: DType, kind: "input" | "local", index = -1): ScalarDecl {
    const s: ScalarDecl = { id: this.scalars.length, dtype, kind, index };
    this.scalars.push(s);
    return s;
  }

  private loadOf(buffer: BufferDecl, shape: Shape, view = View.contiguous(shape)): Lazy {
    return { shape, expr: { kind: "load", buffer, view, dtype: buffer.dtype } };
  }

  // --- lowering -----------------------------------------------------------------------------

  private get(a: Atom): Lazy {
    if (a instanceof Literal) return { shape: [], expr: { kind: "const", value: a.value, dtype: a.aval.dtype } };
    const lazy = this.env.get(a);
    if (!lazy) throw new Error("internal: variable used before definition");
    return lazy;
  }

  /** Forces a lazy value into a buffer (or a scalar local) and rebinds `v` to its read. */
  private materialize(v: Var | undefined, lazy: Lazy): Lazy {
    const dtype = lazy.expr.dtype;
    if (lazy.shape.length === 0 && !(v && this.outvarSet.has(v))) {
      if (lazy.expr.kind === "scalar" || lazy.expr.kind === "const") return lazy;
      const s = this.newScalar(dtype, "local");
      this.steps.push({ kind: "loop", shape: [], target: { kind: "scalar", scalar: s }, expr: lazy.expr });
      const out: Lazy = { shape: [], expr: { kind: "scalar", scalar: s, dtype } };
      if (v) this.env.set(v, out);
      return out;
    }
    const isOutput = v !== undefined && this.outvarSet.has(v);
    const buffer = this.resultBuffer(dtype, sizeOf(lazy.shape), isOutput);
    const view = View.contiguous(lazy.shape);
    this.steps.push({ kind: "loop", shape: lazy.shape, target: { kind: "buffer", buffer, view }, expr: lazy.expr });
    const out = this.loadOf(buffer, lazy.shape, view);
    if (v) this.env.set(v, out);
    return out;
  }

  /** Lowers one equation by its rule: FUSION_RULES by name, else the rule of its class. */
  private lowerEqn(eqn: Eqn): void {
    const rule = fusionRuleFor(eqn.primitive);
    if (!rule) throw new UnsupportedPrimitiveError(`The fusion pass has no rule for primitive '${eqn.primitive.name}' (kind ${eqn.primitive.kind}).`);
    rule(this, eqn);
  }

  /** An elementwise primitive: an `op` node over its operands' expressions (fused lazily). */
  lowerElementwise(eqn: Eqn): void {
    const out = eqn.outputs[0]!;
    const args = eqn.inputs.map((a) => this.get(a).expr);
    const expr: Expr = { kind: "op", op: eqn.primitive.name, args, operandDType: operandDType(eqn.inputs), dtype: out.aval.dtype };
    this.env.set(out, { shape: out.aval.shape, expr });
  }

  lowerIota(eqn: Eqn): void {
    const out = eqn.outputs[0]!;
    const outShape = out.aval.shape;
    const dim = eqn.params.dimension as number;
    const strides = outShape.map((_, d) => (d === dim ? 1 : 0));
    this.env.set(out, { shape: outShape, expr: { kind: "index", view: new View(outShape, strides, 0), dtype: out.aval.dtype } });
  }

  lowerConvert(eqn: Eqn): void {
    const out = eqn.outputs[0]!;
    const arg = this.get(eqn.inputs[0]!).expr;
    this.env.set(out, { shape: out.aval.shape, expr: { kind: "convert", arg, from: eqn.inputs[0]!.aval.dtype, dtype: out.aval.dtype } });
  }

  /** A view primitive re-indexes its input's leaves (Primitive.view). */
  lowerView(eqn: Eqn): void {
    const out = eqn.outputs[0]!;
    const input = this.get(eqn.inputs[0]!);
    const { reindex, expands } = eqn.primitive.view!(eqn.params, input.shape, out.aval.shape);
    this.env.set(out, this.reindex(input, reindex, out.aval.shape, expands));
  }

  /** `input` read through `f` (materialized first where re-indexing is impossible or would recompute work). */
  private reindex(input: Lazy, f: (v: View) => View | null, outShape: Shape, expands: boolean): Lazy {
    let lazy = input;
    // Re-indexing a reduction, or broadcasting real work, would recompute it per element.
    if (containsReduce(lazy.expr) || (expands && !isLeaf(lazy.expr))) lazy = this.materialize(undefined, lazy);
    let expr = mapViews(lazy.expr, f, lazy.shape.length);
    if (!expr) {
      lazy = this.materialize(undefined, lazy);
      expr = mapViews(lazy.expr, f, lazy.shape.length)!;
    }
    return { shape: outShape, expr };
  }

  // --- data-dependent indexing ------------------------------------------------------------

  /**
   * Start positions of a block of `sizes` in `shape`, clamped so it fits (JAX's rule):
   * literal starts fold into the static offset, traced ones into scalar locals computed
   * once before the kernels that read them (views carry them as dynamic offset terms).
   */
  private blockStarts(shape: Shape, sizes: Shape, starts: readonly Atom[]) {
    const start: number[] = [];
    const dynamic: { axis: number; scalar: number }[] = [];
    starts.forEach((a, d) => {
      const hi = (shape[d] as number) - (sizes[d] as number);
      const s = clampExpr(this.get(a).expr, 0, hi);
      if (s.kind === "const") start.push(s.value as number);
      else {
        start.push(0);
        dynamic.push({ axis: d, scalar: this.toScalar({ shape: [], expr: s }).id });
      }
    });
    return { start, dynamic };
  }

  /** A view with a run-time offset: fuses into the consumer like a static slice. */
  lowerDynamicSlice(eqn: Eqn): void {
    const [x, ...starts] = eqn.inputs;
    const out = eqn.outputs[0]!;
    const { start, dynamic } = this.blockStarts(x!.aval.shape, out.aval.shape, starts);
    this.env.set(out, this.reindex(this.get(x!), (v) => v.dynamicSlice(start, out.aval.shape, dynamic), out.aval.shape, false));
  }

  /** A copy of the operand, then the update written through a dynamic view of the copy. */
  lowerDynamicUpdateSlice(eqn: Eqn): void {
    const [x, update, ...starts] = eqn.inputs;
    const out = eqn.outputs[0]!;
    if (out.aval.ndim === 0) return void this.env.set(out, this.get(update!));
    const { start, dynamic } = this.blockStarts(x!.aval.shape, update!.aval.shape, starts);
    const dest = this.destination(out) as Extract<Target, { kind: "buffer" }>;
    this.writeTo(dest, this.get(x!));
    this.writeTo({ ...dest, view: dest.view.dynamicSlice(start, update!.aval.shape, dynamic) }, this.get(update!));
    this.env.set(out, this.readTarget(dest, out.aval.shape));
  }

  /**
   * The linear position an indexed element maps to, as an int32 expression over `shape`
   * (index shape, then the operand's other axes): the other axes through `strides`, each
   * index array (re-indexed to `shape`) clamped into range or, with `valid`, checked.
   */
  private indexedOffset(operand: Shape, strides: readonly Dim[], base: View, axes: readonly number[], indices: readonly Atom[], shape: Shape) {
    const nb = indices[0]!.aval.ndim;
    const rest = restAxes(operand.length, axes);
    const restView = new View(shape, [...Array<Dim>(nb).fill(0), ...rest.map((d) => strides[d]!)], base.offset, base.dynamic);
    let offset: Expr = rest.length || base.offset !== 0 || base.dynamic.length ? { kind: "index", view: restView, dtype: "int32" } : int32Const(0);
    const toShape = (v: View) => v.broadcastInDim(shape, Array.from({ length: nb }, (_, i) => i));
    // Small index arithmetic (negative-index wrapping) is recomputed per element rather than
    // given a kernel of its own: code generators hoist it to the loops it varies in.
    const expands = rest.some((d) => !isOne(operand[d]!));
    const read = indices.map((a) => {
      const lazy = this.get(a);
      return this.reindex(lazy, toShape, shape, expands && exprDepth(lazy.expr) > 4).expr;
    });
    return { offset, read, add: (e: Expr, k: number) => (offset = addTerm(offset, scaled(e, strides[axes[k]!]!))), get value() { return offset; } };
  }

  /** A gather is a read at a computed position: it fuses into its consumers like any load. */
  lowerGather(eqn: Eqn): void {
    const [x, ...indices] = eqn.inputs;
    const out = eqn.outputs[0]!;
    const axes = eqn.params.axes as number[];
    const { buffer, view } = this.readOf(x!);
    const pos = this.indexedOffset(x!.aval.shape, view.strides, view, axes, indices, out.aval.shape);
    pos.read.forEach((e, k) => pos.add(clampExpr(e, 0, (x!.aval.shape[axes[k]!] as number) - 1), k));
    this.env.set(out, { shape: out.aval.shape, expr: { kind: "gather", buffer, offset: pos.value, dtype: out.aval.dtype } });
  }

  /** A copy of the operand, then one serial pass over the updates (see ScatterStep). */
  lowerScatter(eqn: Eqn): void {
    const [x, updates, ...indices] = eqn.inputs;
    const out = eqn.outputs[0]!;
    const axes = eqn.params.axes as number[];
    const shape = x!.aval.shape;
    const dest = this.destination(out) as Extract<Target, { kind: "buffer" }>;
    this.writeTo(dest, this.get(x!));
    const uShape = updates!.aval.shape;
    const pos = this.indexedOffset(shape, contiguousStrides(shape), View.contiguous(shape), axes, indices, uShape);
    let valid: Expr | undefined;
    pos.read.forEach((e, k) => {
      const inRange = boolOp("and", "bool", boolOp("ge", "int32", e, int32Const(0)), boolOp("lt", "int32", e, int32Const(shape[axes[k]!]!)));
      valid = valid ? boolOp("and", "bool", valid, inRange) : inRange;
      pos.add(e, k);
    });
    const offset: Expr = { kind: "op", op: "select_n", args: [valid!, int32Const(-1), pos.value], operandDType: "int32", dtype: "int32" };
    let value = this.get(updates!);
    if (containsReduce(value.expr)) value = this.materialize(undefined, value);
    const parallelAxes = uShape.length - indices[0]!.aval.ndim;
    this.steps.push({ kind: "scatter", shape: uShape, buffer: dest.buffer, offset, value: value.expr, mode: eqn.params.mode as ScatterMode, parallelAxes });
    this.env.set(out, this.readTarget(dest, shape));
  }

  // --- sorting ----------------------------------------------------------------------------

  /**
   * sort and top_k: operands read as contiguous rows with the sort axis last (copied into
   * that layout if their view is not), one SortStep, outputs read back through the inverse
   * transpose. An operand that is the iota along the sort axis (argsort's payload) is not
   * materialized: its output is the step's permutation. Unused outputs are not written.
   */
  lowerSort(eqn: Eqn): void {
    const topK = eqn.primitive.name === "top_k";
    const shape = eqn.inputs[0]!.aval.shape;
    const rank = shape.length;
    const dim = topK ? rank - 1 : (eqn.params.dimension as number);
    const perm = [...range(rank).filter((d) => d !== dim), dim];
    const movedShape = perm.map((d) => shape[d]!);
    const n = shape[dim]!;
    const rows = sizeOf(movedShape.slice(0, -1));
    const keep = topK ? (eqn.params.k as number) : n;
    const numKeys = topK ? 1 : (eqn.params.num_keys as number);
    const used = (v: Var) => (this.uses.get(v) ?? 0) > 0;
    const operands: RowsOperand[] = [];
    const outputs: (BufferDecl | null)[] = [];
    let indices: BufferDecl | null = null;
    const indexOuts: Var[] = [];
    const outShape = [...movedShape.slice(0, -1), keep];
    const newOut = (v: Var, dtype: DType) => {
      // Written as [rows, keep]: that is the output's own layout when the sort axis is last.
      const direct = dim === rank - 1 && this.outvarSet.has(v);
      return this.resultBuffer(dtype, sizeOf(outShape), direct);
    };
    eqn.inputs.forEach((a, m) => {
      const out = eqn.outputs[m]!;
      const lazy = this.get(a);
      if (m >= numKeys && !used(out)) return; // a payload nobody reads
      if (m >= numKeys && isIotaAlong(lazy.expr, dim)) {
        indexOuts.push(out);
        return;
      }
      operands.push(this.rowsOf(a, perm));
      const needed = used(out);
      outputs.push(needed ? newOut(out, out.aval.dtype) : null);
      if (needed) this.env.set(out, this.sortedRead(outputs[outputs.length - 1]!, outShape, perm));
    });
    if (topK && used(eqn.outputs[1]!)) indexOuts.push(eqn.outputs[1]!);
    if (indexOuts.length) {
      indices = newOut(indexOuts[0]!, "int32");
      for (const v of indexOuts) this.env.set(v, this.sortedRead(indices, outShape, perm));
    }
    this.steps.push({ kind: "sort", rows, n, keep, operands, numKeys, descending: topK || (eqn.params.descending as boolean), outputs, indices });
  }

  /** A cumulative primitive: its operand as a contiguous buffer, one CumulativeStep into a fresh one. */
  lowerCumulative(eqn: Eqn): void {
    const out = eqn.outputs[0]!;
    const shape = out.aval.shape;
    const axis = eqn.params.axis as number;
    const input = this.rowsOf(eqn.inputs[0]!);
    const output = this.resultBuffer(out.aval.dtype, sizeOf(shape), this.outvarSet.has(out));
    this.steps.push({
      kind: "cumulative",
      op: CUMULATIVE_OPS[eqn.primitive.name]!,
      reverse: eqn.params.reverse as boolean,
      outer: sizeOf(shape.slice(0, axis)),
      n: shape[axis]!,
      inner: sizeOf(shape.slice(axis + 1)),
      input,
      output,
    });
    this.env.set(out, this.loadOf(output, shape));
  }

  /** `a` as contiguous memory with its axes in `perm` order (copied into that layout if its view is not). */
  private rowsOf(a: Atom, perm?: readonly number[]): RowsOperand {
    const { buffer, view } = this.readOf(a);
    const moved = perm ? view.transpose(perm) : view;
    if (moved.isContiguous) return { buffer, offset: moved.offset, dynamic: moved.dynamic };
    return { buffer: this.copyToTemp(moved.shape, { kind: "load", buffer, view: moved, dtype: buffer.dtype }).buffer, offset: 0, dynamic: [] };
  }

  /** A [rows, keep] result buffer read in the operand's axis order. */
  private sortedRead(buffer: BufferDecl, movedShape: Shape, perm: readonly number[]): Lazy {
    const inv = new Array<number>(perm.length);
    perm.forEach((q, i) => (inv[q] = i));
    const view = View.contiguous(movedShape).transpose(inv);
    return this.loadOf(buffer, view.shape, view);
  }

  /** A reduce primitive: a `reduce` node of its reducer (Primitive.reducer) over the producer's expression. */
  lowerReduce(eqn: Eqn): void {
    const out = eqn.outputs[0]!;
    const axes = eqn.params.axes as number[];
    let input = this.get(eqn.inputs[0]!);
    if (axes.length === 0) return void this.env.set(out, { shape: out.aval.shape, expr: input.expr });
    if (containsReduce(input.expr)) input = this.materialize(undefined, input);
    const op: ReduceOp = eqn.primitive.reducer!;
    this.env.set(out, {
      shape: out.aval.shape,
      expr: { kind: "reduce", op, body: input.expr, inShape: input.shape, axes, operandDType: input.expr.dtype, dtype: out.aval.dtype },
    });
  }

  /** A plain read of `a` through some view, materializing it if it is anything more. */
  private readOf(a: Atom): { buffer: BufferDecl; view: View } {
    const lazy = this.get(a);
    if (lazy.expr.kind === "load") return { buffer: lazy.expr.buffer, view: lazy.expr.view };
    return this.copyToTemp(lazy.shape, lazy.expr);
  }

  private copyToTemp(shape: Shape, expr: Expr): { buffer: BufferDecl; view: View } {
    const buffer = this.newBuffer(expr.dtype, sizeOf(shape), "temp");
    const view = View.contiguous(shape);
    this.steps.push({ kind: "loop", shape, target: { kind: "buffer", buffer, view }, expr });
    return { buffer, view };
  }

  lowerDot(eqn: Eqn): void {
    const out = eqn.outputs[0]!;
    const [[lc, rc], [lb, rb]] = eqn.params.dimension_numbers as DimensionNumbers;
    const lhsAval = eqn.inputs[0]!.aval, rhsAval = eqn.inputs[1]!.aval;
    const lf = freeAxes(lhsAval.ndim, [...lc, ...lb]);
    const rf = freeAxes(rhsAval.ndim, [...rc, ...rb]);
    // Canonical layouts: lhs (batch, m, k), rhs (batch, k, n); each group merged to one axis.
    const lhs = this.groupedOperand(eqn.inputs[0]!, [lb, lf, lc]);
    const rhs = this.groupedOperand(eqn.inputs[1]!, [rb, rc, rf]);
    const size = (shape: Shape, axes: readonly number[]) => sizeOf(axes.map((a) => shape[a]!));
    const buffer = this.resultBuffer(out.aval.dtype, out.aval.size, this.outvarSet.has(out));
    this.steps.push({
      kind: "matmul",
      a: lhs,
      b: rhs,
      out: buffer,
      batch: size(lhsAval.shape, lb),
      m: size(lhsAval.shape, lf),
      k: size(lhsAval.shape, lc),
      n: size(rhsAval.shape, rf),
    });
    this.env.set(out, this.loadOf(buffer, out.aval.shape));
  }

  /**
   * Reads `a` as a 3-axis strided operand whose axes are the given groups of its axes
   * (each group merged into one); copies it into group order first if a group's axes
   * cannot be merged through its current view.
   */
  private groupedOperand(a: Atom, groups: readonly (readonly number[])[]): MatmulStep["a"] {
    const shape = a.aval.shape;
    let { buffer, view } = this.readOf(a);
    let strides = mergeAxisGroups(view, shape, groups);
    if (!strides) {
      const perm = groups.flat();
      const copy = this.copyToTemp(perm.map((p) => shape[p]!), { kind: "load", buffer, view: view.transpose(perm), dtype: buffer.dtype });
      // The copy's axes are the original axes in `perm` order; express it in original numbering.
      const original = new Array<Dim>(shape.length);
      perm.forEach((p, i) => (original[p] = copy.view.strides[i]!));
      buffer = copy.buffer;
      view = new View(shape, original, 0);
      strides = mergeAxisGroups(view, shape, groups)!;
    }
    return { buffer, offset: view.offset, dynamic: view.dynamic, strides };
  }

  lowerConcatenate(eqn: Eqn): void {
    const out = eqn.outputs[0]!;
    const dim = eqn.params.dimension as number;
    const buffer = this.resultBuffer(out.aval.dtype, out.aval.size, this.outvarSet.has(out));
    const full = View.contiguous(out.aval.shape);
    let at: Dim = 0;
    for (const a of eqn.inputs) {
      const part = this.get(a);
      const n = a.aval.shape[dim]!;
      const start = out.aval.shape.map((_, d) => (d === dim ? at : 0));
      const limit = out.aval.shape.map((s, d) => (d === dim ? dimAdd(at, n) : s));
      if (n !== 0) this.steps.push({ kind: "loop", shape: a.aval.shape, target: { kind: "buffer", buffer, view: full.slice(start, limit, null) }, expr: part.expr });
      at = dimAdd(at, n);
    }
    this.env.set(out, this.loadOf(buffer, out.aval.shape));
  }

  // --- control flow ---------------------------------------------------------------------

  /** Where an equation output lives when branches or loop iterations write it. */
  private destination(v: Var): Target {
    if (v.aval.ndim === 0 && !this.outvarSet.has(v)) return { kind: "scalar", scalar: this.newScalar(v.aval.dtype, "local") };
    const buffer = this.resultBuffer(v.aval.dtype, v.aval.size, this.outvarSet.has(v));
    return { kind: "buffer", buffer, view: View.contiguous(v.aval.shape) };
  }

  private readTarget(t: Target, shape: Shape): Lazy {
    if (t.kind === "scalar") return { shape: [], expr: { kind: "scalar", scalar: t.scalar, dtype: t.scalar.dtype } };
    return this.loadOf(t.buffer, shape, t.view);
  }

  private writeTo(target: Target, value: Lazy): void {
    this.steps.push({ kind: "loop", shape: value.shape, target, expr: value.expr });
  }

  /** The value of a rank-0 lazy in a scalar local. */
  private toScalar(value: Lazy): ScalarDecl {
    if (value.expr.kind === "scalar") return value.expr.scalar;
    const scalar = this.newScalar(value.expr.dtype, "local");
    this.writeTo({ kind: "scalar", scalar }, value);
    return scalar;
  }

  /** Loop operands are read every iteration: compute anything more than a read once, before the loop. */
  private hoisted(a: Atom): Lazy {
    const lazy = this.get(a);
    return isLeaf(lazy.expr) ? lazy : this.materialize(undefined, lazy);
  }

  lowerCond(eqn: Eqn): void {
    const [indexAtom, ...opAtoms] = eqn.inputs;
    const branches = eqn.params.branches as readonly ClosedJaxpr[];
    const index = this.get(indexAtom!);
    const operands = opAtoms.map((a) => this.get(a));
    if (index.expr.kind === "const") {
      // A predicate known when compiling: only the chosen branch exists.
      const chosen = branches[Math.min(Math.max(index.expr.value as number, 0), branches.length - 1)]!;
      this.lowerSubJaxpr(chosen, operands).forEach((out, i) => this.env.set(eqn.outputs[i]!, out));
      return;
    }
    const indexScalar = this.toScalar(index);
    const dests = eqn.outputs.map((v) => this.destination(v));
    const lowered = branches.map((b) =>
      this.collect(() => {
        this.lowerSubJaxpr(b, operands).forEach((out, i) => this.writeTo(dests[i]!, out));
      }),
    );
    this.steps.push({ kind: "cond", index: indexScalar, branches: lowered });
    eqn.outputs.forEach((v, i) => this.env.set(v, this.readTarget(dests[i]!, v.aval.shape)));
  }

  /**
   * State for a loop's carries. A carry the body returns unchanged is loop-invariant and
   * read in place; the others get a current and a next slot, swapped after each iteration.
   */
  private carrySlots(body: ClosedJaxpr, numConsts: number, init: readonly Atom[]) {
    const { invars, outvars } = body.jaxpr;
    return init.map((a, i) => {
      const invariant = outvars[i] === invars[numConsts + i];
      if (invariant) return { invariant: true as const, current: this.hoisted(a) };
      const shape = a.aval.shape;
      let current: Target, next: Target, swap: Swap;
      if (shape.length === 0) {
        const c = this.newScalar(a.aval.dtype, "local"), n = this.newScalar(a.aval.dtype, "local");
        current = { kind: "scalar", scalar: c };
        next = { kind: "scalar", scalar: n };
        swap = { kind: "scalar", current: c, next: n };
      } else {
        const view = View.contiguous(shape);
        const c = this.newBuffer(a.aval.dtype, a.aval.size, "carry"), n = this.newBuffer(a.aval.dtype, a.aval.size, "carry");
        current = { kind: "buffer", buffer: c, view };
        next = { kind: "buffer", buffer: n, view };
        swap = { kind: "buffers", current: c, next: n };
      }
      this.writeTo(current, this.get(a));
      return { invariant: false as const, current: this.readTarget(current, shape), next, swap };
    });
  }

  lowerWhile(eqn: Eqn): void {
    const { cond_jaxpr, body_jaxpr, cond_nconsts, body_nconsts } = eqn.params as {
      cond_jaxpr: ClosedJaxpr; body_jaxpr: ClosedJaxpr; cond_nconsts: number; body_nconsts: number;
    };
    const condConsts = eqn.inputs.slice(0, cond_nconsts).map((a) => this.hoisted(a));
    const bodyConsts = eqn.inputs.slice(cond_nconsts, cond_nconsts + body_nconsts).map((a) => this.hoisted(a));
    const slots = this.carrySlots(body_jaxpr, body_nconsts, eqn.inputs.slice(cond_nconsts + body_nconsts));
    const carry = slots.map((s) => s.current);
    let pred: ScalarDecl | undefined;
    const condSteps = this.collect(() => {
      pred = this.toScalar(this.lowerSubJaxpr(cond_jaxpr, [...condConsts, ...carry])[0]!);
    });
    const bodySteps = this.collect(() => {
      const outs = this.lowerSubJaxpr(body_jaxpr, [...bodyConsts, ...carry]);
      slots.forEach((s, i) => {
        if (!s.invariant) this.writeTo(s.next, outs[i]!);
      });
    });
    const swaps = slots.flatMap((s) => (s.invariant ? [] : [s.swap]));
    this.steps.push({ kind: "while", cond: condSteps, pred: pred!, body: bodySteps, swaps });
    eqn.outputs.forEach((v, i) => this.env.set(v, slots[i]!.current));
  }

  lowerScan(eqn: Eqn): void {
    const { jaxpr, length, reverse, num_consts, num_carry } = eqn.params as {
      jaxpr: ClosedJaxpr; length: Dim; reverse: boolean; num_consts: number; num_carry: number;
    };
    const consts = eqn.inputs.slice(0, num_consts).map((a) => this.hoisted(a));
    const slots = this.carrySlots(jaxpr, num_consts, eqn.inputs.slice(num_consts, num_consts + num_carry));
    const counter = this.newScalar("int32", "local");
    // Each iteration reads slice `counter` of every xs operand through a dynamic offset.
    const xs = eqn.inputs.slice(num_consts + num_carry).map((a): Lazy => {
      const { buffer, view } = this.readOf(a);
      const slice = view.indexLeading(counter.id);
      return { shape: slice.shape, expr: { kind: "load", buffer, view: slice, dtype: buffer.dtype } };
    });
    const ysOut = eqn.outputs.slice(num_carry);
    const ysTargets = ysOut.map((v) => {
      const buffer = this.resultBuffer(v.aval.dtype, v.aval.size, this.outvarSet.has(v));
      return { buffer, whole: View.contiguous(v.aval.shape) };
    });
    const body = this.collect(() => {
      const outs = this.lowerSubJaxpr(jaxpr, [...consts, ...slots.map((s) => s.current), ...xs]);
      slots.forEach((s, i) => {
        if (!s.invariant) this.writeTo(s.next, outs[i]!);
      });
      ysTargets.forEach((y, j) => {
        this.writeTo({ kind: "buffer", buffer: y.buffer, view: y.whole.indexLeading(counter.id) }, outs[num_carry + j]!);
      });
    });
    const swaps = slots.flatMap((s) => (s.invariant ? [] : [s.swap]));
    this.steps.push({ kind: "scan", length, reverse, counter, body, swaps });
    slots.forEach((s, i) => this.env.set(eqn.outputs[i]!, s.current));
    ysOut.forEach((v, j) => this.env.set(v, this.loadOf(ysTargets[j]!.buffer, v.aval.shape)));
  }

  // --- outputs ----------------------------------------------------------------------------

  private outputRef(a: Atom): OutputRef {
    if (a instanceof Literal) return { kind: "const", value: a.value, dtype: a.aval.dtype };
    let lazy = this.get(a);
    const e = lazy.expr;
    // Whole, contiguous reads of an existing array are returned without copying.
    const aliasable = e.kind === "load" && (e.buffer.kind === "input" || e.buffer.kind === "const" || e.buffer.kind === "output");
    if (aliasable && e.view.offset === 0 && e.view.dynamic.length === 0 && e.view.isContiguous && knownEqual(e.buffer.size, sizeOf(lazy.shape))) {
      return { kind: "buffer", buffer: e.buffer };
    }
    // A scalar read is the output only at rank 0; broadcast to a shape, it must be stored.
    if (e.kind === "scalar" && lazy.shape.length === 0) return { kind: "scalar", scalar: e.scalar };
    lazy = this.materialize(a, lazy);
    const m = lazy.expr;
    if (m.kind === "scalar") return { kind: "scalar", scalar: m.scalar };
    return { kind: "buffer", buffer: (m as Extract<Expr, { kind: "load" }>).buffer };
  }
}

// --- the lowering table ---------------------------------------------------------------------

/** Lowers one equation into the scheduler's current steps and environment. */
export type FusionRule = (s: Scheduler, eqn: Eqn) => void;

/**
 * How each primitive becomes expressions and steps, keyed by primitive name. Primitives of
 * kind elementwise, view and reduce need no entry: CLASS_RULES lowers them from their class
 * and their rules on the primitive (Primitive.view, Primitive.reducer); an entry here
 * overrides that. A new "other" primitive needs an entry (the table test says so).
 */
export const FUSION_RULES: Readonly<Record<string, FusionRule>> = {
  iota: (s, e) => s.lowerIota(e),
  convert_element_type: (s, e) => s.lowerConvert(e),
  dot_general: (s, e) => s.lowerDot(e),
  concatenate: (s, e) => s.lowerConcatenate(e),
  cond: (s, e) => s.lowerCond(e),
  while: (s, e) => s.lowerWhile(e),
  scan: (s, e) => s.lowerScan(e),
  dynamic_slice: (s, e) => s.lowerDynamicSlice(e),
  dynamic_update_slice: (s, e) => s.lowerDynamicUpdateSlice(e),
  gather: (s, e) => s.lowerGather(e),
  scatter: (s, e) => s.lowerScatter(e),
  sort: (s, e) => s.lowerSort(e),
  top_k: (s, e) => s.lowerSort(e),
  cumsum: (s, e) => s.lowerCumulative(e),
  cumprod: (s, e) => s.lowerCumulative(e),
  cummax: (s, e) => s.lowerCumulative(e),
  cummin: (s, e) => s.lowerCumulative(e),
};

const CLASS_RULES: Readonly<Partial<Record<Primitive["kind"], FusionRule>>> = {
  elementwise: (s, e) => s.lowerElementwise(e),
  view: (s, e) => s.lowerView(e),
  reduce: (s, e) => s.lowerReduce(e),
};

/** The fusion rule for `prim`, or undefined if it has none (a view without `view`, a reduce without `reducer`). */
export function fusionRuleFor(prim: Primitive): FusionRule | undefined {
  if (Object.prototype.hasOwnProperty.call(FUSION_RULES, prim.name)) return FUSION_RULES[prim.name];
  if (prim.kind === "view" && !prim.view) return undefined;
  if (prim.kind === "reduce" && !prim.reducer) return undefined;
  return CLASS_RULES[prim.kind];
}
