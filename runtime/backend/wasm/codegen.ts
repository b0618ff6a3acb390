// WebAssembly code generation for the wasm backend: one module per program, with one
// exported function `run` whose parameters are the byte offsets of every buffer in the
// backend's linear memory (inputs, consts, outputs, temps, loop carries), then the rank-0
// inputs by value, then one slot per scalar output (where `run` stores it).
//
// The structure mirrors the JS code generator (backend/cpu/codegen.ts): one loop nest per
// kernel with mergeable axes merged, every expression node bound to a local at the
// outermost loop level it depends on (loop-invariant work is hoisted), reductions as inner
// loop nests. Loops are real wasm loops; `cond` is if/else, `while` and `scan` are wasm
// loops (no JS round-trip per iteration). Contiguous float32/int32 kernels run their
// innermost loop four lanes at a time (f32x4 / i32x4, see simd.ts) with a scalar tail.
//
// float32 semantics follow primitives/scalar-ops.ts: wasm's f32 + - * / sqrt round each
// op like Math.fround; floats sums accumulate in float64 and round once; float→int is
// truncating and saturating (i32.trunc_sat_f32_s); integer division by zero and the
// shifts follow XLA. Functions wasm has no instruction for (pow, atan2, tan, log1p,
// expm1, erf, erfc, fmod, integer pow) call the same JavaScript the CPU backend runs, imported.

import { castScalar, type DType } from "../../dtype.js";
import { reduceInit, reduceRounds } from "../../primitives/scalar-ops.js";
import type { BufferDecl, CumulativeStep, Expr, MatmulStep, Program, ScalarDecl, ScatterStep, SortStep, Step, Swap, Target } from "../../ir/fusion.js";
import type { DynamicOffset, View } from "../../ir/view.js";
import type { Dim } from "../../symbolic.js";
import { BackendError } from "../backend.js";
import { forEachReduce, leafViews } from "../cpu/codegen.js";
import { ByteWriter, FunctionBuilder, ModuleBuilder, type ValType } from "./encoder.js";
import { IMPORTS, importIndex, type ImportName } from "./imports.js";
import { emitDot } from "./matmul.js";
import { MathHelpers, type MathFn } from "./math.js";
import { collectSorts, sortImportParams, sortResults } from "./sort.js";
import { emitVectorReduce, reduceVectorizable, simdPlan, SimdKernel, type VectorSite } from "./simd.js";

export interface MemoryDesc {
  readonly shared: boolean;
  /** In 64 KiB pages (required for a shared memory). */
  readonly maximum: number | undefined;
}

/** What `run` takes, in order. */
export type RunParam =
  | { readonly kind: "buffer"; readonly buffer: BufferDecl }
  | { readonly kind: "scalar"; readonly scalar: ScalarDecl }
  /** Where output `output` (a scalar) is stored. */
  | { readonly kind: "slot"; readonly output: number; readonly dtype: DType };

export interface GeneratedModule {
  readonly bytes: Uint8Array;
  readonly params: readonly RunParam[];
  /** The program's sort steps: the module imports `env.sort<i>` for step i (see sort.ts). */
  readonly sorts: readonly SortStep[];
  /**
   * Bytes of scratch memory `run` needs (packed matmul operands); when non-zero the module
   * exports a mutable i32 global `scratch` that the host sets to a block of that size.
   */
  readonly scratchBytes: number;
}

export const valType = (d: DType): "f32" | "i32" => (d === "float32" || d === "float16" ? "f32" : "i32");
export const elemBytes = (d: DType): number => (d === "bool" ? 1 : 4);

/** A compile-time size; symbolic sizes (prebuilt programs) are not compiled to wasm. */
export function num(d: Dim): number {
  if (typeof d !== "number") {
    throw new BackendError(`The wasm backend compiles programs of known sizes only; this one has a symbolic size (${String(d)}).`,
      'Run it on the cpu backend (jit(fn, { backend: "cpu" })).');
  }
  return d;
}

export function generateModule(program: Program, memory: MemoryDesc): GeneratedModule {
  return new ProgramGen(program, memory).run();
}

/** A bound expression value: the local holding it and the loop level it is computed at. */
export interface Bound {
  readonly local: number;
  readonly level: number;
}

/** An address: `buffer + esize·(offset + Σ dynamic + Σ var·stride)`. */
export interface Address {
  readonly level: number;
  readonly terms: readonly (readonly [number, number])[];
  readonly offset: number;
  readonly dynamic: readonly DynamicOffset[];
}

/** Shared state of one module's code generation; kernels and the dot hook use it. */
export class ProgramGen {
  readonly fb: FunctionBuilder;
  readonly module = new ModuleBuilder();
  readonly math: MathHelpers;
  private readonly bufLocal = new Map<number, number>();
  private readonly scalarLocal = new Map<number, number>();
  private readonly params: RunParam[] = [];
  private readonly sorts: SortStep[];

  constructor(private readonly program: Program, readonly memory: MemoryDesc) {
    this.module.importMemory("env", "memory", { initial: 0, maximum: memory.maximum, shared: memory.shared });
    for (const imp of IMPORTS) this.module.importFunction("env", imp.name, imp.params, imp.results);
    this.sorts = collectSorts(program.steps);
    this.sorts.forEach((s, i) => this.module.importFunction("env", `sort${i}`, sortImportParams(s), []));
    const types: ValType[] = [];
    for (const b of program.buffers) {
      num(b.size);
      this.bufLocal.set(b.id, types.length);
      types.push("i32");
      this.params.push({ kind: "buffer", buffer: b });
    }
    for (const s of program.scalars) {
      if (s.kind !== "input") continue;
      this.scalarLocal.set(s.id, types.length);
      types.push(valType(s.dtype));
      this.params.push({ kind: "scalar", scalar: s });
    }
    program.outputs.forEach((o, i) => {
      if (o.kind !== "scalar") return;
      types.push("i32");
      this.params.push({ kind: "slot", output: i, dtype: o.scalar.dtype });
    });
    this.fb = new FunctionBuilder(types, []);
    for (const s of program.scalars) if (s.kind === "local") this.scalarLocal.set(s.id, this.fb.local(valType(s.dtype)));
    // `run` follows the imports (IMPORTS, then one per sort step); helpers (math, a dot kernel's) are added after it as they are first used.
    this.module.addFunction(this.fb, "run");
    this.math = new MathHelpers(this.module);
  }

