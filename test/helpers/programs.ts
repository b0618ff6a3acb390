// Random array programs for differential testing of the whole pipeline (tracing, passes,
// fusion, code generation, interpreter): a DAG of elementwise ops with broadcasting,
// reductions, views, concatenation and matmuls, built together with its float64 reference
// value so every generated step is valid for the shapes at hand.
//
// "float" programs use continuous, bounded operations (values are squashed with tanh
// when they pass 4), so float32 rounding stays small against the reference; with
// `discontinuous`, they also floor, round, cast to int32 and compare, where a last-bit
// difference becomes a whole unit: those are checked mode against mode, bit for bit
// (eager mode rounds at every op, so jit must round every float32 intermediate); "int" programs
// use exact int32 operations (values folded with mod when they grow), compared exactly,
// which also allows comparisons, where, floor division and argmax.

import { np, type ArrayLike, type IndexEntry, type NDArray } from "tsjit";
import type { Rng } from "./prng.js";
import {
  Ref,
  broadcastShapes,
  broadcastTo,
  combine,
  concatenate,
  expandDims,
  map,
  matmul,
  reduce,
  reshape,
  size,
  slice,
  squeeze,
  stack,
  transpose,
  type RDType,
  type RIndex,
} from "./reference.js";

export interface Step {
  readonly text: string;
  readonly args: readonly number[];
  readonly rt: (xs: NDArray[]) => NDArray;
}

export interface Program {
  readonly kind: "float" | "int";
  readonly inputs: { x: NDArray; ref: Ref }[];
  readonly steps: Step[];
  /** Indices (into inputs followed by step results) of the returned values. */
  readonly outputs: number[];
  /** Reference value of every input and step result. */
  readonly refs: Ref[];
}

export function describeProgram(p: Program): string {
  const n = p.inputs.length;
  const name = (i: number) => (i < n ? `in${i}` : `v${i - n}`);
  const lines = p.inputs.map((inp, i) => `in${i}: ${inp.ref.dtype}[${inp.ref.shape}]`);
  p.steps.forEach((s, k) => lines.push(`v${k} = ${s.text.replace(/\$(\d+)/g, (_, j) => name(s.args[+j]!))}   -> [${p.refs[n + k]!.shape}]`));
  lines.push(`return [${p.outputs.map(name).join(", ")}]`);
  return lines.join("\n");
}

/** The runtime function of a program: inputs in, the selected values out (as a list). */
export function programFn(p: Program): (...xs: NDArray[]) => NDArray {
  return (...xs: NDArray[]) => {
    const vals = [...xs];
    for (const s of p.steps) vals.push(s.rt(s.args.map((i) => vals[i]!)));
    return p.outputs.map((i) => vals[i]!) as unknown as NDArray;
  };
}

/** Size bound of generated values (TSJIT_FUZZ_LARGE=1 raises it, with larger axes, for soak runs). */
const LARGE = typeof process !== "undefined" && process.env.TSJIT_FUZZ_LARGE === "1";
const MAX_SIZE = LARGE ? 6000 : 240;
const BASE_DIMS = LARGE ? [1, 2, 7, 16, 17, 33] : [1, 2, 3, 4, 5];

function maxAbs(r: Ref): number {
  let m = 0;
  for (const v of r.data) m = Math.max(m, Math.abs(v));
  return m;
}

function randomShapeOfSize(rng: Rng, n: number): number[] {
  if (n === 0) return [0, rng.int(1, 3)];
  const factors: number[] = [];
  let m = n;
  for (let p = 2; m > 1; p++) while (m % p === 0) { factors.push(p); m /= p; }
  const shape: number[] = [];
  for (const f of factors) {
    if (shape.length && rng.bool(0.5)) shape[shape.length - 1]! *= f;
    else shape.push(f);
  }
  if (rng.bool(0.3)) shape.splice(rng.int(0, shape.length), 0, 1);
  return shape;
}

function randomIndex(rng: Rng, shape: readonly number[]): RIndex[] {
  return shape.map((n): RIndex => {
    const r = rng.int(0, 5);
    if (r === 0 && n > 0) return rng.int(-n, n - 1);
    if (r === 1) return ":";
    const lo = rng.int(-n, n), hi = rng.int(-n, n + 1);
    return [lo, hi, rng.int(1, 2)];
  });
}

