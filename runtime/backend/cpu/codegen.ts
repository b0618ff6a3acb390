// JavaScript code generation for the CPU backend: one function per program, one loop nest
// per kernel, over typed arrays. The emitted text is self-contained — it uses only its
// `rt` (helpers) and `consts` parameters — so the build-time specializer can write it into
// the output module as real code instead of evaluating it with `new Function`.
//
// Within a kernel, every expression node is bound to a `const` at the outermost loop level
// it depends on, so loop-invariant work (scalar arithmetic, broadcast reads, whole-array
// reductions) is hoisted; loop dimensions that every access walks contiguously are merged
// into one, so same-shape elementwise kernels are a single flat loop.

import { castScalar, isFloat, type DType } from "../../dtype.js";
import { reduceInit, reduceRounds } from "../../primitives/scalar-ops.js";
import { convertOp, reduceStep, scalarOp } from "./scalar-ops.js";
import type { BufferDecl, Expr, MatmulStep, Program, ScalarDecl, ScatterStep, SortStep, Step, Swap, Target } from "../../ir/fusion.js";
import type { DynamicOffset, View } from "../../ir/view.js";
import type { Shape } from "../../shape.js";
import { dimMul, dimText, isOne, knownEqual, type Dim } from "../../symbolic.js";

export interface GeneratedSource {
  /** Body of `function (rt, consts) { ... return function run(args, dims) {...} }`. */
  readonly body: string;
  /** Size variables the program reads from `dims` (`{ n: 5 }`), for symbolic programs. */
  readonly sizeVariables: readonly string[];
}

const ARRAY_CTOR: Record<DType, string> = {
  float32: "Float32Array",
  float16: "Float32Array",
  int32: "Int32Array",
  uint32: "Uint32Array",
  bool: "Uint8Array",
};

const bufName = (b: BufferDecl) => `b${b.id}`;
const scalarName = (s: ScalarDecl) => `s${s.id}`;

export function generateProgram(program: Program): GeneratedSource {
  const names = new NameGen();
  const setup: string[] = ['"use strict";'];
  const run: string[] = [];
  program.inputs.forEach((inp, i) => {
    if ("size" in inp) run.push(`const ${bufName(inp)} = args[${i}];`);
    else {
      // A plain number argument is a float32 (or int32) value only once rounded like a store.
      const value = `typeof args[${i}] === "number" ? args[${i}] : args[${i}][0]`;
      run.push(`const ${scalarName(inp)} = ${isFloat(inp.dtype) ? `Math.fround(${value})` : value};`);
    }
  });
  for (const b of program.consts) setup.push(`const ${bufName(b)} = consts[${b.index}];`);
  for (const b of program.buffers) {
    const alloc = `new ${ARRAY_CTOR[b.dtype]}(${names.dim(b.size)})`;
    if (b.kind === "output") run.push(`const ${bufName(b)} = ${alloc};`);
    if (b.kind !== "temp" && b.kind !== "carry") continue;
    // Temps and loop carries live as long as the executable (unless their size is only known
    // per call), but kernels read them through locals of `run`: V8 keeps locals in registers,
    // while closure variables — swapped loop carries above all — are reloaded on every access.
    const decl = b.kind === "carry" ? "let" : "const";
    if (typeof b.size !== "number") {
      // Sized per call (a prebuilt kernel): kept while the size stays the same.
      const size = names.dim(b.size);
      setup.push(`let p${b.id} = null;`);
      run.push(`if (p${b.id} === null || p${b.id}.length !== ${size}) p${b.id} = ${alloc};`);
      run.push(`${decl} ${bufName(b)} = p${b.id};`);
    } else {
      setup.push(`const p${b.id} = ${alloc};`);
      run.push(`${decl} ${bufName(b)} = p${b.id};`);
    }
  }
  for (const s of program.scalars) if (s.kind === "local") run.push(`let ${scalarName(s)} = 0;`);

  run.push(...emitSteps(program.steps, names));

  const outs = program.outputs.map((o) => {
    switch (o.kind) {
      case "buffer": return bufName(o.buffer);
      case "scalar": return `${ARRAY_CTOR[o.scalar.dtype]}.of(${scalarName(o.scalar)})`;
      case "const": return `${ARRAY_CTOR[o.dtype]}.of(${names.dim(o.value)})`;
    }
  });
  run.push(`return [${outs.join(", ")}];`);

  const sizeVariables = [...names.sizeVariables].sort();
  const prologue = sizeVariables.map((v) => `const d_${v} = dims.${v};`);
  const body = `${setup.join("\n")}\nreturn function run(args${sizeVariables.length ? ", dims" : ""}) {\n${indent([...prologue, ...run]).join("\n")}\n};`;
  return { body, sizeVariables };
}

