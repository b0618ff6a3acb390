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

import type { DType } from "../dtype.js";
import { sizeOf, type Shape } from "../shape.js";
import { Literal, Var, type Atom, type Eqn, type Jaxpr } from "./jaxpr.js";
import { View } from "./view.js";
import { REDUCE_KIND, type ReduceKind } from "../primitives/reduce.js";
import { freeAxes, type DimensionNumbers } from "../primitives/dot.js";
import { TsjitError } from "../errors.js";

export type BufferKind = "input" | "const" | "temp" | "output";

export interface BufferDecl {
  readonly id: number;
  readonly dtype: DType;
  readonly size: number;
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

export type ReduceOp = ReduceKind | "argmax" | "argmin";

export type Expr =
  | { readonly kind: "load"; readonly buffer: BufferDecl; readonly view: View; readonly dtype: DType }
  | { readonly kind: "scalar"; readonly scalar: ScalarDecl; readonly dtype: DType }
  | { readonly kind: "const"; readonly value: number; readonly dtype: DType }
  /** The position `view.offset + Σ idx·stride` itself as a value (iota). */
  | { readonly kind: "index"; readonly view: View; readonly dtype: DType }
  | { readonly kind: "op"; readonly op: string; readonly args: readonly Expr[]; readonly operandDType: DType; readonly dtype: DType }
  | { readonly kind: "convert"; readonly arg: Expr; readonly from: DType; readonly dtype: DType }
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

/** C[b, m, n] = Σ_k A[b, m, k] · B[b, k, n], operands read through strided views. */
export interface MatmulStep {
  readonly kind: "matmul";
  readonly a: { readonly buffer: BufferDecl; readonly offset: number; readonly strides: readonly [number, number, number] };
  readonly b: { readonly buffer: BufferDecl; readonly offset: number; readonly strides: readonly [number, number, number] };
  readonly out: BufferDecl;
  readonly batch: number;
  readonly m: number;
  readonly n: number;
  readonly k: number;
}

export type Step = { readonly kind: "loop"; readonly shape: Shape; readonly target: Target; readonly expr: Expr } | MatmulStep;

export type OutputRef =
  | { readonly kind: "buffer"; readonly buffer: BufferDecl }
  | { readonly kind: "scalar"; readonly scalar: ScalarDecl }
  | { readonly kind: "const"; readonly value: number; readonly dtype: DType };

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
    default: return false;
  }
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
function mergeAxisGroups(view: View, shape: Shape, groups: readonly (readonly number[])[]): [number, number, number] | null {
  const strides: number[] = [];
  for (const g of groups) {
    const dims = g.filter((d) => shape[d] !== 1);
    if (dims.length === 0) { strides.push(0); continue; }
    for (let i = 0; i < dims.length - 1; i++) {
      if (view.strides[dims[i]!] !== view.strides[dims[i + 1]!]! * shape[dims[i + 1]!]!) return null;
    }
    strides.push(view.strides[dims[dims.length - 1]!]!);
  }
  return strides as [number, number, number];
}

// --- the scheduler -------------------------------------------------------------------------

export function scheduleJaxpr(jaxpr: Jaxpr): Program {
  return new Scheduler(jaxpr).run();
}

class Scheduler {
  private readonly buffers: BufferDecl[] = [];
  private readonly scalars: ScalarDecl[] = [];
  private readonly steps: Step[] = [];
  private readonly env = new Map<Var, Lazy>();
  private readonly uses = new Map<Var, number>();
  private readonly outvarSet: Set<Var>;
  private outputCount = 0;

  constructor(private readonly jaxpr: Jaxpr) {
    this.outvarSet = new Set(jaxpr.outvars.filter((a): a is Var => a instanceof Var));
  }