export class ProgramBuilder {
  readonly inputs: { x: NDArray; ref: Ref }[] = [];
  readonly steps: Step[] = [];
  readonly refs: Ref[] = [];
  /** Values later steps may use: a value replaced by its tamed version drops out. */
  private readonly pool: number[] = [];
  private readonly dtype: RDType;

  constructor(private readonly rng: Rng, readonly kind: "float" | "int", private readonly discontinuous = false) {
    this.dtype = kind === "float" ? "float32" : "int32";
  }

  addInput(shape: number[]): void {
    const n = size(shape);
    const values = Array.from({ length: n }, () => (this.kind === "float" ? Math.fround(this.rng.uniform(-1, 1)) : this.rng.int(-5, 5)));
    const ref = new Ref(shape, Float64Array.from(values), this.dtype);
    const x = n === 0 ? np.zeros(shape, { dtype: this.dtype }) : np.array(values, { dtype: this.dtype }).reshape(shape);
    this.inputs.push({ x, ref });
    this.refs.push(ref);
    this.pool.push(this.refs.length - 1);
  }

  private push(text: string, args: number[], rt: (xs: NDArray[]) => NDArray, ref: Ref): number {
    this.steps.push({ text, args, rt });
    this.refs.push(ref);
    this.pool.push(this.refs.length - 1);
    return this.refs.length - 1;
  }

  /** Pool entries (index and reference) passing `keep`. */
  private candidates(keep: (r: Ref) => boolean): (readonly [Ref, number])[] {
    return this.pool.map((i) => [this.refs[i]!, i] as const).filter(([r]) => keep(r));
  }

  private pickValue(): number {
    // Prefer recent values, so programs form chains as well as trees.
    const n = this.pool.length;
    return this.pool[this.rng.bool(0.6) ? n - 1 - this.rng.int(0, Math.min(2, n - 1)) : this.rng.int(0, n - 1)]!;
  }

  /** Adds one random valid step; returns false if the drawn kind did not fit. */
  step(): boolean {
    const a = this.pickValue();
    const ra = this.refs[a]!;
    const r = this.rng.int(0, this.kind === "int" ? 12 : 11);
    let out: number;
    if (r === 12) out = this.intExtras(a, ra);
    else if (r <= 2) out = this.unary(a, ra);
    else if (r <= 5) out = this.binary(a, ra);
    else if (r <= 6) out = this.where(a, ra);
    else if (r <= 7) {
      const o = this.reduction(a, ra);
      if (o < 0) return false;
      out = o;
    } else if (r <= 9) {
      const o = this.view(a, ra);
      if (o < 0) return false;
      out = o;
    } else if (r <= 10) {
      const o = this.concat(a, ra);
      if (o < 0) return false;
      out = o;
    } else {
      const o = this.matmul(a, ra);
      if (o < 0) return false;
      out = o;
    }
    this.tame(out);
    return true;
  }

  /** Keeps magnitudes small: tanh for floats, mod 97 for ints. */
  private tame(i: number): void {
    const r = this.refs[i]!;
    if (maxAbs(r) <= (this.kind === "float" ? 4 : 1000)) return;
    this.pool.splice(this.pool.indexOf(i), 1);
    if (this.kind === "float") this.push("tanh($0)", [i], ([x]) => np.tanh(x!), map([r], Math.tanh, "float32"));
    else this.push("mod($0, 97)", [i], ([x]) => np.mod(x!, 97), map([r], (v) => v - Math.floor(v / 97) * 97, "int32"));
  }

  private unary(a: number, ra: Ref): number {
    const d = this.dtype;
    const ops: [string, (x: NDArray) => NDArray, (v: number) => number][] = this.kind === "float"
      ? [
          ["tanh", np.tanh, Math.tanh],
          ["sin", np.sin, Math.sin],
          ["abs", np.abs, Math.abs],
          ["negative", np.negative, (v) => -v],
          ["half", (x) => x.mul(0.5), (v) => v * 0.5],
          ["square", np.square, (v) => v * v],
          ["sqrtabs", (x) => np.sqrt(np.abs(x)), (v) => Math.sqrt(Math.abs(v))],
          ["expnegabs", (x) => np.exp(np.negative(np.abs(x))), (v) => Math.exp(-Math.abs(v))],
          ...(this.discontinuous ? DISCONTINUOUS : []),
        ]
      : [
          ["negative", np.negative, (v) => -v],
          ["abs", np.abs, Math.abs],
          ["sign", np.sign, Math.sign],
          ["plus3", (x) => x.add(3), (v) => v + 3],
          ["floordiv", (x) => np.floorDivide(x, -2), (v) => Math.floor(v / -2)],
          ["square", np.square, (v) => v * v],
        ];
    const [name, f, g] = this.rng.pick(ops);
    return this.push(`${name}($0)`, [a], ([x]) => f(x!), map([ra], g, d));
  }