function emitSteps(steps: readonly Step[], names: NameGen): string[] {
  const out: string[] = [];
  for (const step of steps) {
    switch (step.kind) {
      case "loop":
        out.push(`// kernel ${names.kernels++}: loop over [${step.shape.map(dimText).join(", ")}]`, ...new KernelEmitter(names, step.shape, step.target, step.expr).emit());
        break;
      case "scatter":
        out.push(`// kernel ${names.kernels++}: scatter-${step.mode} over [${step.shape.map(dimText).join(", ")}]`, ...scatterCode(step, names));
        break;
      case "sort":
        out.push(`// kernel ${names.kernels++}: sort ${dimText(step.rows)} rows of ${dimText(step.n)}`, sortCode(step, names));
        break;
      case "cumulative":
        out.push(`// kernel ${names.kernels++}: cumulative ${step.op} over [${[step.outer, step.n, step.inner].map(dimText).join(", ")}] along axis 1`,
          `rt.cumulativeRows("${step.op}", ${step.reverse}, ${bufName(step.input.buffer)}, ${baseOffset(step.input, names) || "0"}, ${bufName(step.output)}, ` +
          `${names.dim(step.outer)}, ${names.dim(step.n)}, ${names.dim(step.inner)});`);
        break;
      case "matmul":
        out.push(`// kernel ${names.kernels++}: matmul ${[step.batch, step.m, step.k].map(dimText).join("x")} @ ${dimText(step.k)}x${dimText(step.n)}`, ...matmulCode(step, names));
        break;
      case "cond": {
        const idx = scalarName(step.index);
        if (step.branches.length === 2) {
          out.push(`if (${idx} !== 0) {`, ...indent(emitSteps(step.branches[1]!, names)), "} else {", ...indent(emitSteps(step.branches[0]!, names)), "}");
        } else {
          step.branches.forEach((b, i) => {
            const head = i === 0 ? `if (${idx} === 0) {` : i === step.branches.length - 1 ? "} else {" : `} else if (${idx} === ${i}) {`;
            out.push(head, ...indent(emitSteps(b, names)));
          });
          out.push("}");
        }
        break;
      }
      case "while":
        out.push("while (true) {", ...indent(emitSteps(step.cond, names)), `  if (${scalarName(step.pred)} === 0) break;`,
          ...indent(emitSteps(step.body, names)), ...indent(swapCode(step.swaps)), "}");
        break;
      case "scan": {
        const t = names.next("t");
        const length = names.dim(step.length);
        const at = step.reverse ? `${length} - 1 - ${t}` : t;
        out.push(`for (let ${t} = 0; ${t} < ${length}; ${t}++) {`, `  ${scalarName(step.counter)} = ${at};`,
          ...indent(emitSteps(step.body, names)), ...indent(swapCode(step.swaps)), "}");
        break;
      }
    }
  }
  return out;
}

function swapCode(swaps: readonly Swap[]): string[] {
  return swaps.map((s) =>
    s.kind === "scalar"
      ? `${scalarName(s.current)} = ${scalarName(s.next)};`
      : `{ const tmp = ${bufName(s.current)}; ${bufName(s.current)} = ${bufName(s.next)}; ${bufName(s.next)} = tmp; }`,
  );
}