  run(): GeneratedModule {
    this.steps(this.program.steps);
    let slot = this.params.findIndex((p) => p.kind === "slot");
    for (const o of this.program.outputs) {
      if (o.kind !== "scalar") continue;
      this.fb.get(slot++).get(this.scalar(o.scalar));
      this.store(o.scalar.dtype, 0);
    }
    return { bytes: this.module.encode(), params: this.params, sorts: this.sorts, scratchBytes: this.scratchBytes };
  }

  private scratchBytes = 0;
  private scratchGlobal: number | undefined;

  /**
   * Reserves `bytes` of scratch memory (shared by every step: steps run one after another)
   * and pushes its address.
   */
  scratch(bytes: number): void {
    this.scratchBytes = Math.max(this.scratchBytes, bytes);
    this.scratchGlobal ??= this.module.addGlobal("i32", true, 0, "scratch");
    this.fb.globalGet(this.scratchGlobal);
  }

  buffer(b: BufferDecl): number {
    return this.bufLocal.get(b.id)!;
  }

  scalar(s: ScalarDecl | number): number {
    const l = this.scalarLocal.get(typeof s === "number" ? s : s.id);
    if (l === undefined) throw new Error("internal: scalar without a local");
    return l;
  }

  call(name: ImportName): void {
    this.fb.call(importIndex(name));
  }

  callMath(name: MathFn): void {
    this.fb.call(this.math.index(name));
  }

  load(dtype: DType, offset: number): void {
    this.fb.load(dtype === "bool" ? "i32.load8_u" : valType(dtype) === "f32" ? "f32.load" : "i32.load", offset);
  }

  store(dtype: DType, offset: number): void {
    this.fb.store(dtype === "bool" ? "i32.store8" : valType(dtype) === "f32" ? "f32.store" : "i32.store", offset);
  }

  /** Pushes a byte address for `buf` and returns the static byte offset to put in the memarg. */
  pushAddress(buf: BufferDecl, a: Address): number {
    const es = elemBytes(buf.dtype);
    const fb = this.fb;
    fb.get(this.buffer(buf));
    for (const [v, stride] of a.terms) {
      fb.get(v);
      if (stride * es !== 1) fb.i32(stride * es).op("i32.mul");
      fb.op("i32.add");
    }
    for (const d of a.dynamic) {
      fb.get(this.scalar(d.scalar));
      if (num(d.stride) * es !== 1) fb.i32(num(d.stride) * es).op("i32.mul");
      fb.op("i32.add");
    }
    const off = a.offset * es;
    if (off >= 0) return off;
    fb.i32(off).op("i32.add");
    return 0;
  }

  /** Pushes the byte address of a view's first element (`buffer + esize·(offset + Σ dynamic)`). */
  pushStart(v: { readonly buffer: BufferDecl; readonly offset: Dim; readonly dynamic: readonly DynamicOffset[] }): void {
    const off = this.pushAddress(v.buffer, staticAddress(v));
    if (off !== 0) this.fb.i32(off).op("i32.add");
  }

  /** Pushes the element position `offset + Σ dynamic + Σ var·stride` as an i32. */
  pushIndex(a: Address): void {
    const fb = this.fb;
    fb.i32(a.offset);
    for (const [v, stride] of a.terms) {
      fb.get(v);
      if (stride !== 1) fb.i32(stride).op("i32.mul");
      fb.op("i32.add");
    }
    for (const d of a.dynamic) {
      fb.get(this.scalar(d.scalar));
      if (num(d.stride) !== 1) fb.i32(num(d.stride)).op("i32.mul");
      fb.op("i32.add");
    }
  }

  /** A counted loop `for (v = 0; v < n; v += step) body()` (n ≥ 1, known). */
  countedLoop(v: number, n: number, body: () => void, step = 1): void {
    this.countedLoopFrom(v, 0, n, body, step);
  }

  /** `for (v = start; v < end; v += step) body()` with start < end known. */
  countedLoopFrom(v: number, start: number, end: number, body: () => void, step = 1): void {
    const fb = this.fb;
    fb.i32(start).set(v);
    const top = fb.loop();
    body();
    fb.get(v).i32(step).op("i32.add").tee(v).i32(end).op("i32.lt_s").brIf(top);
    fb.end();
  }