  /** Another value whose shape broadcasts with `shape` (or -1). */
  private partner(shape: readonly number[]): number {
    const candidates = this.candidates((r) => {
      const s = broadcastShapes(shape, r.shape);
      return s !== null && size(s) <= MAX_SIZE;
    });
    return candidates.length ? this.rng.pick(candidates)[1] : -1;
  }

  private binary(a: number, ra: Ref): number {
    const d = this.dtype;
    const ops: [string, (x: ArrayLike, y: ArrayLike) => NDArray, (p: number, q: number) => number][] = [
      ["add", np.add, (p, q) => p + q],
      ["subtract", np.subtract, (p, q) => p - q],
      ["multiply", np.multiply, (p, q) => p * q],
      ["maximum", np.maximum, Math.max],
      ["minimum", np.minimum, Math.min],
    ];
    const [name, f, g] = this.rng.pick(ops);
    const b = this.rng.bool(0.8) ? this.partner(ra.shape) : -1;
    if (b < 0) {
      const c = this.kind === "float" ? Math.round(this.rng.uniform(-2, 2) * 4) / 4 : this.rng.int(-3, 3);
      const cref = map([], () => c, d);
      if (this.rng.bool()) return this.push(`${name}($0, ${c})`, [a], ([x]) => f(x!, c), map([ra, cref], g, d));
      return this.push(`${name}(${c}, $0)`, [a], ([x]) => f(c, x!), map([cref, ra], g, d));
    }
    return this.push(`${name}($0, $1)`, [a, b], ([x, y]) => f(x!, y!), map([ra, this.refs[b]!], g, d));
  }

  /** where(input > 0, a, b): the condition comes from an input, so it is exact in every mode. */
  private where(a: number, ra: Ref): number {
    const conds = this.inputs.map((inp, i) => [inp.ref, i] as const).filter(([r]) => {
      const s = broadcastShapes(ra.shape, r.shape);
      return s !== null && size(s) <= MAX_SIZE;
    });
    if (!conds.length) return this.unary(a, ra);
    const [cref, c] = this.rng.pick(conds);
    const b = this.partner(broadcastShapes(ra.shape, cref.shape)!);
    if (b < 0) return this.unary(a, ra);
    const rb = this.refs[b]!;
    return this.push("where($0 > 0, $1, $2)", [c, a, b], ([p, x, y]) => np.where(np.greater(p!, 0), x!, y!),
      map([cref, ra, rb], (cv, xv, yv) => (cv > 0 ? xv : yv), this.dtype));
  }

  /** int programs only: comparisons, casts, iota and stack (all exact). */
  private intExtras(a: number, ra: Ref): number {
    switch (this.rng.int(0, 3)) {
      case 0: {
        const b = this.partner(ra.shape);
        const rb = this.refs[Math.max(b, 0)]!;
        if (b < 0) return this.unary(a, ra);
        return this.push("greater($0, $1).astype(int32)", [a, b], ([x, y]) => np.greater(x!, y!).astype("int32"),
          map([ra, rb], (p, q) => +(p > q), "int32"));
      }
      case 1:
        return this.push("$0.astype(float32).mul(0.5).astype(int32)", [a], ([x]) => x!.astype("float32").mul(0.5).astype("int32"),
          map([ra], (v) => Math.trunc(v * 0.5), "int32"));
      case 2: {
        if (ra.ndim === 0) return this.unary(a, ra);
        const n = ra.shape[ra.ndim - 1]!;
        const iota = new Ref([n], Float64Array.from({ length: n }, (_, i) => i), "int32");
        return this.push(`add($0, arange(${n}))`, [a], ([x]) => np.add(x!, np.arange(n)), map([ra, iota], (p, q) => p + q, "int32"));
      }
      default: {
        const same = this.candidates((r) => r.shape.length === ra.shape.length && r.shape.every((d, k) => d === ra.shape[k]));
        const [rb, b] = this.rng.pick(same);
        if (2 * ra.size > MAX_SIZE) return this.unary(a, ra);
        const axis = this.rng.int(-ra.ndim - 1, ra.ndim);
        return this.push(`stack([$0, $1], ${axis})`, [a, b], ([x, y]) => np.stack([x!, y!], axis), stack([ra, rb], axis, "int32"));
      }
    }
  }