/** A view's base offset: its static part plus run-time terms (a scan's current slice). */
function baseOffset(view: { readonly offset: Dim; readonly dynamic: readonly DynamicOffset[] }, names: NameGen): string {
  let text = view.offset === 0 && view.dynamic.length ? "" : names.dim(view.offset);
  for (const d of view.dynamic) {
    const term = d.stride === 1 ? `s${d.scalar}` : `s${d.scalar} * ${names.dim(d.stride)}`;
    text = text ? `${text} + ${term}` : term;
  }
  return text;
}

function indent(lines: readonly string[], by = "  "): string[] {
  return lines.map((l) => (l ? by + l : l));
}

/** A JS literal for `v`; negative ones (-0 and -Infinity too) are parenthesized so `(-${a})` never reads `--a`. */
function numberLiteral(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "Infinity";
  if (v === -Infinity) return "(-Infinity)";
  if (Object.is(v, -0)) return "(-0)";
  const s = String(v);
  return v < 0 ? `(${s})` : s;
}

/** Fresh local names, and the size variables the code reads. */
class NameGen {
  private n = 0;
  /** Kernels emitted so far (numbers the comments). */
  kernels = 0;
  readonly sizeVariables = new Set<string>();

  next(prefix: string): string {
    return `${prefix}${this.n++}`;
  }

  /** A size or literal value as a JS expression (`d_n * 4` for symbolic sizes). */
  dim(d: Dim): string {
    if (typeof d === "number") return numberLiteral(d);
    return d.toJs((v) => {
      this.sizeVariables.add(v);
      return `d_${v}`;
    });
  }
}

function sortCode(s: SortStep, names: NameGen): string {
  const list = (xs: readonly string[]) => `[${xs.join(", ")}]`;
  return `rt.sortRows(${list(s.operands.map((o) => bufName(o.buffer)))}, ${list(s.operands.map((o) => baseOffset(o, names)))}, ${s.numKeys}, ` +
    `${names.dim(s.rows)}, ${names.dim(s.n)}, ${names.dim(s.keep)}, ${s.descending}, ` +
    `${list(s.outputs.map((b) => (b ? bufName(b) : "null")))}, ${s.indices ? bufName(s.indices) : "null"});`;
}

/** `js` as one operand: a compound expression is parenthesized. */
function atom(js: string): string {
  return /^[\w.$]+$/.test(js) || /^\(.*\)$/.test(js) ? js : `(${js})`;
}

function matmulCode(s: MatmulStep, names: NameGen): string[] {
  const fn = s.out.dtype === "int32" ? "rt.matmulInt" : "rt.matmul";
  const dims = (ds: readonly Dim[]) => ds.map((d) => names.dim(d)).join(", ");
  return [
    `${fn}(${bufName(s.a.buffer)}, ${baseOffset(s.a, names)}, ${dims(s.a.strides)}, ` +
      `${bufName(s.b.buffer)}, ${baseOffset(s.b, names)}, ${dims(s.b.strides)}, ` +
      `${bufName(s.out)}, ${dims([s.batch, s.m, s.n, s.k])});`,
  ];
}

// --- loop kernels ------------------------------------------------------------------------

/**
 * A loop nest over `shape` with adjacent axes merged wherever every access pattern walks
 * them as one (stride[d] = stride[d+1]·size[d+1]); size-1 axes get no loop. Statements
 * are collected per level: level 0 runs before the loops, level l inside loop l-1.
 */
class LoopNest {
  readonly groups: number[][] = [];
  readonly dims: Dim[];
  readonly vars: string[];
  readonly levels: string[][];

  constructor(private readonly names: NameGen, shape: Shape, patterns: readonly (readonly Dim[])[], prefix: string) {
    for (let d = 0; d < shape.length; d++) {
      if (isOne(shape[d]!)) continue;
      const last = this.groups[this.groups.length - 1];
      const inner = last?.[last.length - 1];
      if (inner !== undefined && patterns.every((p) => knownEqual(p[inner]!, dimMul(p[d]!, shape[d]!)))) last!.push(d);
      else this.groups.push([d]);
    }
    this.dims = this.groups.map((g) => g.reduce<Dim>((n, d) => dimMul(n, shape[d]!), 1));
    this.vars = this.dims.map(() => names.next(prefix));
    this.levels = Array.from({ length: this.dims.length + 1 }, () => []);
  }