  steps(steps: readonly Step[]): void {
    const fb = this.fb;
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      const end = rowGroupEnd(steps, i);
      if (end > i + 1) {
        this.rowFused(steps.slice(i, end) as LoopStep[]);
        i = end - 1;
        continue;
      }
      switch (step.kind) {
        case "loop":
          if (step.shape.some((d) => num(d) === 0)) break;
          new KernelGen(this, step.shape.map(num), step.target, step.expr).emit();
          break;
        case "scatter":
          if (step.shape.some((d) => num(d) === 0)) break;
          this.scatter(step);
          break;
        case "matmul":
          this.dot(step);
          break;
        case "sort":
          this.sort(step);
          break;
        case "cumulative":
          this.cumulative(step);
          break;
        case "cond": {
          const idx = this.scalar(step.index);
          const n = step.branches.length;
          if (n === 2) {
            fb.get(idx).if();
            this.steps(step.branches[1]!);
            fb.else();
            this.steps(step.branches[0]!);
            fb.end();
          } else {
            for (let i = 0; i < n - 1; i++) {
              fb.get(idx).i32(i).op("i32.eq").if();
              this.steps(step.branches[i]!);
              fb.else();
            }
            this.steps(step.branches[n - 1]!);
            for (let i = 0; i < n - 1; i++) fb.end();
          }
          break;
        }
        case "while": {
          const exit = fb.block();
          const top = fb.loop();
          this.steps(step.cond);
          fb.get(this.scalar(step.pred)).op("i32.eqz").brIf(exit);
          this.steps(step.body);
          this.swaps(step.swaps);
          fb.br(top).end().end();
          break;
        }
        case "scan": {
          const length = num(step.length);
          if (length === 0) break;
          const t = fb.local("i32");
          const counter = this.scalar(step.counter);
          this.countedLoop(t, length, () => {
            if (step.reverse) fb.i32(length - 1).get(t).op("i32.sub").set(counter);
            else fb.get(t).set(counter);
            this.steps(step.body);
            this.swaps(step.swaps);
          });
          break;
        }
        default:
          // A step kind added to the fused schedule later must be lowered here, never skipped.
          throw new BackendError(`The wasm backend cannot run a '${(step as { kind: string }).kind}' step.`,
            'Run this program on the cpu backend (jit(fn, { backend: "cpu" })).');
      }
    }
  }

  /**
   * Loop kernels that work row by row (see `rowGroupEnd`) run interleaved: one loop over
   * the rows, and in it each kernel over its row, so a row one kernel writes is still in
   * the L1 cache when the next reads it (a softmax's max, exp, sum and divide passes touch
   * each row while it is cached, instead of streaming the whole array four times).
   */
  private rowFused(group: readonly LoopStep[]): void {
    const row = this.fb.local("i32");
    this.countedLoop(row, num(group[0]!.shape[0]!), () => {
      for (const s of group) new KernelGen(this, s.shape.map(num), s.target, s.expr, row).emit();
    });
  }

  private swaps(swaps: readonly Swap[]): void {
    const fb = this.fb;
    for (const s of swaps) {
      const [a, b] = s.kind === "scalar" ? [this.scalar(s.current), this.scalar(s.next)] : [this.buffer(s.current), this.buffer(s.next)];
      const tmp = fb.local(fb.typeOf(a));
      fb.get(a).set(tmp).get(b).set(a).get(tmp).set(b);
    }
  }

  /** A sort: the step's host import, called with the byte addresses of its operand rows and results. */
  private sort(step: SortStep): void {
    const fb = this.fb;
    for (const o of step.operands) this.pushStart(o);
    for (const b of sortResults(step)) fb.get(this.buffer(b));
    fb.call(IMPORTS.length + this.sorts.indexOf(step));
  }

  /**
   * A cumulative fold as loops in the module (same order and arithmetic as the cpu kernel,
   * backend/cpu/cumulative.ts, float32 sums in f64 accumulators): per outer index, the first slice copied, then each next
   * slice along the axis combined with the previous output slice, `inner` elements at a
   * time. Byte offsets are relative to both buffers' bases; `reverse` steps backwards.
   */
  private cumulative(step: CumulativeStep): void {
    const fb = this.fb;
    const [outer, n, inner] = [step.outer, step.n, step.inner].map(num) as [number, number, number];
    if (outer * n * inner === 0) return;
    const dtype = step.output.dtype, es = elemBytes(dtype), vt = valType(dtype);
    const src = fb.local("i32"), dst = this.buffer(step.output);
    this.pushStart(step.input);
    fb.set(src);
    const [o, t, i, prev, cur, ib] = [0, 0, 0, 0, 0, 0].map(() => fb.local("i32")) as [number, number, number, number, number, number];
    const [a, x] = [fb.local(vt), fb.local(vt)];
    const stepBytes = (step.reverse ? -inner : inner) * es;
    // float32 cumsum: one f64 accumulator per lane in scratch memory (as the cpu kernel).
    let acc: number | null = null;
    const ap = fb.local("i32"), wide = fb.local("f64");
    if (step.op === "sum" && vt === "f32") {
      acc = fb.local("i32");
      this.scratch(inner * 8);
      fb.set(acc);
    }
    // previous ⊕ current, the two on the stack (the scalar op, as a reduction combines).
    const combineOp = step.op === "sum" ? "add" : step.op === "prod" ? "mul" : step.op;
    const combine = (): void => {
      fb.set(x).set(a);
      emitOp(this, combineOp, dtype, [a, x]);
    };
    this.countedLoop(o, outer, () => {
      fb.get(o).i32(n * inner * es).op("i32.mul");
      if (step.reverse) fb.i32((n - 1) * inner * es).op("i32.add");
      fb.set(prev);
      this.countedLoop(i, inner, () => {
        fb.get(i).i32(es).op("i32.mul").get(prev).op("i32.add").set(ib);
        fb.get(dst).get(ib).op("i32.add");
        fb.get(src).get(ib).op("i32.add");
        this.load(dtype, 0);
        if (acc !== null) fb.tee(x);
        this.store(dtype, 0);
        if (acc !== null) fb.get(acc).get(i).i32(8).op("i32.mul").op("i32.add").get(x).op("f64.promote_f32").store("f64.store", 0);
      });
      if (n > 1) {
        this.countedLoopFrom(t, 1, n, () => {
          fb.get(prev).i32(stepBytes).op("i32.add").set(cur);
          this.countedLoop(i, inner, () => {
            fb.get(i).i32(es).op("i32.mul").set(ib);
            fb.get(dst).get(cur).op("i32.add").get(ib).op("i32.add");
            if (acc !== null) {
              // acc[i] += src (in f64); the output is acc[i] rounded to f32.
              fb.get(acc).get(i).i32(8).op("i32.mul").op("i32.add").tee(ap);
              fb.get(ap).load("f64.load", 0);
              fb.get(src).get(cur).op("i32.add").get(ib).op("i32.add");
              this.load(dtype, 0);
              fb.op("f64.promote_f32").op("f64.add").tee(wide).store("f64.store", 0);
              fb.get(wide).op("f32.demote_f64");
            } else {
              fb.get(dst).get(prev).op("i32.add").get(ib).op("i32.add");
              this.load(dtype, 0);
              fb.get(src).get(cur).op("i32.add").get(ib).op("i32.add");
              this.load(dtype, 0);
              combine();
            }
            this.store(dtype, 0);
          });
          fb.get(cur).set(prev);
        });
      }
    });
  }

  private dot(step: MatmulStep): void {
    emitDot(this, step);
  }

  /** A scatter: serial loops over the updates; `if (at >= 0) buf[at] = combine(buf[at], v)`. */
  private scatter(step: ScatterStep): void {
    const shape = step.shape.map(num);
    const rank = shape.length;
    const views = [...leafViews(step.offset, [], false), ...leafViews(step.value, [], false)].filter((v) => v.shape.length === rank);
    const nest = new Nest(this, shape, views.map((v) => v.strides.map(num)));
    const exprs = new ExprGen(this, nest, (view) => {
      if (view.shape.length !== rank) return staticAddress(view);
      return nest.address(view.strides.map(num), view);
    }, nest.levels[0]!, () => {
      throw new Error("internal: a scatter's operands should have been materialized");
    });
    const at = exprs.expr(step.offset), v = exprs.expr(step.value);
    const fb = this.fb;
    const prev = fb.into(nest.levels[nest.depth]!);
    const dtype = step.buffer.dtype, es = elemBytes(dtype);
    fb.get(at.local).i32(0).op("i32.ge_s").if();
    const addr = fb.local("i32");
    fb.get(this.buffer(step.buffer)).get(at.local).i32(es).op("i32.mul").op("i32.add").set(addr);
    fb.get(addr);
    if (step.mode === "set") fb.get(v.local);
    else {
      const old = fb.local(valType(dtype));
      fb.get(addr);
      this.load(dtype, 0);
      fb.set(old);
      emitOp(this, step.mode, dtype, [old, v.local]);
    }
    this.store(dtype, 0);
    fb.end();
    fb.into(prev);
    nest.assemble();
  }
}

