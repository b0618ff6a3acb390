// WGSL code generation: one compute shader per fused loop kernel or matmul of the shared
// schedule (ir/fusion.ts).
//
// A loop kernel runs one invocation per output element (axes that every access walks
// contiguously are merged, so a same-shape elementwise chain indexes with one flat id).
// Reductions inside a kernel are either a serial loop per invocation, or — when there are
// few outputs and long rows — a workgroup tree reduction: one workgroup per output, each
// invocation folding a strided share of the row, then a log-step combine in workgroup
// memory. argmax/argmin carry (value, index) pairs and keep NumPy's first index on ties
// (and the first NaN). Matmul is register-blocked: each invocation accumulates a 4×4 tile
// of C in registers.
//
// Scalars of the program (rank-0 inputs, locals, loop counters) live in one device
// buffer `sc` (u32 words, bitcast per dtype), so loops and branches never read back.

import type { DType } from "../../dtype.js";
import { reduceInit } from "../../primitives/scalar-ops.js";
import type { ReduceKind } from "../../primitives/reduce.js";
import type { BufferDecl, Expr, MatmulStep, ScalarDecl, ScatterStep, Target } from "../../ir/fusion.js";
import type { View } from "../../ir/view.js";
import type { Shape } from "../../shape.js";
import type { Dim } from "../../symbolic.js";
import { DTypeError } from "../../errors.js";
import { BackendError } from "../backend.js";
import { FBITS_DECL, HelperSet, storageType, wgslConvert, wgslLiteral, wgslOp, wgslType } from "./ops.js";

export const EW_WORKGROUP = 64;
export const TREE_WORKGROUP = 128;
export const MM_TILE = 32; // 8×8 invocations, 4×4 outputs each

/** A kernel runs only where every guard holds: `sc[scalar] == value` (a branch of a cond). */
export interface Guard {
  readonly scalar: ScalarDecl;
  readonly value: number;
}

/** A guard's condition: the branch index scalar equals the branch's value. */
export function guardHolds(b: Builder, g: Guard): string {
  return `${b.scalar(g.scalar)} == ${wgslLiteral(g.value, g.scalar.dtype)}`;
}

/** The lines that end an invocation whose branch is not taken (one per guard). */
export function guardLines(b: Builder, guards: readonly Guard[]): string[] {
  return guards.map((g) => `if (${b.scalar(g.scalar)} != ${wgslLiteral(g.value, g.scalar.dtype)}) { return; }`);
}

export interface KernelSource {
  readonly code: string;
  /** Buffers bound at bindings 0.., in order; `sc` (if used) is bound after them. */
  readonly buffers: readonly BufferDecl[];
  readonly writes: BufferDecl | undefined;
  readonly usesScalars: boolean;
  readonly writesScalars: boolean;
  /** Workgroups to dispatch (x may be split over y past the per-dimension limit). */
  readonly workgroups: number;
  /** For matmul: [x, y, z] workgroups. */
  readonly grid?: readonly [number, number, number];
  readonly label: string;
}

export function num(d: Dim, what: string): number {
  if (typeof d !== "number") {
    throw new DTypeError(`The webgpu backend needs concrete sizes; ${what} is symbolic.`, "WebGPU kernels are compiled for concrete sizes: webgpu prebuilt entries are made only for arguments of known shapes.");
  }
  return d;
}

type Reduce = Extract<Expr, { kind: "reduce" }>;

function forEachReduce(e: Expr, f: (r: Reduce) => void): void {
  switch (e.kind) {
    case "reduce": f(e); break;
    case "convert": forEachReduce(e.arg, f); break;
    case "op": for (const a of e.args) forEachReduce(a, f); break;
    default: break;
  }
}

function leafViews(e: Expr, out: View[]): View[] {
  switch (e.kind) {
    case "load": case "index": out.push(e.view); break;
    case "convert": leafViews(e.arg, out); break;
    case "gather": leafViews(e.offset, out); break;
    case "op": for (const a of e.args) leafViews(a, out); break;
    default: break;
  }
  return out;
}

const keptAxes = (r: Reduce) => r.inShape.map((_, d) => d).filter((d) => !r.axes.includes(d));

/** Collects the buffers and scalars a kernel touches, and the text pieces. */
export class Builder {
  readonly helpers = new HelperSet();
  private readonly bufferIds = new Map<number, BufferDecl>();
  usesScalars = false;
  private n = 0;

  next(prefix: string): string {
    return `${prefix}${this.n++}`;
  }

