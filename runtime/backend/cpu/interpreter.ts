// Runs a fused program without generating code, for environments that forbid `new
// Function` (a strict Content-Security-Policy, `--disallow-code-generation-from-strings`).
// It executes the same schedule as the code generator, with every expression tree
// compiled once into nested closures over a flat element index.

import { castScalar, isFloat, typedArrayFor, type TypedArray } from "../../dtype.js";
import { argBetter, reduceInit, reduceRounds } from "../../primitives/scalar-ops.js";
import { convertOp, reduceStep, scalarOp } from "./scalar-ops.js";
import type { BufferDecl, Expr, Program, ScatterStep, Step, Swap } from "../../ir/fusion.js";
import type { View } from "../../ir/view.js";
import { concreteDim, type Dim } from "../../symbolic.js";
import { matmul, matmulInt } from "./matmul.js";
import { sortRows } from "./sort.js";
import { cumulativeRows } from "./cumulative.js";

/** Evaluates an expression at a multi-index (`idx`, one entry per loop axis). */
type Thunk = (idx: Int32Array) => number;

interface Memory {
  readonly buffers: (TypedArray | undefined)[];
  readonly scalars: number[];
  /** Counts kernel runs, so loop-invariant values can be computed once per run. */
  epoch: number;
}

/** A view's base offset now (static part plus run-time terms from scan counters). */
function baseOf(view: Pick<View, "offset" | "dynamic">, mem: Memory): number {
  let off = num(view.offset);
  for (const d of view.dynamic) off += mem.scalars[d.scalar]! * num(d.stride);
  return off;
}

function offsetOf(view: View, idx: Int32Array, mem: Memory): number {
  let off = baseOf(view, mem);
  const s = view.strides;
  for (let d = 0; d < s.length; d++) off += idx[d]! * num(s[d]!);
  return off;
}

/** The interpreter runs programs traced at run time, whose sizes are always concrete. */
const num = (d: Dim): number => concreteDim(d, "a size in an interpreted program");

function compileExpr(e: Expr, mem: Memory, rank: number): Thunk {
  switch (e.kind) {
    case "const": {
      const v = castScalar(num(e.value), e.dtype);
      return () => v;
    }
    case "scalar": {
      const id = e.scalar.id;
      return () => mem.scalars[id]!;
    }
    case "load": {
      const id = e.buffer.id, view = e.view;
      if (view.shape.length !== rank) return () => mem.buffers[id]![baseOf(view, mem)]!;
      return (idx) => mem.buffers[id]![offsetOf(view, idx, mem)]!;
    }
    case "index": {
      const view = e.view;
      if (isFloat(e.dtype)) return (idx) => Math.fround(offsetOf(view, idx, mem));
      return (idx) => offsetOf(view, idx, mem);
    }
    case "convert": {
      const arg = compileExpr(e.arg, mem, rank), f = convertOp(e.from, e.dtype).evaluate;
      return (idx) => f(arg(idx));
    }
    case "op": {
      const f = scalarOp(e.op, e.operandDType)!.evaluate;
      const args = e.args.map((a) => compileExpr(a, mem, rank));
      if (args.length === 1) { const [a] = args; return (idx) => f(a!(idx)); }
      if (args.length === 2) { const [a, b] = args; return (idx) => f(a!(idx), b!(idx)); }
      const [a, b, c] = args;
      return (idx) => f(a!(idx), b!(idx), c!(idx));
    }
    case "gather": {
      const id = e.buffer.id, at = compileExpr(e.offset, mem, rank);
      return (idx) => mem.buffers[id]![at(idx)]!;
    }
    case "reduce":
      return compileReduce(e, mem, rank);
  }
}