type LoopStep = Extract<Step, { kind: "loop" }>;

/** Per-row elements below which interleaving kernels by row is not worth its per-row overhead. */
const ROW_FUSION_MIN = 32;

const isStatic = (d: Dim): d is number => typeof d === "number";

/**
 * The end of the run of loop steps starting at `steps[i]` that may run row-interleaved
 * (`rowFused`): every step writes a fresh buffer, contiguous with offset 0, with the same
 * number of rows R ≥ 2 (axis 0) and at least ROW_FUSION_MIN elements per row; its
 * reductions keep axis 0 (none reduces across rows); and every read of a buffer an earlier
 * step of the run wrote touches only the current row of it (same row stride, offset 0,
 * the rest within one row), never through a gather. Then running kernel by kernel per row
 * computes exactly what running each kernel over all rows does. Returns i when there is no
 * such run of at least two steps.
 */
function rowGroupEnd(steps: readonly Step[], i: number): number {
  const first = steps[i];
  if (first?.kind !== "loop" || first.shape.length === 0 || !first.shape.every(isStatic)) return i;
  const rows = first.shape[0] as number;
  if (rows < 2) return i;
  const written = new Map<number, number>(); // buffer id → elements per row
  const read = new Set<number>();
  let j = i;
  for (; j < steps.length; j++) {
    const s = steps[j]!;
    if (s.kind !== "loop" || s.target.kind !== "buffer" || !s.shape.every(isStatic)) break;
    const shape = s.shape as readonly number[];
    if (shape.length === 0 || shape[0] !== rows || shape.some((d) => d === 0)) break;
    const perRow = shape.slice(1).reduce((a, b) => a * b, 1);
    if (shape.length > 1 ? perRow < ROW_FUSION_MIN : !hasReduce(s.expr)) break; // a rank-1 kernel's row is one element: only a reduction has work in it
    const t = s.target;
    const contiguous = t.view.dynamic.length === 0 && t.view.offset === 0 && t.view.strides.every(isStatic)
      && t.view.strides.every((st, d) => st === shape.slice(d + 1).reduce((a, b) => a * b, 1));
    if (!contiguous || written.has(t.buffer.id) || read.has(t.buffer.id)) break;
    if (!rowLocal(s.expr, shape.length, written, read)) break;
    if (read.has(t.buffer.id)) break; // reads its own target
    written.set(t.buffer.id, perRow);
  }
  return j - i >= 2 ? j : i;
}

function hasReduce(e: Expr): boolean {
  let found = false;
  forEachReduce(e, () => void (found = true));
  return found;
}