  buf(b: BufferDecl): string {
    this.bufferIds.set(b.id, b);
    return `b${b.id}`;
  }

  scalar(s: ScalarDecl): string {
    this.usesScalars = true;
    if (s.dtype === "float16") return `unpack2x16float(sc[${s.id}]).x`; // f16 bits in the low half
    const t = wgslType(s.dtype);
    return t === "u32" ? `sc[${s.id}]` : `bitcast<${t}>(sc[${s.id}])`;
  }

  /** A buffer element read as its compute type. */
  load(b: BufferDecl, index: string): string {
    const read = `${this.buf(b)}[${index}]`;
    return b.dtype === "float16" ? `f32(${read})` : read;
  }

  buffers(): BufferDecl[] {
    return [...this.bufferIds.values()].sort((a, b) => a.id - b.id);
  }

  /** The view's base offset: static part plus scan-counter terms. */
  base(view: { readonly offset: Dim; readonly dynamic: readonly { scalar: number; stride: Dim }[] }): string {
    let text = String(num(view.offset, "a view offset"));
    for (const d of view.dynamic) {
      this.usesScalars = true;
      text += ` + bitcast<i32>(sc[${d.scalar}]) * ${num(d.stride, "a stride")}`;
    }
    return text;
  }

  declarations(writes: BufferDecl | readonly BufferDecl[] | undefined, writesScalars: boolean): string[] {
    const lines: string[] = [];
    const bufs = this.buffers();
    const written = Array.isArray(writes) ? writes : [writes];
    if (bufs.some((b) => b.dtype === "float16")) lines.push("enable f16;");
    bufs.forEach((b, i) => {
      const access = written.includes(b) ? "read_write" : "read";
      lines.push(`@group(0) @binding(${i}) var<storage, ${access}> b${b.id}: array<${storageType(b.dtype)}>;`);
    });
    if (this.usesScalars || writesScalars) {
      lines.push(`@group(0) @binding(${bufs.length}) var<storage, ${writesScalars ? "read_write" : "read"}> sc: array<u32>;`);
    }
    return lines;
  }
}

/** The outer index space of a kernel: groups of merged axes, each with an index variable. */
class IndexSpace {
  readonly groups: number[][] = [];
  readonly sizes: number[];
  readonly vars: string[];

  constructor(shape: readonly number[], patterns: readonly (readonly Dim[])[], prefix: string) {
    for (let d = 0; d < shape.length; d++) {
      if (shape[d] === 1) continue;
      const last = this.groups[this.groups.length - 1];
      const inner = last?.[last.length - 1];
      if (inner !== undefined && patterns.every((p) => p[inner] === (p[d] as number) * shape[d]!)) last!.push(d);
      else this.groups.push([d]);
    }
    this.sizes = this.groups.map((g) => g.reduce((n, d) => n * shape[d]!, 1));
    this.vars = this.groups.map((_, i) => `${prefix}${i}`);
  }

  /** Statements splitting the flat index `flat` into the group variables (innermost fastest). */
  decompose(flat: string): string[] {
    const k = this.groups.length;
    if (k === 0) return [];
    if (k === 1) return [`let ${this.vars[0]} = ${flat};`];
    const lines = [`var rem_${this.vars[0]} = ${flat};`];
    for (let g = k - 1; g >= 1; g--) {
      lines.push(`let ${this.vars[g]} = rem_${this.vars[0]} % ${this.sizes[g]};`, `rem_${this.vars[0]} = rem_${this.vars[0]} / ${this.sizes[g]};`);
    }
    lines.push(`let ${this.vars[0]} = rem_${this.vars[0]};`);
    return lines;
  }

  /** `Σ var_g · stride` for strides over the original axes (a merged group steps like its innermost axis). */
  offset(strides: readonly Dim[]): string {
    const terms: string[] = [];
    this.groups.forEach((g, i) => {
      const s = num(strides[g[g.length - 1]!]!, "a stride");
      if (s !== 0) terms.push(s === 1 ? this.vars[i]! : `${this.vars[i]} * ${s}`);
    });
    return terms.join(" + ");
  }

  get size(): number {
    return this.sizes.reduce((a, b) => a * b, 1);
  }
}

const plus = (base: string, terms: string) => (terms ? (base === "0" ? terms : `${base} + ${terms}`) : base);

/**
 * Emits the statements computing an expression; each node once (memoized by identity).
 * `address` gives a leaf view's offset expression in the current index space.
 */