  run(): Program {
    const { jaxpr } = this;
    for (const e of jaxpr.eqns) for (const a of e.inputs) if (a instanceof Var) this.uses.set(a, (this.uses.get(a) ?? 0) + 1);
    for (const a of jaxpr.outvars) if (a instanceof Var) this.uses.set(a, (this.uses.get(a) ?? 0) + 1);

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

    for (const eqn of jaxpr.eqns) {
      this.lowerEqn(eqn);
      for (const out of eqn.outputs) {
        const lazy = this.env.get(out);
        if (lazy && (this.uses.get(out) ?? 0) > 1 && !isLeaf(lazy.expr)) this.materialize(out, lazy);
      }
    }

    const outputs = jaxpr.outvars.map((a) => this.outputRef(a));
    return { inputs, consts, buffers: this.buffers, scalars: this.scalars, steps: this.steps, outputs };
  }

  // --- declarations ---------------------------------------------------------------------

  private newBuffer(dtype: DType, size: number, kind: BufferKind, index = -1): BufferDecl {
    const b: BufferDecl = { id: this.buffers.length, dtype, size, kind, index };
    this.buffers.push(b);
    return b;
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
    const buffer = this.newBuffer(dtype, sizeOf(lazy.shape), isOutput ? "output" : "temp", isOutput ? this.outputCount++ : -1);
    const view = View.contiguous(lazy.shape);
    this.steps.push({ kind: "loop", shape: lazy.shape, target: { kind: "buffer", buffer, view }, expr: lazy.expr });
    const out = this.loadOf(buffer, lazy.shape, view);
    if (v) this.env.set(v, out);
    return out;
  }

  private lowerEqn(eqn: Eqn): void {
    const { primitive: prim, params } = eqn;
    const out = eqn.outputs[0]!;
    const outShape = out.aval.shape;
    switch (prim.kind) {
      case "elementwise": {
        if (prim.name === "iota") {
          const dim = params.dimension as number;
          const strides = outShape.map((_, d) => (d === dim ? 1 : 0));
          this.env.set(out, { shape: outShape, expr: { kind: "index", view: new View(outShape, strides, 0), dtype: out.aval.dtype } });
          return;
        }
        const args = eqn.inputs.map((a) => this.get(a).expr);
        const expr: Expr = prim.name === "convert_element_type"
          ? { kind: "convert", arg: args[0]!, from: eqn.inputs[0]!.aval.dtype, dtype: out.aval.dtype }
          : {
              kind: "op",
              op: prim.name,
              args,
              // select_n's operands are the cases; its predicate is bool.
              operandDType: eqn.inputs[prim.name === "select_n" ? 1 : 0]!.aval.dtype,
              dtype: out.aval.dtype,
            };
        this.env.set(out, { shape: outShape, expr });
        return;
      }
      case "view":
        this.env.set(out, this.lowerView(eqn, this.get(eqn.inputs[0]!)));
        return;
      case "reduce":
        this.env.set(out, this.lowerReduce(eqn));
        return;
      default:
        if (prim.name === "dot_general") return this.lowerDot(eqn);
        if (prim.name === "concatenate") return this.lowerConcatenate(eqn);
        throw new UnsupportedPrimitiveError(`The fusion pass cannot lower primitive '${prim.name}'.`);
    }
  }

  private lowerView(eqn: Eqn, input: Lazy): Lazy {
    const { primitive: prim, params } = eqn;
    const outShape = eqn.outputs[0]!.aval.shape;
    let f: (v: View) => View | null;
    switch (prim.name) {
      case "reshape": f = (v) => v.reshape(outShape); break;
      case "transpose": f = (v) => v.transpose(params.permutation as number[]); break;
      case "broadcast_in_dim": f = (v) => v.broadcastInDim(outShape, params.broadcast_dimensions as number[]); break;
      case "squeeze": f = (v) => v.squeeze(params.dimensions as number[]); break;
      case "slice":
        f = (v) => v.slice(params.start_indices as number[], params.limit_indices as number[], params.strides as number[] | null);
        break;
      default:
        throw new UnsupportedPrimitiveError(`The fusion pass cannot lower view primitive '${prim.name}'.`);
    }
    let lazy = input;
    const expands = prim.name === "broadcast_in_dim" && sizeOf(outShape) > sizeOf(input.shape);
    // Re-indexing a reduction, or broadcasting real work, would recompute it per element.
    if (containsReduce(lazy.expr) || (expands && !isLeaf(lazy.expr))) lazy = this.materialize(undefined, lazy);
    let expr = mapViews(lazy.expr, f, lazy.shape.length);
    if (!expr) {
      lazy = this.materialize(undefined, lazy);
      expr = mapViews(lazy.expr, f, lazy.shape.length)!;
    }
    return { shape: outShape, expr };
  }