/** Whether `e`'s reads of `written` buffers stay within the current row (rank `rank`, axis 0); records every buffer read. */
function rowLocal(e: Expr, rank: number, written: ReadonlyMap<number, number>, read: Set<number>): boolean {
  const view = (buffer: number, v: View, rowAxis: number | undefined): boolean => {
    read.add(buffer);
    const perRow = written.get(buffer);
    if (perRow === undefined) return true;
    if (rowAxis === undefined || v.dynamic.length > 0 || v.offset !== 0 || !v.strides.every(isStatic) || !v.shape.every(isStatic)) return false;
    if (v.strides[rowAxis] !== perRow) return false;
    let extent = 0;
    for (let d = 0; d < v.shape.length; d++) {
      if (d === rowAxis) continue;
      const st = v.strides[d] as number;
      if (st < 0) return false;
      extent += ((v.shape[d] as number) - 1) * st;
    }
    return extent < perRow;
  };
  const walk = (x: Expr, rowAxis: (v: View) => number | undefined): boolean => {
    switch (x.kind) {
      case "load": return view(x.buffer.id, x.view, rowAxis(x.view));
      case "gather":
        read.add(x.buffer.id);
        return !written.has(x.buffer.id) && walk(x.offset, rowAxis);
      case "convert": return walk(x.arg, rowAxis);
      case "op": return x.args.every((a) => walk(a, rowAxis));
      case "reduce": {
        if (x.inShape.length - x.axes.length !== rank) return false; // reduces across rows
        const kept = keptAxes(x);
        return walk(x.body, (v) => (v.shape.length === x.inShape.length ? kept[0] : undefined));
      }
      default: return true;
    }
  };
  return walk(e, (v) => (v.shape.length === rank ? 0 : undefined));
}

/** The address of a view's first element (no loop terms). */
const staticAddress = (view: { readonly offset: Dim; readonly dynamic: readonly DynamicOffset[] }): Address => ({ level: 0, terms: [], offset: num(view.offset), dynamic: view.dynamic });

// --- loop nests -------------------------------------------------------------------------------

/**
 * A loop nest over `shape` with adjacent axes merged wherever every access pattern walks
 * them as one; size-1 axes get no loop. Code is collected per level (level 0 runs before
 * the loops, level l inside loop l-1) and assembled at the end.
 */
export class Nest {
  readonly groups: number[][] = [];
  readonly dims: number[];
  readonly vars: number[];
  readonly levels: ByteWriter[];

  /** True when axis 0 is walked by an enclosing loop (row-interleaved kernels): `vars[0]` is that loop's variable. */
  readonly rowOuter: boolean;

  /** `row`: the local of an enclosing loop over axis 0 (which then gets no loop here). */
  constructor(private readonly gen: ProgramGen, shape: readonly number[], patterns: readonly (readonly number[])[], row?: number) {
    this.rowOuter = row !== undefined;
    for (let d = 0; d < shape.length; d++) {
      if (shape[d] === 1 && !(row !== undefined && d === 0)) continue;
      const last = this.groups[this.groups.length - 1];
      const inner = last?.[last.length - 1];
      const canMerge = !(row !== undefined && this.groups.length === 1);
      if (canMerge && inner !== undefined && patterns.every((p) => p[inner] === p[d]! * shape[d]!)) last!.push(d);
      else this.groups.push([d]);
    }
    this.dims = this.groups.map((g) => g.reduce((n, d) => n * shape[d]!, 1));
    this.vars = this.dims.map((_, l) => (l === 0 && row !== undefined ? row : gen.fb.local("i32")));
    this.levels = Array.from({ length: this.dims.length + 1 }, () => new ByteWriter());
  }

  get depth(): number {
    return this.dims.length;
  }

  project(strides: readonly number[]): number[] {
    return this.groups.map((g) => strides[g[g.length - 1]!]!);
  }

  levelOf(projected: readonly number[]): number {
    for (let l = projected.length - 1; l >= 0; l--) if (projected[l] !== 0) return l + 1;
    return 0;
  }

  /** The address of a view walked by this nest (its strides over the nest's axes), plus `outer` terms. */
  address(strides: readonly number[], view: { readonly offset: Dim; readonly dynamic: readonly DynamicOffset[] }, outer?: Address): Address {
    const p = this.project(strides);
    const level = this.levelOf(p);
    const terms: [number, number][] = outer ? [...outer.terms] as [number, number][] : [];
    for (let l = 0; l < level; l++) if (p[l] !== 0) terms.push([this.vars[l]!, p[l]!]);
    return { level, terms, offset: outer ? outer.offset : num(view.offset), dynamic: outer ? outer.dynamic : view.dynamic };
  }

  /** Emits each level's code and the loops around the deeper levels. `inner` replaces the innermost loop. */
  assemble(inner?: (l: number) => void): void {
    const fb = this.gen.fb;
    const level = (l: number): void => {
      fb.splice(this.levels[l]!);
      if (l === this.depth) return;
      if (l === 0 && this.rowOuter) return level(1);
      if (inner && l === this.depth - 1) return inner(l);
      this.gen.countedLoop(this.vars[l]!, this.dims[l]!, () => level(l + 1));
    };
    level(0);
  }
}

const keptAxes = (e: Extract<Expr, { kind: "reduce" }>) => e.inShape.map((_, d) => d).filter((d) => !e.axes.includes(d));

// --- expressions ------------------------------------------------------------------------------

type Reduce = Extract<Expr, { kind: "reduce" }>;

/** Binds each expression node to a local at the shallowest level it depends on (memoized by identity). */
export class ExprGen {
  readonly memo = new Map<Expr, Bound>();

  constructor(
    private readonly gen: ProgramGen,
    private readonly nest: Nest,
    private readonly addressOf: (view: View) => Address,
    private readonly level0: ByteWriter,
    private readonly onReduce: (e: Reduce) => Bound,
  ) {}

  /** Emits `code` (which pushes one value of `type`) at `level` into a new local. */
  bind(level: number, type: ValType, code: () => void): Bound {
    const fb = this.gen.fb;
    const local = fb.local(type);
    const prev = fb.into(level === 0 ? this.level0 : this.nest.levels[level]!);
    code();
    fb.set(local);
    fb.into(prev);
    return { local, level };
  }