class ExprWriter {
  private readonly memo = new Map<Expr, string>();
  constructor(
    private readonly b: Builder,
    private readonly lines: string[],
    private readonly address: (view: View) => string,
    private readonly onReduce: (r: Reduce, lines: string[]) => string,
  ) {}

  private bind(code: string, dtype: DType): string {
    const name = this.b.next("e");
    this.lines.push(`let ${name}: ${wgslType(dtype)} = ${code};`);
    return name;
  }

  expr(e: Expr): string {
    const hit = this.memo.get(e);
    if (hit !== undefined) return hit;
    let out: string;
    switch (e.kind) {
      case "const": out = wgslLiteral(num(e.value, "a literal"), e.dtype); break;
      case "scalar": out = this.b.scalar(e.scalar); break;
      case "load": out = this.bind(this.b.load(e.buffer, this.address(e.view)), e.dtype); break;
      case "index": {
        const pos = `(${this.address(e.view)})`;
        out = this.bind(e.dtype === "int32" ? pos : wgslConvert(pos, "int32", e.dtype, this.b.helpers), e.dtype);
        break;
      }
      case "convert": out = this.bind(wgslConvert(this.expr(e.arg), e.from, e.dtype, this.b.helpers), e.dtype); break;
      case "op": {
        const args = e.args.map((a) => this.expr(a));
        const code = wgslOp(e.op, e.operandDType, args, this.b.helpers, e.args.map((a) => a.dtype));
        if (code === undefined) throw new DTypeError(`The webgpu backend has no ${e.op} on ${e.operandDType}.`, "Run this function on the cpu backend.");
        out = this.bind(code, e.dtype);
        break;
      }
      case "gather": out = this.bind(`${this.b.buf(e.buffer)}[${this.expr(e.offset)}]`, e.dtype); break;
      case "reduce": out = this.onReduce(e, this.lines); break;
    }
    this.memo.set(e, out);
    return out;
  }
}

type Combine = (acc: string, v: string, float: boolean, h: HelperSet) => string;

/** The combine step of each folding reduction, keyed by Primitive.reducer (argmax/argmin: argBetter). */
export const WGSL_COMBINE: Readonly<Record<ReduceKind, Combine>> = {
  sum: (acc, v) => `${acc} + ${v}`,
  prod: (acc, v) => `${acc} * ${v}`,
  max: (acc, v, float, h) => (float ? `${h.need("fmax_")}(${acc}, ${v})` : `max(${acc}, ${v})`),
  min: (acc, v, float, h) => (float ? `${h.need("fmin_")}(${acc}, ${v})` : `min(${acc}, ${v})`),
  and: (acc, v) => `${acc} & ${v}`,
  or: (acc, v) => `${acc} | ${v}`,
};

function combine(op: string, dtype: DType, acc: string, v: string, h: HelperSet): string {
  const rule = WGSL_COMBINE[op as keyof typeof WGSL_COMBINE];
  if (!rule) throw new Error(`internal: reduction ${op}`);
  return rule(acc, v, wgslType(dtype) === "f32", h);
}

/** argmax/argmin: whether candidate (v, i) beats (bv, bi). NaN is first, then lowest index on ties. */
function argBetter(op: string, dtype: DType, v: string, i: string, bv: string, bi: string, h: HelperSet): string {
  const cmp = op === "argmax" ? ">" : "<";
  const plain = `(${v} ${cmp} ${bv} || (${v} == ${bv} && ${i} < ${bi}))`;
  if (wgslType(dtype) !== "f32") return plain;
  const nan = h.need("isnan_");
  return `select(select(${plain}, false, ${nan}(${bv})), !${nan}(${bv}) || ${i} < ${bi}, ${nan}(${v}))`;
}

/** The type a (value) slot of an arg reduction is held in: bools compare as i32 (init may be -1). */
const argKeyType = (dtype: DType) => (dtype === "bool" ? "i32" : wgslType(dtype));

export interface LoopKernelInput {
  readonly shape: Shape;
  readonly target: Target;
  readonly expr: Expr;
  readonly guards: readonly Guard[];
  /**
   * The first pass of a two-pass full reduction: `expr` is one reduction over everything,
   * split into `chunks` contiguous ranges of its elements, one workgroup each; workgroup p
   * stores its partial result at element p of the target.
   */
  readonly chunks?: number;
}

