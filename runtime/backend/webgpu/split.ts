// Splitting kernels that read too many buffers. WebGPU guarantees only 8 storage buffers
// per shader stage, and fusion happily builds one expression over a dozen arrays (an
// optimizer step over many parameters). Such a loop kernel is split: its widest
// reduction-free subexpression that fits is computed into a temporary first, and read
// back in place — until the kernel fits. Shaders stay portable across devices.
//
// Arrays over maxStorageBufferBindingSize: an elementwise kernel over them runs in chunks,
// each binding an aligned range of every large array (`chunkable`, `chunks`); index.ts
// reports any other kernel that would bind one whole, naming the array.

import type { BufferDecl, Expr, Target } from "../../ir/fusion.js";
import { View } from "../../ir/view.js";
import type { Shape } from "../../shape.js";
import { sizeOf } from "../../shape.js";
import { BackendError } from "../backend.js";

/** WebGPU's guaranteed maxStorageBuffersPerShaderStage. */
export const MAX_BINDINGS = 8;

export interface LoopStep {
  readonly shape: Shape;
  readonly target: Target;
  readonly expr: Expr;
}

/** Distinct buffers an expression reads (inside reductions too), and whether it reads scalars. */
function reads(e: Expr, bufs: Set<number>): boolean {
  switch (e.kind) {
    case "load": bufs.add(e.buffer.id); return e.view.dynamic.length > 0;
    case "index": return e.view.dynamic.length > 0;
    case "scalar": return true;
    case "const": return false;
    case "convert": return reads(e.arg, bufs);
    case "op": {
      let s = false;
      for (const a of e.args) s = reads(a, bufs) || s;
      return s;
    }
    case "reduce": return reads(e.body, bufs);
    case "gather": bufs.add(e.buffer.id); return reads(e.offset, bufs);
  }
}

/** Bindings a kernel computing `expr` into `target` needs (the scalar buffer counts as one). */
export function bindingsOf(expr: Expr, target: Target): number {
  const bufs = new Set<number>();
  let scalars = reads(expr, bufs);
  if (target.kind === "buffer") {
    bufs.add(target.buffer.id);
    scalars ||= target.view.dynamic.length > 0;
  } else scalars = true;
  return bufs.size + (scalars ? 1 : 0);
}

function containsReduce(e: Expr): boolean {
  return e.kind === "reduce" || (e.kind === "op" && e.args.some(containsReduce)) || (e.kind === "convert" && containsReduce(e.arg)) ||
    (e.kind === "gather" && containsReduce(e.offset));
}

function replace(e: Expr, from: Expr, to: Expr): Expr {
  if (e === from) return to;
  if (e.kind === "op") return { ...e, args: e.args.map((a) => replace(a, from, to)) };
  if (e.kind === "convert") return { ...e, arg: replace(e.arg, from, to) };
  return e;
}

/**
 * The loop steps computing `step` with every kernel within MAX_BINDINGS; `newTemp` declares
 * a temporary buffer. Throws a BackendError when no split helps (a reduction reading too much).
 */
export function splitWide(step: LoopStep, newTemp: (dtype: Expr["dtype"], size: number) => BufferDecl): LoopStep[] {
  const out: LoopStep[] = [];
  let expr = step.expr;
  while (bindingsOf(expr, step.target) > MAX_BINDINGS) {
    // The reduction-free subexpression (outside reductions) reading the most buffers that still fits.
    let best: Expr | undefined, bestCount = 1;
    const visit = (e: Expr) => {
      if (e.kind !== "op" && e.kind !== "convert") return;
      if (!containsReduce(e)) {
        const bufs = new Set<number>();
        const scalars = reads(e, bufs);
        const need = bufs.size + 1 + (scalars ? 1 : 0);
        if (bufs.size > bestCount && need <= MAX_BINDINGS) {
          best = e;
          bestCount = bufs.size;
        }
      }
      if (e.kind === "op") e.args.forEach(visit);
      else visit(e.arg);
    };
    visit(expr);
    if (!best) {
      throw new BackendError(`A fused kernel reads more than ${MAX_BINDINGS - 1} arrays inside one reduction, more than WebGPU binds at once.`,
        "Split the reduction in your function (sum parts separately), or run it on the cpu backend.");
    }
    const size = sizeOf(step.shape) as number;
    const temp = newTemp(best.dtype, size);
    const view = View.contiguous(step.shape);
    out.push({ shape: step.shape, target: { kind: "buffer", buffer: temp, view }, expr: best });
    expr = replace(expr, best, { kind: "load", buffer: temp, view, dtype: best.dtype });
  }
  out.push({ ...step, expr });
  return out;
}