  expr(e: Expr): Bound {
    const hit = this.memo.get(e);
    if (hit) return hit;
    const gen = this.gen, fb = gen.fb;
    let out: Bound;
    switch (e.kind) {
      case "const":
        out = this.bind(0, valType(e.dtype), () => pushConst(fb, castScalar(num(e.value), e.dtype), e.dtype));
        break;
      case "scalar":
        out = { local: gen.scalar(e.scalar), level: 0 };
        break;
      case "load": {
        const a = this.addressOf(e.view);
        out = this.bind(a.level, valType(e.dtype), () => gen.load(e.dtype, gen.pushAddress(e.buffer, a)));
        break;
      }
      case "index": {
        const a = this.addressOf(e.view);
        out = this.bind(a.level, valType(e.dtype), () => {
          gen.pushIndex(a);
          if (valType(e.dtype) === "f32") fb.op("f32.convert_i32_s");
        });
        break;
      }
      case "convert": {
        const arg = this.expr(e.arg);
        if (!convertChanges(e.from, e.dtype)) out = arg;
        else out = this.bind(arg.level, valType(e.dtype), () => emitConvert(fb, e.from, e.dtype, arg.local));
        break;
      }
      case "op": {
        const args = e.args.map((a) => this.expr(a));
        out = this.bind(Math.max(0, ...args.map((a) => a.level)), valType(e.dtype), () => emitOp(gen, e.op, e.operandDType, args.map((a) => a.local)));
        break;
      }
      case "gather": {
        const at = this.expr(e.offset);
        out = this.bind(at.level, valType(e.dtype), () => {
          fb.get(gen.buffer(e.buffer)).get(at.local);
          if (elemBytes(e.dtype) !== 1) fb.i32(elemBytes(e.dtype)).op("i32.mul");
          fb.op("i32.add");
          gen.load(e.dtype, 0);
        });
        break;
      }
      case "reduce":
        out = this.onReduce(e);
        break;
    }
    this.memo.set(e, out);
    return out;
  }
}

export function pushConst(fb: FunctionBuilder, v: number, dtype: DType): void {
  if (valType(dtype) === "f32") fb.f32(v);
  else fb.i32(dtype === "uint32" ? v >>> 0 : v | 0);
}

function convertChanges(from: DType, to: DType): boolean {
  if (from === to) return false;
  if (to === "int32" || to === "uint32") return from !== "bool" && from !== "int32" && from !== "uint32";
  return true;
}

function emitConvert(fb: FunctionBuilder, from: DType, to: DType, x: number): void {
  fb.get(x);
  const fromFloat = valType(from) === "f32";
  if (to === "bool") {
    if (fromFloat) fb.f32(0).op("f32.ne");
    else fb.i32(0).op("i32.ne");
  } else if (to === "int32") fb.op("i32.trunc_sat_f32_s");
  else if (to === "uint32") fb.op("i32.trunc_sat_f32_u");
  else if (from === "int32") fb.op("f32.convert_i32_s");
  else fb.op("f32.convert_i32_u"); // bool, uint32
}

/**
 * Pushes `op(args...)` for operands of `dtype` (args are locals, so reading one twice is
 * free). The semantics are scalar-ops.ts's, op for op.
 */
export function emitOp(gen: ProgramGen, op: string, dtype: DType, args: readonly number[]): void {
  const fb = gen.fb;
  const [a, b, c] = args as [number, number, number];
  const float = valType(dtype) === "f32";
  const unsigned = dtype === "uint32" || dtype === "bool";
  const cmp = (s: string, u: string) => fb.get(a).get(b).op((float ? `f32.${s}` : `i32.${unsigned ? u : s === "eq" || s === "ne" ? s : `${s}_s`}`) as "i32.add");
  switch (op) {
    case "gt": return void cmp("gt", "gt_u");
    case "ge": return void cmp("ge", "ge_u");
    case "lt": return void cmp("lt", "lt_u");
    case "le": return void cmp("le", "le_u");
    case "eq": return void cmp("eq", "eq");
    case "ne": return void cmp("ne", "ne");
    case "select_n": return void fb.get(c).get(b).get(a).op("select");
    case "max":
    case "min":
      if (float) return void fb.get(a).get(b).op(op === "max" ? "f32.max" : "f32.min");
      fb.get(a).get(b).get(a).get(b);
      fb.op(op === "max" ? (unsigned ? "i32.gt_u" : "i32.gt_s") : unsigned ? "i32.lt_u" : "i32.lt_s").op("select");
      return;
    case "sign":
      if (float) {
        // ±1, and x itself for ±0 and NaN (Math.sign).
        fb.f32(-1).f32(1).get(a).get(a).f32(0).op("f32.gt").op("select").get(a).f32(0).op("f32.lt").op("select");
        return;
      }
      if (unsigned) return void fb.get(a).i32(0).op("i32.ne");
      fb.get(a).i32(0).op("i32.gt_s").get(a).i32(0).op("i32.lt_s").op("i32.sub");
      return;
    case "and": return void fb.get(a).get(b).op("i32.and");
    case "or": return void fb.get(a).get(b).op("i32.or");
    case "xor": return void fb.get(a).get(b).op("i32.xor");
    case "not": return void fb.get(a).i32(dtype === "bool" ? 1 : -1).op("i32.xor");
  }
  if (float) return floatOp(gen, op, a, b);
  switch (op) {
    case "add": return void fb.get(a).get(b).op("i32.add");
    case "sub": return void fb.get(a).get(b).op("i32.sub");
    case "mul": return void fb.get(a).get(b).op("i32.mul");
    case "neg": return void fb.i32(0).get(a).op("i32.sub");
    case "abs":
      if (unsigned) return void fb.get(a);
      fb.i32(0).get(a).op("i32.sub").get(a).get(a).i32(0).op("i32.lt_s").op("select");
      return;
    case "div":
      if (unsigned) {
        // x / 0 = 2^32 - 1 (XLA); the divisor is made nonzero so div_u cannot trap.
        fb.i32(-1).get(a).get(b).get(b).op("i32.eqz").op("i32.or").op("i32.div_u").get(b).op("i32.eqz").op("select");
        return;
      }
      // x / 0 = -1; INT_MIN / -1 wraps to INT_MIN (div_s would trap on both).
      fb.i32(-1).i32(0).get(a).op("i32.sub");
      fb.get(a).i32(1).get(b).get(b).i32(1).op("i32.add").i32(2).op("i32.lt_u").op("select").op("i32.div_s");
      fb.get(b).i32(-1).op("i32.eq").op("select");
      fb.get(b).op("i32.eqz").op("select");
      return;
    case "rem":
      // x % 0 = x.
      fb.get(a).get(a).get(b).get(b).op("i32.eqz").op("i32.or").op(unsigned ? "i32.rem_u" : "i32.rem_s").get(b).op("i32.eqz").op("select");
      return;
    case "pow":
      fb.get(a).get(b);
      gen.call(unsigned ? "upow" : "ipow");
      return;
    case "shift_left":
      fb.get(a).get(b).op("i32.shl").i32(0).get(b).i32(32).op("i32.lt_u").op("select");
      return;
    case "shift_right_logical":
      fb.get(a).get(b).op("i32.shr_u").i32(0).get(b).i32(32).op("i32.lt_u").op("select");
      return;
    case "shift_right_arithmetic":
      if (unsigned) {
        fb.get(a).get(b).op("i32.shr_u").i32(0).get(b).i32(32).op("i32.lt_u").op("select");
        return;
      }
      fb.get(a).get(b).i32(31).get(b).i32(32).op("i32.lt_u").op("select").op("i32.shr_s");
      return;
  }
  throw new BackendError(`The wasm backend has no lowering for '${op}' on ${dtype}.`, 'Run this program on the cpu backend (jit(fn, { backend: "cpu" })).');
}