/** Whether a kernel's reductions use one workgroup per output (few outputs, long rows). */
function useTree(outputs: number, reduces: readonly Reduce[]): boolean {
  if (reduces.length === 0) return false;
  const longest = Math.max(...reduces.map((r) => r.axes.reduce((n, a) => n * num(r.inShape[a]!, "a size"), 1)));
  return longest >= 64 && outputs <= 16384;
}

export function loopKernel(k: LoopKernelInput): KernelSource {
  const b = new Builder();
  const shape = k.shape.map((d) => num(d, "a loop size"));
  const rank = shape.length;
  const root = k.expr;
  const patterns: (readonly Dim[])[] = [];
  if (k.target.kind === "buffer") patterns.push(k.target.view.strides);
  for (const v of leafViews(root, [])) if (v.shape.length === rank) patterns.push(v.strides);
  const reduces: Reduce[] = [];
  forEachReduce(root, (r) => {
    reduces.push(r);
    if (r.inShape.length - r.axes.length !== rank || rank === 0) return;
    const kept = keptAxes(r);
    for (const v of leafViews(r.body, [])) if (v.shape.length > 0) patterns.push(kept.map((d) => v.strides[d]!));
  });
  const space = new IndexSpace(shape, patterns, "g");
  const chunks = k.chunks;
  const total = chunks ?? space.size;
  const tree = chunks !== undefined || useTree(total, reduces);
  const wg = tree ? TREE_WORKGROUP : EW_WORKGROUP;

  const body: string[] = [];
  const shared: string[] = [];
  const outerAddress = (view: View) => plus(b.base(view), view.shape.length === rank ? space.offset(view.strides) : "");

  const reduceNode = (r: Reduce, lines: string[]): string => {
    const outerRank = r.inShape.length - r.axes.length;
    const kept = keptAxes(r);
    const rsizes = r.axes.map((a) => num(r.inShape[a]!, "a reduced size"));
    const R = rsizes.reduce((x, y) => x * y, 1);
    const rv = b.next("r");
    // Reduced-axis indices from the flat reduction index rv (innermost fastest).
    const inner: string[] = [];
    const rvars: string[] = [];
    {
      const nontrivial = rsizes.map((s, i) => [s, i] as const).filter(([s]) => s !== 1);
      if (nontrivial.length === 1) rvars[nontrivial[0]![1]] = rv;
      else if (nontrivial.length > 1) {
        inner.push(`var rr_${rv} = ${rv};`);
        for (let j = nontrivial.length - 1; j >= 0; j--) {
          const [s, i] = nontrivial[j]!;
          const name = `${rv}_${i}`;
          rvars[i] = name;
          if (j === 0) inner.push(`let ${name} = rr_${rv};`);
          else inner.push(`let ${name} = rr_${rv} % ${s};`, `rr_${rv} = rr_${rv} / ${s};`);
        }
      }
    }
    const address = (view: View): string => {
      let text = b.base(view);
      if (view.shape.length === 0) return text;
      if (outerRank > 0 && outerRank === rank) text = plus(text, space.offset(kept.map((d) => view.strides[d]!)));
      r.axes.forEach((a, i) => {
        const s = num(view.strides[a]!, "a stride");
        if (s !== 0 && rvars[i] !== undefined) text = plus(text, s === 1 ? rvars[i]! : `${rvars[i]} * ${s}`);
      });
      return text;
    };
    const value = new ExprWriter(b, inner, address, () => {
      throw new Error("internal: nested reduction should have been materialized");
    }).expr(r.body);
    const vt = wgslType(r.operandDType);
    const isArg = r.op === "argmax" || r.op === "argmin";
    const kt = isArg ? argKeyType(r.operandDType) : vt;
    const init = wgslLiteral(reduceInit(r.op, r.operandDType), r.operandDType === "bool" && isArg ? "int32" : r.operandDType);
    const acc = b.next("acc"), arg = b.next("arg");
    const key = kt !== vt ? `${kt}(${value})` : value;
    const per = chunks ? Math.ceil(R / chunks) : R;
    const start = chunks ? `flat * ${per} + i32(lid)` : tree ? "i32(lid)" : "0";
    const end = chunks ? `min(${R}, flat * ${per} + ${per})` : `${R}`;
    const stepBy = tree ? wg : 1;
    lines.push(`var ${acc}: ${kt} = ${init};`);
    if (isArg) lines.push(`var ${arg}: i32 = ${R};`);
    lines.push(`for (var ${rv}: i32 = ${start}; ${rv} < ${end}; ${rv} += ${stepBy}) {`);
    lines.push(...inner.map((l) => "  " + l));
    if (isArg) {
      lines.push(`  if (${argBetter(r.op, r.operandDType, key, rv, acc, arg, b.helpers)}) { ${acc} = ${key}; ${arg} = ${rv}; }`);
    } else {
      lines.push(`  ${acc} = ${combine(r.op, r.operandDType, acc, value, b.helpers)};`);
    }
    lines.push("}");
    if (!tree) return isArg ? `select(${arg}, 0, ${arg} == ${R})` : acc;
    // Tree combine in workgroup memory; every invocation reaches the barriers (uniform control flow).
    const sv = b.next("sh"), si = b.next("shi");
    shared.push(`var<workgroup> ${sv}: array<${kt}, ${wg}>;`);
    if (isArg) shared.push(`var<workgroup> ${si}: array<i32, ${wg}>;`);
    lines.push(`${sv}[lid] = ${acc};`);
    if (isArg) lines.push(`${si}[lid] = ${arg};`);
    lines.push("workgroupBarrier();");
    lines.push(`for (var s: u32 = ${wg / 2}u; s > 0u; s = s >> 1u) {`);
    if (isArg) {
      const better = argBetter(r.op, r.operandDType, `${sv}[lid + s]`, `${si}[lid + s]`, `${sv}[lid]`, `${si}[lid]`, b.helpers);
      lines.push(`  if (lid < s && ${better}) { ${sv}[lid] = ${sv}[lid + s]; ${si}[lid] = ${si}[lid + s]; }`);
    } else {
      lines.push(`  if (lid < s) { ${sv}[lid] = ${combine(r.op, r.operandDType, `${sv}[lid]`, `${sv}[lid + s]`, b.helpers)}; }`);
    }
    lines.push("  workgroupBarrier();", "}");
    const res = b.next("red");
    lines.push(isArg ? `let ${res} = select(${si}[0], 0, ${si}[0] == ${R});` : `let ${res} = ${sv}[0];`);
    lines.push("workgroupBarrier();");
    return res;
  };

  // Thread → output element.
  const flat = tree ? "i32(wid.x + wid.y * nwg.x)" : `i32(gid.x + gid.y * nwg.x * ${wg}u)`;
  if (tree) {
    // Every invocation of a workgroup must reach the barriers: clamp instead of returning.
    body.push(`let flat_ = ${flat};`, `let live_ = flat_ < ${total};`, `let flat = min(flat_, ${Math.max(total - 1, 0)});`);
  } else {
    body.push(`let flat = ${flat};`, `if (flat >= ${total}) { return; }`);
    body.push(...guardLines(b, k.guards));
  }
  body.push(...space.decompose("flat"));
  const value = new ExprWriter(b, body, outerAddress, reduceNode).expr(root);
  let store: string;
  if (k.target.kind === "scalar") {
    const s = k.target.scalar;
    const word = s.dtype === "float16" ? `pack2x16float(vec2<f32>(${value}, 0.0))` : wgslType(s.dtype) === "u32" ? value : `bitcast<u32>(${value})`;
    store = `sc[${s.id}] = ${word};`;
  } else {
    const v = k.target.buffer.dtype === "float16" ? `f16(${value})` : value;
    const at = chunks ? "flat" : plus(b.base(k.target.view), space.offset(k.target.view.strides));
    store = `${b.buf(k.target.buffer)}[${at}] = ${v};`;
  }
  if (tree) {
    const conds = ["lid == 0u", "live_", ...k.guards.map((g) => guardHolds(b, g))];
    body.push(`if (${conds.join(" && ")}) { ${store} }`);
  } else {
    body.push(store);
  }
  const writes = k.target.kind === "buffer" ? k.target.buffer : undefined;
  const writesScalars = k.target.kind === "scalar";
  const builtins = tree
    ? "@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32"
    : "@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u";
  const code = [
    ...b.declarations(writes, writesScalars),
    ...shared,
    FBITS_DECL,
    b.helpers.text(),
    `@compute @workgroup_size(${wg})`,
    `fn main(${builtins}) {`,
    ...body.map((l) => "  " + l),
    "}",
  ].filter((l) => l !== "").join("\n");
  const label = chunks ? `partial reductions, ${chunks} workgroups` : `loop over [${shape.join(", ")}]${tree ? " (workgroup reduction)" : ""}`;
  return {
    code,
    buffers: b.buffers(),
    writes,
    usesScalars: b.usesScalars || writesScalars,
    writesScalars,
    workgroups: total === 0 ? 0 : tree ? total : Math.ceil(total / wg),
    label,
  };
}