  private lowerReduce(eqn: Eqn): Lazy {
    const out = eqn.outputs[0]!;
    const axes = eqn.params.axes as number[];
    let input = this.get(eqn.inputs[0]!);
    if (axes.length === 0) return { shape: out.aval.shape, expr: input.expr };
    if (containsReduce(input.expr)) input = this.materialize(undefined, input);
    const op: ReduceOp = REDUCE_KIND[eqn.primitive.name] ?? (eqn.primitive.name as "argmax" | "argmin");
    return {
      shape: out.aval.shape,
      expr: { kind: "reduce", op, body: input.expr, inShape: input.shape, axes, operandDType: input.expr.dtype, dtype: out.aval.dtype },
    };
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

  private lowerDot(eqn: Eqn): void {
    const out = eqn.outputs[0]!;
    const [[lc, rc], [lb, rb]] = eqn.params.dimension_numbers as DimensionNumbers;
    const lhsAval = eqn.inputs[0]!.aval, rhsAval = eqn.inputs[1]!.aval;
    const lf = freeAxes(lhsAval.ndim, [...lc, ...lb]);
    const rf = freeAxes(rhsAval.ndim, [...rc, ...rb]);
    // Canonical layouts: lhs (batch, m, k), rhs (batch, k, n); each group merged to one axis.
    const lhs = this.groupedOperand(eqn.inputs[0]!, [lb, lf, lc]);
    const rhs = this.groupedOperand(eqn.inputs[1]!, [rb, rc, rf]);
    const size = (shape: Shape, axes: readonly number[]) => axes.reduce((p, a) => p * shape[a]!, 1);
    const isOutput = this.outvarSet.has(out);
    const buffer = this.newBuffer(out.aval.dtype, out.aval.size, isOutput ? "output" : "temp", isOutput ? this.outputCount++ : -1);
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
      const original = new Array<number>(shape.length);
      perm.forEach((p, i) => (original[p] = copy.view.strides[i]!));
      buffer = copy.buffer;
      view = new View(shape, original, 0);
      strides = mergeAxisGroups(view, shape, groups)!;
    }
    return { buffer, offset: view.offset, strides };
  }

  private lowerConcatenate(eqn: Eqn): void {
    const out = eqn.outputs[0]!;
    const dim = eqn.params.dimension as number;
    const isOutput = this.outvarSet.has(out);
    const buffer = this.newBuffer(out.aval.dtype, out.aval.size, isOutput ? "output" : "temp", isOutput ? this.outputCount++ : -1);
    const full = View.contiguous(out.aval.shape);
    let at = 0;
    for (const a of eqn.inputs) {
      const part = this.get(a);
      const n = a.aval.shape[dim]!;
      const start = out.aval.shape.map((_, d) => (d === dim ? at : 0));
      const limit = out.aval.shape.map((s, d) => (d === dim ? at + n : s));
      if (n > 0) this.steps.push({ kind: "loop", shape: a.aval.shape, target: { kind: "buffer", buffer, view: full.slice(start, limit, null) }, expr: part.expr });
      at += n;
    }
    this.env.set(out, this.loadOf(buffer, out.aval.shape));
  }

  // --- outputs ----------------------------------------------------------------------------

  private outputRef(a: Atom): OutputRef {
    if (a instanceof Literal) return { kind: "const", value: a.value, dtype: a.aval.dtype };
    let lazy = this.get(a);
    const e = lazy.expr;
    // Whole, contiguous reads of an existing array are returned without copying.
    if (e.kind === "load" && e.buffer.kind !== "temp" && e.view.offset === 0 && e.view.isContiguous && e.buffer.size === sizeOf(lazy.shape)) {
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