/** Imported float64 functions applied to float32 operands, rounded once (like `Math.fround(f(a, b))`). */
const F64_IMPORTED: Record<string, ImportName> = { rem: "fmod", pow: "pow", atan2: "atan2", tan: "tan", log1p: "log1p", expm1: "expm1", erf: "erf", erfc: "erfc" };

function floatOp(gen: ProgramGen, op: string, a: number, b: number): void {
  const fb = gen.fb;
  switch (op) {
    case "add": return void fb.get(a).get(b).op("f32.add");
    case "sub": return void fb.get(a).get(b).op("f32.sub");
    case "mul": return void fb.get(a).get(b).op("f32.mul");
    case "div": return void fb.get(a).get(b).op("f32.div");
    case "neg": return void fb.get(a).op("f32.neg");
    case "abs": return void fb.get(a).op("f32.abs");
    case "floor": return void fb.get(a).op("f32.floor");
    case "ceil": return void fb.get(a).op("f32.ceil");
    case "round": return void fb.get(a).op("f32.nearest"); // ties to even
    case "sqrt": return void fb.get(a).op("f32.sqrt");
    case "rsqrt": return void fb.f64(1).get(a).op("f64.promote_f32").op("f64.sqrt").op("f64.div").op("f32.demote_f64");
    case "is_finite": return void fb.get(a).get(a).op("f32.sub").f32(0).op("f32.eq");
    case "exp": case "log": case "tanh": case "logistic": case "sin": case "cos":
      // The polynomial of the SIMD path, on one lane, so every element gets the same function.
      fb.get(a).op("f32x4.splat");
      gen.callMath(op);
      fb.lane("f32x4.extract_lane", 0);
      return;
  }
  const imported = F64_IMPORTED[op];
  if (imported) {
    fb.get(a).op("f64.promote_f32");
    if (imported === "fmod" || imported === "pow" || imported === "atan2") fb.get(b).op("f64.promote_f32");
    gen.call(imported);
    fb.op("f32.demote_f64");
    return;
  }
  throw new BackendError(`The wasm backend has no lowering for '${op}' on float32.`, 'Run this program on the cpu backend (jit(fn, { backend: "cpu" })).');
}

// --- kernels ---------------------------------------------------------------------------------

/** One loop kernel: `target[idx] = expr(idx)` for every idx in `shape`. */
class KernelGen {
  private readonly nest: Nest;
  private readonly exprs: ExprGen;
  private readonly rank: number;

  /** `row`: the local of an enclosing loop over axis 0 (see `ProgramGen.rowFused`). */
  constructor(private readonly gen: ProgramGen, private readonly shape: readonly number[], private readonly target: Target, private readonly root: Expr, row?: number) {
    const rank = (this.rank = shape.length);
    const patterns: number[][] = [];
    if (target.kind === "buffer") patterns.push(target.view.strides.map(num));
    for (const v of leafViews(root, [], false)) if (v.shape.length === rank) patterns.push(v.strides.map(num));
    forEachReduce(root, (r) => {
      if (r.inShape.length - r.axes.length !== rank || rank === 0) return;
      const kept = keptAxes(r);
      for (const v of leafViews(r.body, [], false)) if (v.shape.length > 0) patterns.push(kept.map((d) => num(v.strides[d]!)));
    });
    this.nest = new Nest(gen, shape, patterns, row);
    this.exprs = new ExprGen(gen, this.nest, (view) => this.address(view), this.nest.levels[0]!, (r) => this.reduce(r));
  }

  private address(view: View): Address {
    if (view.shape.length !== this.rank) return staticAddress(view);
    return this.nest.address(view.strides.map(num), view);
  }