/** C[b, m, n] = Σ_k A·B with 4×4 register tiles per invocation (8×8 invocations per workgroup). */
export function matmulKernel(s: MatmulStep, guards: readonly Guard[]): KernelSource {
  return vec4Layout(s) ? matmulVec4(s, guards) : matmulScalar(s, guards);
}

/** Whether A's rows run along k and B's rows along n in whole, aligned vec4s (the common, contiguous case). */
function vec4Layout(s: MatmulStep): boolean {
  if (s.a.dynamic.length || s.b.dynamic.length) return false;
  const all = [s.k, s.n, s.a.offset, s.b.offset, s.a.strides[0], s.a.strides[1], s.b.strides[0], s.b.strides[1]];
  if (!all.every((d) => typeof d === "number" && d % 4 === 0)) return false;
  const plain = (d: DType) => d === "float32" || d === "int32";
  return s.a.strides[2] === 1 && s.b.strides[2] === 1 && plain(s.out.dtype) && plain(s.a.buffer.dtype) && plain(s.b.buffer.dtype);
}

/**
 * The vec4 form: A, B and C bound as arrays of vec4; each step of the k loop reads a vec4
 * of k from four rows of A and four vec4 rows of B, and does 64 multiply-adds in registers.
 */
function matmulVec4(s: MatmulStep, guards: readonly Guard[]): KernelSource {
  const b = new Builder();
  const [batch, m, n, k] = [s.batch, s.m, s.n, s.k].map((d) => num(d, "a matmul size")) as [number, number, number, number];
  const t = wgslType(s.out.dtype);
  const A = b.buf(s.a.buffer), B = b.buf(s.b.buffer), C = b.buf(s.out);
  const [asb, asm] = s.a.strides.map((d) => num(d, "a stride") / 4) as [number, number];
  const [bsb, bsk] = s.b.strides.map((d) => num(d, "a stride") / 4) as [number, number];
  const n4 = n / 4;
  const lines: string[] = [];
  lines.push(...guardLines(b, guards));
  lines.push(
    "let bz = i32(wid.z);",
    "let row0 = i32(wid.y) * 32 + i32(lid.y) * 4;",
    "let c4 = i32(wid.x) * 8 + i32(lid.x);",
    `let cc = min(c4, ${n4 - 1});`,
    `let abase = ${num(s.a.offset, "an offset") / 4} + bz * ${asb};`,
    `let bbase = ${num(s.b.offset, "an offset") / 4} + bz * ${bsb} + cc;`,
    `let r = vec4<i32>(min(row0, ${m - 1}), min(row0 + 1, ${m - 1}), min(row0 + 2, ${m - 1}), min(row0 + 3, ${m - 1})) * ${asm} + abase;`,
    `var acc0: vec4<${t}>;`, `var acc1: vec4<${t}>;`, `var acc2: vec4<${t}>;`, `var acc3: vec4<${t}>;`,
    `for (var kk: i32 = 0; kk < ${k / 4}; kk++) {`,
    `  let bk = bbase + kk * ${4 * bsk};`,
    `  let v0 = ${B}[bk];`,
    `  let v1 = ${B}[bk + ${bsk}];`,
    `  let v2 = ${B}[bk + ${2 * bsk}];`,
    `  let v3 = ${B}[bk + ${3 * bsk}];`,
    ...[0, 1, 2, 3].flatMap((i) => [
      `  let u${i} = ${A}[r[${i}] + kk];`,
      `  acc${i} += u${i}.x * v0 + u${i}.y * v1 + u${i}.z * v2 + u${i}.w * v3;`,
    ]),
    "}",
    `if (c4 < ${n4}) {`,
    `  let cbase = bz * ${m * n4} + c4;`,
    ...[0, 1, 2, 3].map((i) => `  if (row0 + ${i} < ${m}) { ${C}[cbase + (row0 + ${i}) * ${n4}] = acc${i}; }`),
    "}",
  );
  const decls = b.buffers().map((buf, i) =>
    `@group(0) @binding(${i}) var<storage, ${buf === s.out ? "read_write" : "read"}> b${buf.id}: array<vec4<${wgslType(buf.dtype)}>>;`);
  if (b.usesScalars) decls.push(`@group(0) @binding(${b.buffers().length}) var<storage, read> sc: array<u32>;`);
  const code = [
    ...decls,
    "@compute @workgroup_size(8, 8)",
    "fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {",
    ...lines.map((l) => "  " + l),
    "}",
  ].join("\n");
  return matmulSource(s, code, b, batch, m, n, `matmul ${batch}x${m}x${k} @ ${k}x${n} (vec4)`);
}