  private reduction(a: number, ra: Ref): number {
    const rank = ra.ndim;
    const kinds = this.kind === "float" ? ["sum", "mean", "max", "min"] : ["sum", "max", "min", "argmax", "argmin"];
    const kind = this.rng.pick(kinds);
    const keepdims = this.rng.bool();
    const hasEmpty = ra.shape.includes(0);
    if (kind === "argmax" || kind === "argmin") {
      if (rank === 0 || hasEmpty) return -1;
      const axis = this.rng.int(-rank, rank - 1);
      const ref = reduce(ra, axis, keepdims, combine[kind], "int32").result;
      return this.push(`${kind}($0, ${axis}, keepdims=${keepdims})`, [a], ([x]) => np[kind](x!, axis, { keepdims }), ref);
    }
    if ((kind === "max" || kind === "min" || kind === "mean") && hasEmpty) return -1;
    const axes = rank === 0 ? null : this.rng.bool(0.25) ? null : this.rng.shuffle([...Array(rank).keys()]).slice(0, this.rng.int(1, rank)).map((ax) => (this.rng.bool() ? ax - rank : ax));
    const f = { sum: np.sum, mean: np.mean, max: np.max, min: np.min }[kind as "sum"];
    const ref = reduce(ra, axes, keepdims, combine[kind as "sum"], this.dtype).result;
    return this.push(`${kind}($0, ${JSON.stringify(axes)}, keepdims=${keepdims})`, [a], ([x]) => f(x!, axes, { keepdims }), ref);
  }

  private view(a: number, ra: Ref): number {
    const rank = ra.ndim;
    switch (this.rng.int(0, 5)) {
      case 0: {
        if (rank < 2) return -1;
        const perm = this.rng.shuffle([...Array(rank).keys()]);
        return this.push(`transpose($0, ${perm})`, [a], ([x]) => np.transpose(x!, perm), transpose(ra, perm));
      }
      case 1: {
        const shape = randomShapeOfSize(this.rng, ra.size);
        return this.push(`reshape($0, [${shape}])`, [a], ([x]) => np.reshape(x!, shape), reshape(ra, shape));
      }
      case 2: {
        if (rank === 0) return -1;
        const index = randomIndex(this.rng, ra.shape);
        return this.push(`slice($0, ${JSON.stringify(index)})`, [a], ([x]) => x!.slice(...(index as IndexEntry[])), slice(ra, ...index));
      }
      case 3: {
        const axis = this.rng.int(0, rank);
        return this.push(`expandDims($0, ${axis})`, [a], ([x]) => np.expandDims(x!, axis), expandDims(ra, axis));
      }
      case 4:
        return this.push("squeeze($0)", [a], ([x]) => np.squeeze(x!), squeeze(ra));
      default: {
        const shape = [this.rng.int(1, 3), ...ra.shape.map((d) => (d === 1 ? this.rng.pick([1, 2, 3]) : d))];
        if (size(shape) > MAX_SIZE) return -1;
        return this.push(`broadcastTo($0, [${shape}])`, [a], ([x]) => np.broadcastTo(x!, shape), broadcastTo(ra, shape));
      }
    }
  }

  private concat(a: number, ra: Ref): number {
    if (ra.ndim === 0) return -1;
    const axis = this.rng.int(0, ra.ndim - 1);
    const fits = this.candidates((r) => r.ndim === ra.ndim && r.shape.every((d, k) => k === axis || d === ra.shape[k]));
    const [rb, b] = this.rng.pick(fits);
    if (ra.size + rb.size > MAX_SIZE) return -1;
    const neg = this.rng.bool() ? axis - ra.ndim : axis;
    return this.push(`concatenate([$0, $1], ${neg})`, [a, b], ([x, y]) => np.concatenate([x!, y!], neg), concatenate([ra, rb], axis, this.dtype));
  }