  emit(): void {
    const { gen, nest, target } = this;
    const fb = gen.fb;
    const value = this.exprs.expr(this.root);
    const plan = target.kind === "buffer" ? simdPlan(nest, target, this.root, this.exprs.memo) : undefined;
    const prev = fb.into(target.kind === "scalar" ? nest.levels[0]! : nest.levels[nest.depth]!);
    if (target.kind === "scalar") fb.get(value.local).set(gen.scalar(target.scalar));
    else {
      const addr = nest.address(target.view.strides.map(num), target.view);
      const full: Address = { ...addr, level: nest.depth };
      gen.store(target.buffer.dtype, pushAddressThen(gen, target.buffer, full, value.local));
    }
    fb.into(prev);
    if (plan) new SimdKernel(gen, nest, this.exprs.memo, target as Extract<Target, { kind: "buffer" }>, this.root).assemble();
    else nest.assemble();
  }

  /** A reduction node: `acc = init; for (reduced axes) acc = combine(acc, body)`, placed at the level its result varies at. */
  private reduce(r: Reduce): Bound {
    const { gen, nest } = this;
    const fb = gen.fb;
    const outerRank = r.inShape.length - r.axes.length;
    const level = outerRank === 0 ? 0 : nest.depth;
    const kept = keptAxes(r);
    const inShape = r.inShape.map(num);
    const bodyViews = leafViews(r.body, [], false).filter((v) => v.shape.length > 0);
    const inner = new Nest(gen, r.axes.map((a) => inShape[a]!), bodyViews.map((v) => r.axes.map((a) => num(v.strides[a]!))));
    const empty = r.axes.some((a) => inShape[a] === 0);
    const hoisted = new ByteWriter();
    const addressOf = (view: View): Address => {
      if (view.shape.length === 0) return staticAddress(view);
      const outer = outerRank === 0 ? undefined : nest.address(kept.map((d) => num(view.strides[d]!)), view);
      return inner.address(r.axes.map((a) => num(view.strides[a]!)), view, outer ?? staticAddress(view));
    };
    const body = new ExprGen(gen, inner, addressOf, hoisted, () => {
      throw new Error("internal: nested reduction should have been materialized");
    });
    const sink = level === 0 ? nest.levels[0]! : nest.levels[level]!;
    const dtype = r.operandDType;
    const float = valType(dtype) === "f32";
    let result: number;
    if (r.op === "argmax" || r.op === "argmin") {
      // Compared as float64 (exact for every dtype); NaN wins at its first position.
      const acc = fb.local("f64"), idx = fb.local("i32");
      result = idx;
      const prev = fb.into(sink);
      fb.f64(reduceInit(r.op, dtype)).set(acc).i32(0).set(idx);
      fb.into(prev);
      if (!empty) {
        const v = body.expr(r.body);
        const v64 = fb.local("f64");
        const p2 = fb.into(inner.levels[inner.depth]!);
        fb.get(v.local);
        fb.op(float ? "f64.promote_f32" : dtype === "int32" ? "f64.convert_i32_s" : "f64.convert_i32_u").set(v64);
        fb.get(v64).get(acc).op(r.op === "argmax" ? "f64.gt" : "f64.lt");
        fb.get(v64).get(v64).op("f64.ne").get(acc).get(acc).op("f64.eq").op("i32.and").op("i32.or").if();
        fb.get(v64).set(acc);
        if (inner.depth > 0) fb.get(inner.vars[0]!);
        else fb.i32(0);
        fb.set(idx).end();
        fb.into(p2);
      }
    } else {
      const wide = reduceRounds(r.op, dtype);
      const accType: ValType = wide ? "f64" : valType(dtype);
      const acc = fb.local(accType);
      const init = reduceInit(r.op, dtype);
      const prev = fb.into(sink);
      if (accType === "f64") fb.f64(init);
      else pushConst(fb, init, dtype);
      fb.set(acc);
      fb.into(prev);
      if (!empty) {
        const v = body.expr(r.body);
        const p2 = fb.into(inner.levels[inner.depth]!);
        if (wide) fb.get(acc).get(v.local).op("f64.promote_f32").op(r.op === "sum" ? "f64.add" : "f64.mul").set(acc);
        else {
          emitOp(gen, r.op === "sum" ? "add" : r.op === "prod" ? "mul" : r.op, dtype, [acc, v.local]);
          fb.set(acc);
        }
        fb.into(p2);
      }
      result = wide ? fb.local("f32") : acc;
      const site: VectorSite = {
        nest: inner,
        memo: body.memo,
        address: addressOf,
        innerStride: (view) => (view.shape.length === 0 ? 0 : inner.project(r.axes.map((a) => num(view.strides[a]!)))[inner.depth - 1]!),
      };
      const vector = !empty && (r.op === "sum" || r.op === "max" || r.op === "min") && (dtype === "float32" || dtype === "int32" || (dtype === "uint32" && r.op === "sum"))
        && reduceVectorizable(site, r.body);
      const p3 = fb.into(sink);
      if (!empty) {
        fb.splice(hoisted);
        if (vector) emitVectorReduce(gen, site, r.body, r.op as "sum" | "max" | "min", dtype, acc, sink, init);
        else inner.assemble();
      }
      if (wide) fb.get(acc).op("f32.demote_f64").set(result);
      fb.into(p3);
      return { local: result, level };
    }
    const p3 = fb.into(sink);
    if (!empty) {
      fb.splice(hoisted);
      inner.assemble();
    }
    fb.into(p3);
    return { local: result, level };
  }
}

/** Pushes the address, then the value local, returning the memarg offset. */
function pushAddressThen(gen: ProgramGen, buf: BufferDecl, a: Address, value: number): number {
  const off = gen.pushAddress(buf, a);
  gen.fb.get(value);
  return off;
}