function matmulSource(s: MatmulStep, code: string, b: Builder, batch: number, m: number, n: number, label: string): KernelSource {
  const empty = batch === 0 || m === 0 || n === 0;
  if (batch > 65535) throw new BackendError(`A matmul batch of ${batch} exceeds the webgpu backend's limit of 65535.`, "Split the batch, or run on the cpu backend.");
  return {
    code,
    buffers: b.buffers(),
    writes: s.out,
    usesScalars: b.usesScalars,
    writesScalars: false,
    workgroups: empty ? 0 : 1,
    grid: empty ? [0, 0, 0] : [Math.ceil(n / MM_TILE), Math.ceil(m / MM_TILE), batch],
    label,
  };
}

function matmulScalar(s: MatmulStep, guards: readonly Guard[]): KernelSource {
  const b = new Builder();
  const [batch, m, n, k] = [s.batch, s.m, s.n, s.k].map((d) => num(d, "a matmul size")) as [number, number, number, number];
  const t = wgslType(s.out.dtype);
  const C = b.buf(s.out);
  const [asb, asm, ask] = s.a.strides.map((d) => num(d, "a stride")) as [number, number, number];
  const [bsb, bsk, bsn] = s.b.strides.map((d) => num(d, "a stride")) as [number, number, number];
  const aBase = b.base(s.a), bBase = b.base(s.b);
  const lines: string[] = [];
  lines.push(...guardLines(b, guards));
  lines.push(
    "let bz = i32(wid.z);",
    "let row0 = i32(wid.y) * 32 + i32(lid.y) * 4;",
    "let col0 = i32(wid.x) * 32 + i32(lid.x) * 4;",
    `let abase = ${aBase} + bz * ${asb};`,
    `let bbase = ${bBase} + bz * ${bsb};`,
    `var acc: array<vec4<${t}>, 4>;`,
    // Out-of-range rows/columns read a clamped element and are never stored.
    `let r = vec4<i32>(min(row0, ${m - 1}), min(row0 + 1, ${m - 1}), min(row0 + 2, ${m - 1}), min(row0 + 3, ${m - 1})) * ${asm} + abase;`,
    `let c = vec4<i32>(min(col0, ${n - 1}), min(col0 + 1, ${n - 1}), min(col0 + 2, ${n - 1}), min(col0 + 3, ${n - 1})) * ${bsn} + bbase;`,
    `for (var kk: i32 = 0; kk < ${k}; kk++) {`,
    `  let ak = kk * ${ask};`,
    `  let bk = kk * ${bsk};`,
    `  let bv = vec4<${t}>(${b.load(s.b.buffer, "c.x + bk")}, ${b.load(s.b.buffer, "c.y + bk")}, ${b.load(s.b.buffer, "c.z + bk")}, ${b.load(s.b.buffer, "c.w + bk")});`,
    `  acc[0] += ${b.load(s.a.buffer, "r.x + ak")} * bv;`,
    `  acc[1] += ${b.load(s.a.buffer, "r.y + ak")} * bv;`,
    `  acc[2] += ${b.load(s.a.buffer, "r.z + ak")} * bv;`,
    `  acc[3] += ${b.load(s.a.buffer, "r.w + ak")} * bv;`,
    "}",
    `let cbase = bz * ${m * n};`,
    "for (var i: i32 = 0; i < 4; i++) {",
    `  let row = row0 + i;`,
    `  if (row >= ${m}) { break; }`,
    "  for (var j: i32 = 0; j < 4; j++) {",
    `    if (col0 + j < ${n}) { ${C}[cbase + row * ${n} + col0 + j] = ${s.out.dtype === "float16" ? "f16(acc[i][j])" : "acc[i][j]"}; }`,
    "  }",
    "}",
  );
  const code = [
    ...b.declarations(s.out, false),
    "@compute @workgroup_size(8, 8)",
    "fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {",
    ...lines.map((l) => "  " + l),
    "}",
  ].join("\n");
  return matmulSource(s, code, b, batch, m, n, `matmul ${batch}x${m}x${k} @ ${k}x${n}`);
}