  get depth(): number {
    return this.dims.length;
  }

  /** Per-loop strides of a pattern over the original axes (a merged loop steps like its innermost axis). */
  project(strides: readonly Dim[]): Dim[] {
    return this.groups.map((g) => strides[g[g.length - 1]!]!);
  }

  /** The deepest level a projected pattern varies at. */
  levelOf(projected: readonly Dim[]): number {
    for (let l = projected.length - 1; l >= 0; l--) if (projected[l] !== 0) return l + 1;
    return 0;
  }

  /** `base + Σ var_l · stride_l` over loops above `level`. */
  offset(projected: readonly Dim[], level: number, base: string): string {
    let text = base === "0" ? "" : base;
    for (let l = 0; l < level; l++) {
      const s = projected[l]!;
      if (s === 0) continue;
      const term = s === 1 ? this.vars[l]! : `${this.vars[l]} * ${this.names.dim(s)}`;
      text = text ? `${text} + ${term}` : term;
    }
    return text || "0";
  }

  /** The nest's code: each level's statements, then its loop around the deeper levels (`loops`: how many, outermost first). */
  assemble(loops = this.depth): string[] {
    let body = this.levels[loops]!;
    for (let l = loops - 1; l >= 0; l--) {
      const v = this.vars[l]!;
      body = [...this.levels[l]!, `for (let ${v} = 0; ${v} < ${this.names.dim(this.dims[l]!)}; ${v}++) {`, ...indent(body), "}"];
    }
    return body;
  }
}

interface Bound {
  readonly name: string;
  readonly level: number;
}

/** Where a leaf's view points inside the current nest: its level and offset expression. */
type Addresser = (view: View) => { level: number; offset: string };

/**
 * Binds each expression node to a `const` at the shallowest level it depends on
 * (memoized by node identity, so shared subtrees are computed once).
 */
class ExprEmitter {
  private readonly memo = new Map<Expr, Bound>();

  constructor(
    private readonly names: NameGen,
    private readonly nest: LoopNest,
    private readonly address: Addresser,
    /** Where level-0 statements go (a reduction hoists them before its loops). */
    private readonly level0: string[],
    private readonly onReduce: (e: Extract<Expr, { kind: "reduce" }>, raw: boolean) => Bound,
  ) {}

  private bind(level: number, code: string): Bound {
    const name = this.names.next("e");
    (level === 0 ? this.level0 : this.nest.levels[level]!).push(`const ${name} = ${code};`);
    return { name, level };
  }

  /** `raw`: the node's value is only stored into a Float32Array, so its final rounding can go. */
  expr(e: Expr, raw = false): Bound {
    const hit = this.memo.get(e);
    if (hit) return hit;
    let out: Bound;
    switch (e.kind) {
      case "const":
        // A symbolic size (`4 * d_n`) is one operand of whatever uses it: parenthesized.
        out = { name: typeof e.value === "number" ? numberLiteral(castScalar(e.value, e.dtype)) : atom(this.names.dim(e.value)), level: 0 };
        break;
      case "scalar":
        out = { name: scalarName(e.scalar), level: 0 };
        break;
      case "load":
      case "index": {
        const { level, offset } = this.address(e.view);
        // A float iota past 2^24 is a float32 only once rounded.
        const index = isFloat(e.dtype) ? `Math.fround(${offset})` : offset;
        out = this.bind(level, e.kind === "load" ? `${bufName(e.buffer)}[${offset}]` : index);
        break;
      }
      case "convert": {
        const arg = this.expr(e.arg);
        const code = convertOp(e.from, e.dtype).js(arg.name);
        out = code === arg.name ? arg : this.bind(arg.level, code);
        break;
      }
      case "op": {
        const args = e.args.map((a) => this.expr(a));
        const op = scalarOp(e.op, e.operandDType);
        if (!op) throw new Error(`internal: no JS form for ${e.op} on ${e.operandDType}`);
        out = this.bind(Math.max(0, ...args.map((a) => a.level)), (raw && op.jsRaw ? op.jsRaw : op.js)(...args.map((a) => a.name)));
        break;
      }
      case "gather": {
        const at = this.expr(e.offset);
        out = this.bind(at.level, `${bufName(e.buffer)}[${at.name}]`);
        break;
      }
      case "reduce":
        out = this.onReduce(e, raw);
        break;
    }
    this.memo.set(e, out);
    return out;
  }
}