function compileReduce(e: Extract<Expr, { kind: "reduce" }>, mem: Memory, rank: number): Thunk {
  const inRank = e.inShape.length;
  const body = compileExpr(e.body, mem, inRank);
  const kept = e.inShape.map((_, d) => d).filter((d) => !e.axes.includes(d));
  const reduced = e.axes.map((a) => num(e.inShape[a]!));
  const full = new Int32Array(inRank);
  const count = reduced.reduce((a, b) => a * b, 1);
  const init = reduceInit(e.op, e.operandDType);
  const op = e.op;
  const fold = op === "argmax" || op === "argmin" ? null : reduceStep(op, e.operandDType).evaluate;
  const rounds = fold !== null && reduceRounds(op, e.operandDType);
  const thunk: Thunk = (idx) => {
    if (rank === kept.length) kept.forEach((d, i) => (full[d] = idx[i]!));
    let acc = init;
    let at = 0;
    for (let n = 0; n < count; n++) {
      let rest = n;
      for (let i = e.axes.length - 1; i >= 0; i--) {
        full[e.axes[i]!] = rest % reduced[i]!;
        rest = Math.floor(rest / reduced[i]!);
      }
      const v = body(full);
      if (fold) acc = fold(acc, v);
      else if (argBetter(op as "argmax" | "argmin", v, acc)) { acc = v; at = n; }
    }
    return fold ? (rounds ? Math.fround(acc) : acc) : at;
  };
  if (kept.length > 0 || rank === 0) return thunk;
  // A full reduction inside a larger kernel does not depend on the index: computing it
  // per element would make `x - max(x)` quadratic. Compute it once per kernel run.
  let epoch = -1, value = 0;
  return (idx) => {
    if (epoch !== mem.epoch) {
      value = thunk(idx);
      epoch = mem.epoch;
    }
    return value;
  };
}

/** Compiles a step list into one closure that runs it against `mem`. */
function compileSteps(steps: readonly Step[], mem: Memory): () => void {
  const runs = steps.map((step): (() => void) => {
    switch (step.kind) {
      case "loop": {
        const thunk = compileExpr(step.expr, mem, step.shape.length);
        return () => runLoop(step, mem, thunk);
      }
      case "scatter": {
        const at = compileExpr(step.offset, mem, step.shape.length), value = compileExpr(step.value, mem, step.shape.length);
        const combine = step.mode === "set" ? null : scalarOp(step.mode, step.buffer.dtype)!.evaluate;
        return () => runScatter(step, mem, at, value, combine);
      }
      case "sort": {
        const [rows, n, keep] = [step.rows, step.n, step.keep].map(num) as [number, number, number];
        return () => sortRows(step.operands.map((o) => mem.buffers[o.buffer.id]!), step.operands.map((o) => baseOf(o, mem)), step.numKeys,
          rows, n, keep, step.descending, step.outputs.map((b) => (b ? mem.buffers[b.id]! : null)),
          step.indices ? (mem.buffers[step.indices.id] as Int32Array) : null);
      }
      case "cumulative": {
        const [outer, n, inner] = [step.outer, step.n, step.inner].map(num) as [number, number, number];
        return () => cumulativeRows(step.op, step.reverse, mem.buffers[step.input.buffer.id]!, baseOf(step.input, mem), mem.buffers[step.output.id]!, outer, n, inner);
      }
      case "matmul": {
        const f = (step.out.dtype === "int32" ? matmulInt : matmul) as typeof matmul;
        const buf = (d: BufferDecl) => mem.buffers[d.id]!;
        const [as0, as1, as2] = step.a.strides.map(num) as [number, number, number];
        const [bs0, bs1, bs2] = step.b.strides.map(num) as [number, number, number];
        const [batch, m, n, k] = [step.batch, step.m, step.n, step.k].map(num) as [number, number, number, number];
        return () => f(buf(step.a.buffer), baseOf(step.a, mem), as0, as1, as2, buf(step.b.buffer), baseOf(step.b, mem),
          bs0, bs1, bs2, buf(step.out) as Float32Array, batch, m, n, k);
      }
      case "cond": {
        const branches = step.branches.map((b) => compileSteps(b, mem));
        return () => branches[mem.scalars[step.index.id]!]!();
      }
      case "while": {
        const cond = compileSteps(step.cond, mem), body = compileSteps(step.body, mem);
        return () => {
          for (;;) {
            cond();
            if (!mem.scalars[step.pred.id]) break;
            body();
            swap(step.swaps, mem);
          }
        };
      }
      case "scan": {
        const body = compileSteps(step.body, mem);
        return () => {
          const length = num(step.length);
          for (let t = 0; t < length; t++) {
            mem.scalars[step.counter.id] = step.reverse ? length - 1 - t : t;
            body();
            swap(step.swaps, mem);
          }
        };
      }
    }
  });
  return () => {
    for (const r of runs) r();
  };
}