/** Full reductions at least this long get a first pass over many workgroups. */
export const TWO_PASS_MIN = 1 << 16;
const PART = 4096;

/**
 * A rank-0 kernel's long full reductions (sum, prod, max, min, and, or) in two passes:
 * partial results of contiguous chunks, one workgroup each, then the kernel itself reducing
 * the partials — instead of one workgroup walking every element.
 */
export function twoPass(step: LoopStep, newTemp: (dtype: Expr["dtype"], size: number) => BufferDecl): (LoopStep & { chunks?: number })[] {
  if (step.shape.length !== 0) return [step];
  const out: (LoopStep & { chunks?: number })[] = [];
  let expr = step.expr;
  const visit = (e: Expr) => {
    if (e.kind === "op") e.args.forEach(visit);
    else if (e.kind === "convert") visit(e.arg);
    else if (e.kind === "reduce" && e.op !== "argmax" && e.op !== "argmin" && e.axes.length === e.inShape.length) {
      const n = sizeOf(e.inShape) as number;
      if (n < TWO_PASS_MIN) return;
      const chunks = Math.min(1024, Math.ceil(n / PART));
      const dtype = e.operandDType === "float16" ? "float32" : e.operandDType;
      const temp = newTemp(dtype, chunks);
      const view = View.contiguous([chunks]);
      out.push({ shape: [], target: { kind: "buffer", buffer: temp, view }, expr: { ...e, dtype }, chunks });
      const second: Expr = { ...e, body: { kind: "load", buffer: temp, view, dtype }, inShape: [chunks], axes: [0], operandDType: dtype };
      expr = replace(expr, e, second);
    }
  };
  visit(step.expr);
  out.push({ ...step, expr });
  return out;
}

// --- arrays over maxStorageBufferBindingSize ------------------------------------------------

/** One chunk of a chunked loop: elements [start, start + length) of every large buffer. */
export interface LoopChunk {
  readonly step: LoopStep;
  readonly start: number;
  readonly length: number;
}

/**
 * Whether a loop kernel over `n` elements can run in chunks, binding a range of each large
 * buffer: it is elementwise over contiguous whole arrays (the target and every full-rank
 * read: offset 0, contiguous, `n` elements, 4 bytes each), and reads anything else only at
 * rank 0 from buffers that are not large (no reductions, gathers or iota positions).
 */
export function chunkable(step: LoopStep, isLarge: (b: BufferDecl) => boolean): boolean {
  const rank = step.shape.length;
  const n = sizeOf(step.shape);
  const whole = (b: BufferDecl, v: View) =>
    b.dtype !== "float16" && b.size === n && v.offset === 0 && v.dynamic.length === 0 && v.isContiguous && v.shape.length === rank;
  const ok = (e: Expr): boolean => {
    switch (e.kind) {
      case "load": return e.view.shape.length === rank && rank > 0 ? whole(e.buffer, e.view) : !isLarge(e.buffer) && e.view.shape.length === 0;
      case "index": return e.view.shape.length === 0;
      case "scalar": case "const": return true;
      case "convert": return ok(e.arg);
      case "op": return e.args.every(ok);
      case "gather": case "reduce": return false;
    }
  };
  return rank > 0 && step.target.kind === "buffer" && whole(step.target.buffer, step.target.view) && ok(step.expr);
}

/** A chunkable step (see `chunkable`) as chunks of at most `per` elements, each a flat loop. */
export function chunks(step: LoopStep, per: number): LoopChunk[] {
  const n = sizeOf(step.shape) as number;
  const rank = step.shape.length;
  const out: LoopChunk[] = [];
  const flat = (length: number): LoopStep => {
    const view = View.contiguous([length]);
    const reindex = (e: Expr): Expr => {
      switch (e.kind) {
        case "load": return e.view.shape.length === rank ? { ...e, view } : e;
        case "convert": return { ...e, arg: reindex(e.arg) };
        case "op": return { ...e, args: e.args.map(reindex) };
        default: return e;
      }
    };
    return { shape: [length], target: { ...(step.target as Extract<Target, { kind: "buffer" }>), view }, expr: reindex(step.expr) };
  };
  const full = flat(per);
  for (let start = 0; start < n; start += per) {
    const length = Math.min(per, n - start);
    out.push({ step: length === per ? full : flat(length), start, length });
  }
  return out;
}