/**
 * A scatter: WGSL has no float atomics, so updates that may meet run serially, in
 * row-major order (JAX's sequential, deterministic accumulation). Axes that never make two
 * updates meet (`parallelAxes`: the operand axes no index array touches, e.g. the 256
 * columns of an embedding row) get one invocation each; the index axes are a serial loop.
 */
export function scatterKernel(step: ScatterStep, guards: readonly Guard[]): KernelSource {
  const b = new Builder();
  const shape = step.shape.map((d) => num(d, "a scatter size"));
  const rank = shape.length;
  const views = [...leafViews(step.offset, []), ...leafViews(step.value, [])].filter((v) => v.shape.length === rank);
  const space = new IndexSpace(shape, views.map((v) => v.strides), "g");
  const address = (view: View) => plus(b.base(view), view.shape.length === rank ? space.offset(view.strides) : "");
  const parallel = shape.slice(rank - step.parallelAxes).reduce((a, c) => a * c, 1);
  const serial = shape.slice(0, rank - step.parallelAxes).reduce((a, c) => a * c, 1);
  const lines: string[] = [`let p = i32(gid.x + gid.y * nwg.x * ${EW_WORKGROUP}u);`, `if (p >= ${parallel}) { return; }`];
  lines.push(...guardLines(b, guards));
  const body = [`let flat = s * ${parallel} + p;`, ...space.decompose("flat")];
  const writer = new ExprWriter(b, body, address, () => {
    throw new Error("internal: a scatter's operands should have been materialized");
  });
  const at = writer.expr(step.offset), v = writer.expr(step.value);
  const buf = b.buf(step.buffer), dtype = step.buffer.dtype;
  const old = `${buf}[${at}]`;
  const combined = step.mode === "set" ? v : wgslOp(step.mode, dtype, [old, v], b.helpers, [dtype, dtype]);
  if (combined === undefined) throw new DTypeError(`The webgpu backend has no scatter-${step.mode} on ${dtype}.`, "Run this function on the cpu backend.");
  body.push(`if (${at} >= 0) { ${old} = ${combined}; }`);
  lines.push(`for (var s: i32 = 0; s < ${serial}; s++) {`, ...body.map((l) => "  " + l), "}");
  const code = [
    ...b.declarations(step.buffer, false),
    FBITS_DECL,
    b.helpers.text(),
    `@compute @workgroup_size(${EW_WORKGROUP})`,
    "fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {",
    ...lines.map((l) => "  " + l),
    "}",
  ].filter((l) => l !== "").join("\n");
  const split = step.parallelAxes ? `serial over [${shape.slice(0, rank - step.parallelAxes).join(", ")}], parallel over [${shape.slice(rank - step.parallelAxes).join(", ")}]` : "serial";
  return {
    code, buffers: b.buffers(), writes: step.buffer, usesScalars: b.usesScalars, writesScalars: false,
    workgroups: space.size === 0 ? 0 : Math.ceil(parallel / EW_WORKGROUP), label: `scatter-${step.mode} over [${shape.join(", ")}] (${split})`,
  };
}