function swap(swaps: readonly Swap[], mem: Memory): void {
  for (const s of swaps) {
    if (s.kind === "scalar") mem.scalars[s.current.id] = mem.scalars[s.next.id]!;
    else {
      const t = mem.buffers[s.current.id];
      mem.buffers[s.current.id] = mem.buffers[s.next.id];
      mem.buffers[s.next.id] = t;
    }
  }
}

function runLoop(step: Extract<Step, { kind: "loop" }>, mem: Memory, thunk: Thunk): void {
  const { target } = step;
  const shape = step.shape.map(num);
  const rank = shape.length;
  const idx = new Int32Array(rank);
  const total = shape.reduce((a, b) => a * b, 1);
  mem.epoch++;
  if (target.kind === "scalar") {
    mem.scalars[target.scalar.id] = thunk(idx);
    return;
  }
  const out = mem.buffers[target.buffer.id]!;
  for (let n = 0; n < total; n++) {
    let rest = n;
    for (let d = rank - 1; d >= 0; d--) {
      idx[d] = rest % shape[d]!;
      rest = Math.floor(rest / shape[d]!);
    }
    out[offsetOf(target.view, idx, mem)] = thunk(idx);
  }
}

/** Serial over the updates in row-major order, like the generated code (see ScatterStep). */
function runScatter(step: ScatterStep, mem: Memory, at: Thunk, value: Thunk, combine: ((a: number, b: number) => number) | null): void {
  const shape = step.shape.map(num);
  const rank = shape.length;
  const idx = new Int32Array(rank);
  const total = shape.reduce((a, b) => a * b, 1);
  const out = mem.buffers[step.buffer.id]!;
  mem.epoch++;
  for (let n = 0; n < total; n++) {
    let rest = n;
    for (let d = rank - 1; d >= 0; d--) {
      idx[d] = rest % shape[d]!;
      rest = Math.floor(rest / shape[d]!);
    }
    const o = at(idx);
    if (o < 0) continue;
    const v = value(idx);
    out[o] = combine ? combine(out[o]!, v) : v;
  }
}

export function interpretProgram(program: Program, consts: readonly TypedArray[]): (args: readonly unknown[]) => TypedArray[] {
  const persistent = new Map<number, TypedArray>();
  for (const b of program.buffers) if (b.kind === "temp" || b.kind === "carry") persistent.set(b.id, typedArrayFor(b.dtype, num(b.size)));
  const mem: Memory = { buffers: [], scalars: [], epoch: 0 };
  const body = compileSteps(program.steps, mem);
  return (args) => {
    mem.buffers.length = 0;
    program.inputs.forEach((inp, i) => {
      const a = args[i];
      if ("size" in inp) mem.buffers[inp.id] = a as TypedArray;
      else {
        const v = typeof a === "number" ? a : (a as TypedArray)[0]!;
        mem.scalars[inp.id] = isFloat(inp.dtype) ? Math.fround(v) : v;
      }
    });
    for (const b of program.consts) mem.buffers[b.id] = consts[b.index];
    for (const [id, t] of persistent) mem.buffers[id] = t;
    for (const b of program.buffers) if (b.kind === "output") mem.buffers[b.id] = typedArrayFor(b.dtype, num(b.size));
    body();
    // Carries may have been swapped: keep the current assignment for the next call.
    for (const id of persistent.keys()) persistent.set(id, mem.buffers[id]!);
    return program.outputs.map((o) => {
      switch (o.kind) {
        case "buffer": return mem.buffers[o.buffer.id]!;
        case "scalar": { const t = typedArrayFor(o.scalar.dtype, 1); t[0] = mem.scalars[o.scalar.id]!; return t; }
        case "const": { const t = typedArrayFor(o.dtype, 1); t[0] = num(o.value); return t; }
      }
    });
  };
}