/** Leaf views inside `e` (not inside reductions' bodies unless `intoReduce`). The wasm code generator uses it too. */
export function leafViews(e: Expr, out: View[], intoReduce: boolean): View[] {
  switch (e.kind) {
    case "load":
    case "index":
      out.push(e.view);
      break;
    case "convert":
      leafViews(e.arg, out, intoReduce);
      break;
    case "gather":
      leafViews(e.offset, out, intoReduce);
      break;
    case "op":
      for (const a of e.args) leafViews(a, out, intoReduce);
      break;
    case "reduce":
      if (intoReduce) leafViews(e.body, out, intoReduce);
      break;
  }
  return out;
}

const keptAxes = (e: Extract<Expr, { kind: "reduce" }>) => e.inShape.map((_, d) => d).filter((d) => !e.axes.includes(d));

/** The shortest row a gather copies as a block (shorter rows: the element loop is faster). */
const ROW_COPY_MIN = 16;

/** Emits one loop kernel: `target[idx] = expr(idx)` for every idx in `shape`. */
class KernelEmitter {
  private readonly nest: LoopNest;
  private readonly kernelRank: number;
  private readonly exprs: ExprEmitter;

  constructor(
    private readonly names: NameGen,
    shape: Shape,
    private readonly target: Target,
    private readonly root: Expr,
  ) {
    const rank = shape.length;
    const patterns: (readonly Dim[])[] = [];
    if (target.kind === "buffer") patterns.push(target.view.strides);
    for (const v of leafViews(root, [], false)) if (v.shape.length === rank) patterns.push(v.strides);
    // Reductions with the kernel's shape read their bodies through the same outer loops.
    forEachReduce(root, (r) => {
      if (r.inShape.length - r.axes.length !== rank || rank === 0) return;
      const kept = keptAxes(r);
      for (const v of leafViews(r.body, [], false)) if (v.shape.length > 0) patterns.push(kept.map((d) => v.strides[d]!));
    });
    this.kernelRank = rank;
    this.nest = new LoopNest(names, shape, patterns, "i");
    this.exprs = new ExprEmitter(names, this.nest, (view) => this.address(view.shape.length === rank ? view.strides : null, baseOffset(view, names)),
      this.nest.levels[0]!, (r, raw) => this.reduce(r, raw));
  }

  /** Set while emitting a row copy: addresses leave out the innermost loop (its variable is 0). */
  private rowStart = false;

  private address(strides: readonly Dim[] | null, base: string): { level: number; offset: string } {
    if (!strides) return { level: 0, offset: base };
    const p = this.nest.project(strides);
    let level = this.nest.levelOf(p);
    if (this.rowStart) level = Math.min(level, this.nest.depth - 1);
    return { level, offset: this.nest.offset(p, level, base) };
  }