  private matmul(a: number, ra: Ref): number {
    if (ra.ndim === 0) return -1;
    const k = ra.shape[ra.ndim - 1]!;
    const fits = this.candidates((r) => {
      if (r.ndim === 0) return false;
      const rk = r.ndim === 1 ? r.shape[0] : r.shape[r.ndim - 2];
      if (rk !== k) return false;
      if (ra.ndim > 2 && r.ndim > 2 && !broadcastShapes(ra.shape.slice(0, -2), r.shape.slice(0, -2))) return false;
      return true;
    });
    const scale = this.kind === "float" ? 1 / Math.max(1, k) : 1;
    if (!fits.length || this.rng.bool(0.3)) {
      // a @ aᵀ over the last two axes (or a · a for vectors) always fits.
      if (ra.ndim === 1) {
        const mm = matmul(ra, ra, this.dtype).result;
        return this.push("matmul($0, $0)", [a], ([x]) => np.matmul(x!, x!), mm);
      }
      const perm = [...Array(ra.ndim).keys()];
      [perm[ra.ndim - 2], perm[ra.ndim - 1]] = [perm[ra.ndim - 1]!, perm[ra.ndim - 2]!];
      const mm = matmul(ra, transpose(ra, perm), this.dtype).result;
      if (mm.size > MAX_SIZE) return -1;
      return this.push(`matmul($0, swapaxes($0))${scale !== 1 ? ` * ${scale}` : ""}`, [a], ([x]) => {
        const m = np.matmul(x!, np.transpose(x!, perm));
        return scale !== 1 ? m.mul(scale) : m;
      }, scale !== 1 ? map([mm], (v) => v * scale, this.dtype) : mm);
    }
    const [rb, b] = this.rng.pick(fits);
    const mm = matmul(ra, rb, this.dtype).result;
    if (mm.size > MAX_SIZE) return -1;
    return this.push(`matmul($0, $1)${scale !== 1 ? ` * ${scale}` : ""}`, [a, b], ([x, y]) => {
      const m = np.matmul(x!, y!);
      return scale !== 1 ? m.mul(scale) : m;
    }, scale !== 1 ? map([mm], (v) => v * scale, this.dtype) : mm);
  }

  build(outputs: number[]): Program {
    return { kind: this.kind, inputs: this.inputs, steps: this.steps, outputs, refs: this.refs };
  }
}

/**
 * Float ops that turn a last-bit difference into a whole unit (references approximate).
 * Each keeps values in the range of its input.
 */
const DISCONTINUOUS: [string, (x: NDArray) => NDArray, (v: number) => number][] = [
  ["floortenths", (x) => np.floor(x.div(0.1)).mul(0.1), (v) => Math.floor(v / 0.1) * 0.1],
  ["roundsevenths", (x) => np.round(x.mul(7)).div(7), (v) => Math.round(v * 7) / 7],
  ["int32cast", (x) => x.mul(10).astype("int32").astype("float32").div(10), (v) => Math.trunc(v * 10) / 10],
  ["floorDivide", (x) => np.floorDivide(x, 0.3).mul(0.3), (v) => Math.floor(v / 0.3) * 0.3],
  ["mod", (x) => np.mod(x.mul(3), 0.7), (v) => v * 3 - Math.floor((v * 3) / 0.7) * 0.7],
  ["ceilhalf", (x) => np.ceil(x.mul(x).add(0.1).mul(2)).mul(0.5), (v) => Math.ceil((v * v + 0.1) * 2) * 0.5],
  ["cmpround", (x) => np.where(np.greater(x.mul(0.1).mul(10), x), x, x.mul(-1)), (v) => v],
  ["equalscaled", (x) => np.equal(x.div(0.3).mul(0.3), x).astype("float32").add(x), (v) => v + 1],
];

export function randomProgram(rng: Rng, kind: "float" | "int", opts: { discontinuous?: boolean } = {}): Program {
  const b = new ProgramBuilder(rng, kind, opts.discontinuous);
  const nIn = rng.int(1, 3);
  const base = Array.from({ length: rng.int(1, 3) }, () => rng.pick(BASE_DIMS));
  for (let i = 0; i < nIn; i++) {
    // Inputs share trailing sizes so that they broadcast together often.
    const shape = base.slice(rng.int(0, base.length - 1)).map((d) => (rng.bool(0.2) ? 1 : d));
    if (rng.bool(0.1)) shape.push(0);
    b.addInput(shape);
  }
  const target = rng.int(2, 9);
  for (let tries = 0; b.steps.length < target && tries < 40; tries++) b.step();
  const total = b.refs.length;
  const outputs = [total - 1];
  if (b.steps.length > 2 && rng.bool(0.4)) outputs.push(rng.int(nIn, total - 2));
  if (rng.bool(0.1)) outputs.push(0);
  return b.build(outputs);
}