/**
 * A kernel of `workgroup` invocations per workgroup writing `writes` (the first is
 * KernelSource.writes): the builder's declarations, `extra` module-scope text, and `main`
 * declaring every builtin a body may use (wid, gid, nwg, lid) around `body`.
 */
export function kernelSource(b: Builder, writes: BufferDecl[], body: string[], extra: string[], workgroup: number, workgroups: number, label: string): KernelSource {
  const code = [
    ...b.declarations(writes, false),
    ...extra,
    `@compute @workgroup_size(${workgroup})`,
    "fn main(@builtin(workgroup_id) wid: vec3u, @builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {",
    ...body.map((l) => "  " + l),
    "}",
  ].join("\n");
  return { code, buffers: b.buffers(), writes: writes[0], usesScalars: b.usesScalars, writesScalars: false, workgroups, label };
}

/** Sets a scan counter at the start (`init`) or steps it, and copies swapped scalar carries. */
export function scalarUpdateKernel(assign: readonly string[], guards: readonly Guard[]): KernelSource {
  const b = new Builder();
  const lines: string[] = [];
  lines.push(...guardLines(b, guards));
  lines.push(...assign);
  const code = [
    ...b.declarations(undefined, true),
    "@compute @workgroup_size(1)",
    "fn main() {",
    ...lines.map((l) => "  " + l),
    "}",
  ].join("\n");
  return { code, buffers: [], writes: undefined, usesScalars: true, writesScalars: true, workgroups: 1, label: "scalar update" };
}