  /**
   * How `e` changes per step of the innermost loop: a number when `e` is affine in that
   * loop's variable with a data-independent slope, else undefined.
   */
  private innerSlope(e: Expr): number | undefined {
    const rank = this.nest.depth;
    const along = (view: View) => {
      if (view.shape.length !== this.kernelRank) return 0;
      const s = this.nest.project(view.strides)[rank - 1]!;
      return typeof s === "number" ? s : undefined;
    };
    const flat = (args: readonly Expr[]) => (args.every((a) => this.innerSlope(a) === 0) ? 0 : undefined);
    switch (e.kind) {
      case "const":
      case "scalar":
        return 0;
      case "index":
        return along(e.view);
      case "load":
        return along(e.view) === 0 ? 0 : undefined;
      case "gather":
        return this.innerSlope(e.offset) === 0 ? 0 : undefined;
      case "convert":
        return e.from === "int32" && e.dtype === "int32" ? this.innerSlope(e.arg) : flat([e.arg]);
      case "op": {
        if (e.operandDType !== "int32") return flat(e.args);
        const [x, y] = e.args.map((a) => this.innerSlope(a));
        if (e.op === "add" && x !== undefined && y !== undefined) return x + y;
        if (e.op === "sub" && x !== undefined && y !== undefined) return x - y;
        if (e.op === "mul" && x !== undefined && y !== undefined) {
          const [a, b] = e.args;
          if (y === 0 && b!.kind === "const" && typeof b!.value === "number") return x * b!.value;
          if (x === 0 && a!.kind === "const" && typeof a!.value === "number") return y * a!.value;
        }
        return flat(e.args);
      }
      case "reduce":
        return undefined;
    }
  }

  /**
   * A copy whose rows are contiguous in both the source and the output — a plain copy (a
   * concatenate's parts, a scatter's copy of its operand: one row when everything merges)
   * or a gather of rows (an embedding lookup, x[ids]) — moves each row as one block,
   * `out.set(src.subarray(o, o + n), t)`, instead of an element loop. Rows shorter than
   * ROW_COPY_MIN stay loops.
   */
  private rowCopy(): string[] | undefined {
    const root = this.root, target = this.target, depth = this.nest.depth;
    if ((root.kind !== "gather" && root.kind !== "load") || target.kind !== "buffer" || depth === 0) return undefined;
    if (root.buffer.dtype !== target.buffer.dtype || root.buffer === target.buffer) return undefined;
    const n = this.nest.dims[depth - 1]!;
    if (typeof n !== "number" || n < ROW_COPY_MIN) return undefined;
    const p = this.nest.project(target.view.strides);
    if (p[depth - 1] !== 1) return undefined;
    if (root.kind === "gather" ? this.innerSlope(root.offset) !== 1
      : root.view.shape.length !== this.kernelRank || this.nest.project(root.view.strides)[depth - 1] !== 1) return undefined;
    this.rowStart = true;
    let at: string;
    if (root.kind === "gather") at = this.exprs.expr(root.offset).name;
    else {
      const { level, offset } = this.address(root.view.strides, baseOffset(root.view, this.names));
      at = this.names.next("e");
      this.nest.levels[level]!.push(`const ${at} = ${offset};`);
    }
    const to = this.nest.offset(p, depth - 1, baseOffset(target.view, this.names));
    const src = bufName(root.buffer);
    this.nest.levels[depth - 1]!.push(`${bufName(target.buffer)}.set(${src}.subarray(${at}, ${at} + ${n}), ${to});`);
    return ["{", ...indent(this.nest.assemble(depth - 1)), "}"];
  }

  emit(): string[] {
    const copy = this.rowCopy();
    if (copy) return copy;
    const target = this.target;
    const value = this.exprs.expr(this.root, target.kind === "buffer" && target.buffer.dtype === "float32");
    const depth = this.nest.depth;
    if (this.target.kind === "scalar") {
      this.nest.levels[0]!.push(`${scalarName(this.target.scalar)} = ${value.name};`);
    } else {
      const p = this.nest.project(this.target.view.strides);
      this.nest.levels[depth]!.push(`${bufName(this.target.buffer)}[${this.nest.offset(p, depth, baseOffset(this.target.view, this.names))}] = ${value.name};`);
    }
    return ["{", ...indent(this.nest.assemble()), "}"];
  }

  /**
   * A reduction node: `let acc = init; for (reduced axes) acc = combine(acc, body);`
   * placed at the outer level its result varies at (0 for a full reduction).
   */
  private reduce(r: Extract<Expr, { kind: "reduce" }>, raw: boolean): Bound {
    const outerRank = r.inShape.length - r.axes.length;
    const level = outerRank === 0 ? 0 : this.nest.depth;
    const kept = keptAxes(r);
    const bodyViews = leafViews(r.body, [], false).filter((v) => v.shape.length > 0);
    const inner = new LoopNest(this.names, r.axes.map((a) => r.inShape[a]!), bodyViews.map((v) => r.axes.map((a) => v.strides[a]!)), "r");
    const hoisted: string[] = [];
    const body = new ExprEmitter(this.names, inner, (view) => {
      if (view.shape.length === 0) return { level: 0, offset: baseOffset(view, this.names) };
      // Base offset from the kept axes at the reduction's outer position, then the inner loops.
      const base = outerRank === 0 ? baseOffset(view, this.names)
        : this.address(kept.map((d) => view.strides[d]!), baseOffset(view, this.names)).offset;
      const p = inner.project(r.axes.map((a) => view.strides[a]!));
      const l = inner.levelOf(p);
      return { level: l, offset: inner.offset(p, l, base) };
    }, hoisted, () => {
      throw new Error("internal: nested reduction should have been materialized");
    });
    const value = body.expr(r.body);
    const acc = this.names.next("acc");
    const head = [`let ${acc} = ${numberLiteral(reduceInit(r.op, r.operandDType))};`];
    let result = acc;
    if (r.op === "argmax" || r.op === "argmin") {
      // One reduced axis: its loop variable is the index. NaN wins at its first position.
      const idx = this.names.next("arg");
      head.push(`let ${idx} = 0;`);
      const cmp = r.op === "argmax" ? ">" : "<";
      const v = value.name;
      const at = inner.vars[0] ?? "0";
      inner.levels[inner.depth]!.push(`if (${v} ${cmp} ${acc} || (${v} !== ${v} && ${acc} === ${acc})) { ${acc} = ${v}; ${idx} = ${at}; }`);
      result = idx;
    } else {
      inner.levels[inner.depth]!.push(`${acc} = ${reduceStep(r.op, r.operandDType).js(acc, value.name)};`);
    }
    const target = level === 0 ? this.nest.levels[0]! : this.nest.levels[level]!;
    target.push(...hoisted, ...head, ...inner.assemble());
    if (!raw && reduceRounds(r.op, r.operandDType)) {
      // A float sum's accumulator is float64; its float32 value is rounded once.
      result = this.names.next("e");
      target.push(`const ${result} = Math.fround(${acc});`);
    }
    return { name: result, level };
  }
}

/**
 * A scatter: one serial loop nest over the updates, in row-major order, combining each
 * into the target element its offset names (a negative offset drops it).
 */
function scatterCode(step: ScatterStep, names: NameGen): string[] {
  const rank = step.shape.length;
  const views = [...leafViews(step.offset, [], false), ...leafViews(step.value, [], false)].filter((v) => v.shape.length === rank);
  const nest = new LoopNest(names, step.shape, views.map((v) => v.strides), "i");
  const exprs = new ExprEmitter(names, nest, (view) => {
    if (view.shape.length !== rank) return { level: 0, offset: baseOffset(view, names) };
    const p = nest.project(view.strides);
    const level = nest.levelOf(p);
    return { level, offset: nest.offset(p, level, baseOffset(view, names)) };
  }, nest.levels[0]!, () => {
    throw new Error("internal: a scatter's operands should have been materialized");
  });
  const at = exprs.expr(step.offset).name, v = exprs.expr(step.value).name;
  const buf = bufName(step.buffer), dtype = step.buffer.dtype;
  const old = `${buf}[${at}]`;
  const combined = step.mode === "set" ? v : scalarOp(step.mode, dtype)!.js(old, v);
  nest.levels[nest.depth]!.push(`if (${at} >= 0) ${old} = ${combined};`);
  return ["{", ...indent(nest.assemble()), "}"];
}

export function forEachReduce(e: Expr, f: (r: Extract<Expr, { kind: "reduce" }>) => void): void {
  switch (e.kind) {
    case "reduce": f(e); break;
    case "convert": forEachReduce(e.arg, f); break;
    case "op": for (const a of e.args) forEachReduce(a, f); break;
    default: break;
  }
}
