// The wasm backend's matrix multiply: emits, with the project's encoder, one WebAssembly
// function computing C[b] = A[b] · B[b] for every batch b, float32 with f32x4 SIMD (int32:
// a plain scalar path).
//
// Operands are described by element strides, so transposed operands and batch dimensions
// cost nothing extra: A[b, i, p] lives at a + 4·(b·sAb + i·sAi + p·sAp), B[b, p, j] at
// b + 4·(b·sBb + p·sBp + j·sBj); C is contiguous row-major [batch, m, n]. Shapes are static
// (known when the program is compiled), so strides and row offsets become immediates.
//
// Blocking, float32 (the GotoBLAS/BLIS scheme, sized for wasm SIMD's 16 vector registers):
//   for each block of NC columns and each block of KC contraction steps:
//     pack B[kc × nc] into panels of NR columns, kc·NR floats each, contiguous, the last
//       panel zero-padded (a panel stays in L1 while a row block sweeps over it; the packed
//       block, KC·NC floats, stays in L2 while the row blocks stream past it);
//     for each block of MR rows of A (within the caller's row range [m0, m1)):
//       for each panel: the micro-kernel keeps an MR × NR tile of C in MR·NR/4 f32x4
//         accumulators; per contraction step it loads NR/4 vectors of the panel and, per
//         row, one A element broadcast with v128.load32_splat (A is read in place: its
//         row offsets are immediates, so packing A would only add work), then
//         multiply-adds; the first K block stores the tile, later ones add to C.
// Row tails (fewer than MR rows left) use the same kernel generated for 1..MR-1 rows;
// column tails (a last panel narrower than NR) go through a small tile buffer.
//
// `emitMatmulInto` writes all of it inline into a function being built (the backend's
// program function); `emitMatmul` wraps it in a function (a, b, c, scratch, m0, m1) → ()
// of its own. Either computes rows [m0, m1) of every batch of C, so row ranges can be split
// across threads, each with its own scratch of `matmulScratchBytes(...)` bytes.

import { FunctionBuilder, ModuleBuilder } from "./encoder.js";
import { wasmApi, type WasmMemory } from "./api.js";
import { splitRows, type ThreadPool } from "./threads.js";
import type { MatmulOperand, MatmulStep } from "../../ir/fusion.js";
import { num, type ProgramGen } from "./codegen.js";
import { registerParallelMatmul, wantsThreads } from "./parallel.js";

/** Strides in elements: [batch, row, column] of the operand as the product reads it. */
export interface MatmulStrides {
  readonly batch: number;
  readonly row: number;
  readonly col: number;
}

export interface MatmulSpec {
  readonly dtype: "float32" | "int32";
  readonly batch: number;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  /** A as [batch, m, k]. */
  readonly a: MatmulStrides;
  /** B as [batch, k, n]. */
  readonly b: MatmulStrides;
}

/** Register and cache blocking (float32). */
export interface MatmulTuning {
  /** Rows per micro-kernel tile. */
  readonly mr: number;
  /** Columns per tile and packed panel (a multiple of 4). */
  readonly nr: number;
  /** Contraction steps per packed block. */
  readonly kc: number;
  /** Columns per packed block (a multiple of nr). */
  readonly nc: number;
  /** Contraction steps per micro-kernel loop iteration. */
  readonly unroll: number;
}

/**
 * Chosen by measurement on x64 Node 20 (matmul 512, interleaved with jax-js in one process):
 * 4×8 with no unrolling beat 6×8, 5×8, 4×16, 3×16 and 2×16 tiles and unroll 2/4 — wider
 * tiles need more than the 15 vector registers V8 allocates (accumulators + B vectors +
 * the broadcast + a temporary for mul/add without FMA) and spill.
 */
export const DEFAULT_TUNING: MatmulTuning = { mr: 4, nr: 8, kc: 256, nc: 512, unroll: 1 };

/** Row-major strides of a contiguous [batch, rows, cols] operand, or of its transpose. */
export function contiguousStrides(rows: number, cols: number, transposed = false): MatmulStrides {
  return transposed ? { batch: rows * cols, row: 1, col: rows } : { batch: rows * cols, row: cols, col: 1 };
}

function checkSpec(spec: MatmulSpec, t: MatmulTuning): void {
  for (const [k, v] of Object.entries({ batch: spec.batch, m: spec.m, n: spec.n, k: spec.k })) {
    if (!Number.isInteger(v) || v < 0) throw new Error(`internal: wasm matmul: ${k} = ${v} is not a size`);
  }
  for (const s of [spec.a, spec.b]) {
    for (const v of [s.batch, s.row, s.col]) if (!Number.isInteger(v) || v < 0) throw new Error(`internal: wasm matmul: stride ${v}`);
  }
  if (t.nr % 4 !== 0 || t.nr <= 0 || t.mr <= 0 || t.kc <= 0 || t.nc % t.nr !== 0 || t.unroll <= 0) {
    throw new Error(`internal: wasm matmul: bad tuning ${JSON.stringify(t)}`);
  }
}

/** Bytes of scratch one call needs (packed B block + a tile buffer), a multiple of 16. */
export function matmulScratchBytes(spec: MatmulSpec, tuning: MatmulTuning = DEFAULT_TUNING): number {
  if (spec.dtype !== "float32") return 0;
  const kc = Math.min(tuning.kc, Math.max(spec.k, 1));
  const nc = Math.min(tuning.nc, roundUp(Math.max(spec.n, 1), tuning.nr));
  return 4 * (kc * nc + tuning.mr * tuning.nr);
}

const roundUp = (x: number, m: number) => Math.ceil(x / m) * m;

/**
 * Where the operands are, for code written into an existing function: each callback pushes
 * one i32 (a byte address, or a row index). `m0`/`m1` default to all rows.
 */
export interface MatmulPointers {
  a(): void;
  b(): void;
  c(): void;
  /** `matmulScratchBytes(spec, tuning)` bytes, 16-byte aligned (float32 only). */
  scratch(): void;
  m0?(): void;
  m1?(): void;
  /**
   * The module `fb` belongs to. When given, the packing and the row-block sweeps (the hot
   * loops) become functions of their own that the loops call, instead of inline code: a
   * wasm function runs its first call in V8's baseline tier (Liftoff) and can only switch
   * to optimized (TurboFan) code between calls, so a matmul written inline in a program's
   * one `run` function would run its whole first call unoptimized; called once per row
   * block, the kernel is swapped for its optimized code after its first few calls.
   */
  module?: ModuleBuilder;
}

/**
 * Writes the matmul into `fb` (loops with locals of its own; the packing and the
 * micro-kernel sweeps inline, or as functions of `ptr.module`), as one step of a larger
 * function. The code leaves the stack as it found it.
 */
export function emitMatmulInto(fb: FunctionBuilder, spec: MatmulSpec, ptr: MatmulPointers, tuning: MatmulTuning = DEFAULT_TUNING): void {
  checkSpec(spec, tuning);
  if (spec.batch === 0 || spec.m === 0 || spec.n === 0) return;
  const m0 = fb.local("i32"), m1 = fb.local("i32"), a = fb.local("i32"), b = fb.local("i32"), c = fb.local("i32");
  if (ptr.m0) ptr.m0();
  else fb.i32(0);
  fb.set(m0);
  if (ptr.m1) ptr.m1();
  else fb.i32(spec.m);
  fb.set(m1);
  ptr.a();
  fb.set(a);
  ptr.b();
  fb.set(b);
  ptr.c();
  fb.set(c);
  const L = { a, b, c, m0, m1, scratch: -1 };
  if (spec.dtype === "int32") return emitScalarInt32(fb, spec, L);
  if (spec.k === 0) return emitZeroFill(fb, spec, L);
  L.scratch = fb.local("i32");
  ptr.scratch();
  fb.set(L.scratch);
  // With the whole row range known now, the only row tail is m mod MR: emit just that one.
  emitF32(fb, spec, tuning, L, !ptr.m0 && !ptr.m1, ptr.module);
}

/**
 * Adds the matmul as a function of its own to `mod`, signature (a, b, c, scratch, m0, m1)
 * → (), exported as `exportName` if given; returns its function index.
 */
export function emitMatmul(mod: ModuleBuilder, spec: MatmulSpec, tuning: MatmulTuning = DEFAULT_TUNING, exportName?: string): number {
  const f = new FunctionBuilder(ENTRY_PARAMS, []);
  // Added first (its body is encoded later), so the entry's index comes before its kernels'.
  const index = mod.addFunction(f, exportName);
  emitMatmulInto(f, spec, { a: () => f.get(0), b: () => f.get(1), c: () => f.get(2), scratch: () => f.get(3), m0: () => f.get(4), m1: () => f.get(5), module: mod }, tuning);
  return index;
}

/** Locals holding the operands' addresses, the row range and the scratch. */
interface Locals {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly m0: number;
  readonly m1: number;
  scratch: number;
}

const ENTRY_PARAMS = ["i32", "i32", "i32", "i32", "i32", "i32"] as const;

/** Adds `f.get(x) + c` for a constant byte offset c (skips a zero). */
function addConst(f: FunctionBuilder, c: number): FunctionBuilder {
  if (c !== 0) f.i32(c).op("i32.add");
  return f;
}

/** for (local = from; local < to; local += step) body — `from`/`to` pushed by callbacks. */
function forLoop(f: FunctionBuilder, local: number, from: () => void, to: () => void, step: number | (() => void), body: () => void): void {
  from();
  f.set(local);
  const exit = f.block();
  const top = f.loop();
  f.get(local);
  to();
  f.op("i32.ge_s").brIf(exit);
  body();
  f.get(local);
  if (typeof step === "number") f.i32(step);
  else step();
  f.op("i32.add").set(local).br(top);
  f.end().end();
}

// --- empty products ----------------------------------------------------------------------

function emitZeroFill(f: FunctionBuilder, spec: MatmulSpec, L: Locals): void {
  const { batch, m, n } = spec;
  const bi = f.local("i32");
  // C[b, m0:m1, :] = 0 for every batch.
  forLoop(f, bi, () => f.i32(0), () => f.i32(batch), 1, () => {
    f.get(L.c).get(bi).i32(m * n * 4).op("i32.mul").op("i32.add").get(L.m0).i32(n * 4).op("i32.mul").op("i32.add");
    f.i32(0);
    f.get(L.m1).get(L.m0).op("i32.sub").i32(n * 4).op("i32.mul");
    f.memoryFill();
  });
}

// --- int32: a scalar loop (exact; wraps on overflow like the other backends) -----------------

function emitScalarInt32(f: FunctionBuilder, spec: MatmulSpec, L: Locals): void {
  const { batch, m, n, k, a, b } = spec;
  const bi = f.local("i32"), i = f.local("i32"), j = f.local("i32"), p = f.local("i32");
  const aRow = f.local("i32"), bCol = f.local("i32"), cOut = f.local("i32"), acc = f.local("i32");
  forLoop(f, bi, () => f.i32(0), () => f.i32(batch), 1, () => {
    forLoop(f, i, () => f.get(L.m0), () => f.get(L.m1), 1, () => {
      // cOut = c + 4·((bi·m + i)·n)
      f.get(L.c).get(bi).i32(m).op("i32.mul").get(i).op("i32.add").i32(n * 4).op("i32.mul").op("i32.add").set(cOut);
      forLoop(f, j, () => f.i32(0), () => f.i32(n), 1, () => {
        f.i32(0).set(acc);
        // aRow = a + 4·(bi·sAb + i·sAi), bCol = b + 4·(bi·sBb + j·sBj)
        f.get(L.a).get(bi).i32(a.batch * 4).op("i32.mul").op("i32.add").get(i).i32(a.row * 4).op("i32.mul").op("i32.add").set(aRow);
        f.get(L.b).get(bi).i32(b.batch * 4).op("i32.mul").op("i32.add").get(j).i32(b.col * 4).op("i32.mul").op("i32.add").set(bCol);
        forLoop(f, p, () => f.i32(0), () => f.i32(k), 1, () => {
          f.get(acc).get(aRow).load("i32.load").get(bCol).load("i32.load").op("i32.mul").op("i32.add").set(acc);
          f.get(aRow).i32(a.col * 4).op("i32.add").set(aRow);
          f.get(bCol).i32(b.row * 4).op("i32.add").set(bCol);
        });
        f.get(cOut).get(j).i32(4).op("i32.mul").op("i32.add").get(acc).store("i32.store");
      });
    });
  });
}

// --- float32 ---------------------------------------------------------------------------------

/** The locals the packing and micro-kernel code share within one K × N block. */
interface BlockLocals {
  /** Address of A[i, pc] for the row block. */
  readonly aRow: number;
  /** Address of C[i, jc]. */
  readonly cRow: number;
  readonly kc: number;
  readonly nc: number;
  /** Non-zero after the first K block: add to C instead of storing. */
  readonly accumulate: number;
  /** The packed block (= the scratch). */
  readonly packed: number;
}

/** Parameters of an out-of-line row-block sweep: the BlockLocals, in this order. */
const ROW_BLOCK_PARAMS = ["i32", "i32", "i32", "i32", "i32", "i32"] as const;
const paramLocals: BlockLocals = { aRow: 0, cRow: 1, kc: 2, nc: 3, accumulate: 4, packed: 5 };
/** Parameters of an out-of-line packing: the block's B[0, 0] address, then kc, nc, packed. */
const PACK_PARAMS = ["i32", "i32", "i32", "i32"] as const;

function emitF32(f: FunctionBuilder, spec: MatmulSpec, t: MatmulTuning, L: Locals, allRows: boolean, mod?: ModuleBuilder): void {
  const { batch, m, n, k, a, b } = spec;
  const NR = t.nr;
  const KC = Math.min(t.kc, k);
  const NC = Math.min(t.nc, roundUp(n, NR));
  const tileBuf = 4 * KC * NC; // offset of the MR × NR tile buffer inside the scratch
  const MR = Math.min(t.mr, m);

  const bi = f.local("i32"), jc = f.local("i32"), pc = f.local("i32"), i = f.local("i32"), rows = f.local("i32");
  const aB = f.local("i32"), bB = f.local("i32"), cB = f.local("i32");
  const BL: BlockLocals = { aRow: f.local("i32"), cRow: f.local("i32"), kc: f.local("i32"), nc: f.local("i32"), accumulate: f.local("i32"), packed: L.scratch };
  // Out of line (with a module): one function per row count, called once per row block and
  // K × N block, and one packing function; each is added on first use.
  const rowFns = new Map<number, number>();
  let packIndex: number | undefined;
  const packFn = (): number => {
    if (packIndex !== undefined) return packIndex;
    const g = new FunctionBuilder(PACK_PARAMS, []);
    emitPack(g, spec, NR, () => g.get(0), { ...paramLocals, kc: 1, nc: 2, packed: 3 });
    return (packIndex = mod!.addFunction(g));
  };
  const rowBlock = (rows: number): void => {
    if (!mod) return emitRowBlock(f, spec, t, rows, tileBuf, BL);
    let index = rowFns.get(rows);
    if (index === undefined) {
      const g = new FunctionBuilder(ROW_BLOCK_PARAMS, []);
      emitRowBlock(g, spec, t, rows, tileBuf, paramLocals);
      rowFns.set(rows, (index = mod.addFunction(g)));
    }
    f.get(BL.aRow).get(BL.cRow).get(BL.kc).get(BL.nc).get(BL.accumulate).get(BL.packed).call(index);
  };

  forLoop(f, bi, () => f.i32(0), () => f.i32(batch), 1, () => {
    f.get(L.a).get(bi).i32(a.batch * 4).op("i32.mul").op("i32.add").set(aB);
    f.get(L.b).get(bi).i32(b.batch * 4).op("i32.mul").op("i32.add").set(bB);
    f.get(L.c).get(bi).i32(m * n * 4).op("i32.mul").op("i32.add").set(cB);
    forLoop(f, jc, () => f.i32(0), () => f.i32(n), NC, () => {
      // nc = min(NC, n - jc)
      f.i32(NC).i32(n).get(jc).op("i32.sub").tee(BL.nc).i32(NC).get(BL.nc).op("i32.lt_s").op("select").set(BL.nc);
      forLoop(f, pc, () => f.i32(0), () => f.i32(k), KC, () => {
        f.i32(KC).i32(k).get(pc).op("i32.sub").tee(BL.kc).i32(KC).get(BL.kc).op("i32.lt_s").op("select").set(BL.kc);
        f.get(pc).i32(0).op("i32.gt_s").set(BL.accumulate);
        // Pack B[pc : pc + kc, jc : jc + nc] from bB + 4·(pc·sBp + jc·sBj).
        const src = () => {
          f.get(bB).get(pc).i32(b.row * 4).op("i32.mul").op("i32.add").get(jc).i32(b.col * 4).op("i32.mul").op("i32.add");
        };
        if (mod) {
          src();
          f.get(BL.kc).get(BL.nc).get(BL.packed).call(packFn());
        } else emitPack(f, spec, NR, src, BL);
        forLoop(f, i, () => f.get(L.m0), () => f.get(L.m1), MR, () => {
          // rows = min(MR, m1 - i); aRow = aB + 4·(i·sAi + pc·sAp); cRow = cB + 4·(i·n + jc)
          f.i32(MR).get(L.m1).get(i).op("i32.sub").tee(rows).i32(MR).get(rows).op("i32.lt_s").op("select").set(rows);
          f.get(aB).get(i).i32(a.row * 4).op("i32.mul").op("i32.add").get(pc).i32(a.col * 4).op("i32.mul").op("i32.add").set(BL.aRow);
          f.get(cB).get(i).i32(n * 4).op("i32.mul").op("i32.add").get(jc).i32(4).op("i32.mul").op("i32.add").set(BL.cRow);
          // The full tile first (the common case), then the row tails.
          f.get(rows).i32(MR).op("i32.eq");
          f.if();
          rowBlock(MR);
          f.else();
          for (let r = 1; r < MR; r++) {
            if (allRows && r !== m % MR) continue;
            f.get(rows).i32(r).op("i32.eq");
            f.if();
            rowBlock(r);
            f.end();
          }
          f.end();
        });
      });
    });
  });
}

/**
 * Packs B[p, j] for p < kc, j < nc (`src` pushes the address of the block's B[0, 0]) into
 * panels of NR columns: panel q at packed + 4·q·NR·kc, its row p at + 4·p·NR; columns past
 * nc in the last panel are zero.
 */
function emitPack(f: FunctionBuilder, spec: MatmulSpec, NR: number, src: () => void, BL: BlockLocals): void {
  const { b } = spec;
  const jr = f.local("i32"), p = f.local("i32"), s = f.local("i32"), d = f.local("i32"), cols = f.local("i32"), j = f.local("i32"), s0 = f.local("i32");
  src();
  f.set(s0);
  forLoop(f, jr, () => f.i32(0), () => f.get(BL.nc), NR, () => {
    // s = src + 4·jr·sBj (column jr, row 0), d = packed + 4·jr·kc
    f.get(s0).get(jr).i32(b.col * 4).op("i32.mul").op("i32.add").set(s);
    f.get(BL.packed).get(jr).get(BL.kc).op("i32.mul").i32(4).op("i32.mul").op("i32.add").set(d);
    f.get(BL.nc).get(jr).op("i32.sub").tee(cols).i32(NR).op("i32.ge_s");
    f.if();
    // A full panel.
    forLoop(f, p, () => f.i32(0), () => f.get(BL.kc), 1, () => {
      if (b.col === 1) {
        for (let v = 0; v < NR / 4; v++) f.get(d).get(s).load("v128.load", 16 * v, 0).store("v128.store", 16 * v, 0);
      } else {
        for (let jj = 0; jj < NR; jj++) f.get(d).get(s).load("f32.load", 4 * jj * b.col).store("f32.store", 4 * jj);
      }
      f.get(s).i32(b.row * 4).op("i32.add").set(s);
      f.get(d).i32(NR * 4).op("i32.add").set(d);
    });
    f.else();
    // The last, partial panel: zeros, then the `cols` valid columns.
    f.get(d).i32(0).get(BL.kc).i32(NR * 4).op("i32.mul").memoryFill();
    forLoop(f, p, () => f.i32(0), () => f.get(BL.kc), 1, () => {
      forLoop(f, j, () => f.i32(0), () => f.get(cols), 1, () => {
        f.get(d).get(j).i32(4).op("i32.mul").op("i32.add");
        f.get(s).get(j).i32(b.col * 4).op("i32.mul").op("i32.add").load("f32.load");
        f.store("f32.store");
      });
      f.get(s).i32(b.row * 4).op("i32.add").set(s);
      f.get(d).i32(NR * 4).op("i32.add").set(d);
    });
    f.end();
  });
}

/** One block of `rows` rows: the micro-kernel swept over the panels of the packed block. */
function emitRowBlock(f: FunctionBuilder, spec: MatmulSpec, t: MatmulTuning, rows: number, tileBuf: number, BL: BlockLocals): void {
  const { n, a } = spec;
  const NR = t.nr, NV = NR / 4, U = t.unroll;
  const jr = f.local("i32"), ap = f.local("i32"), bp = f.local("i32"), bEnd = f.local("i32"), bEndU = f.local("i32");
  const c = f.local("i32"), cols = f.local("i32"), r = f.local("i32"), j = f.local("i32");
  const acc: number[][] = [];
  for (let rr = 0; rr < rows; rr++) acc.push(Array.from({ length: NV }, () => f.local("v128")));
  const bv = Array.from({ length: NV }, () => f.local("v128"));
  const sv = f.local("v128");
  const aRowBytes = a.row * 4, aStep = a.col * 4;

  /** One contraction step at offset u (steps) from ap/bp. */
  const step = (u: number) => {
    for (let v = 0; v < NV; v++) f.get(bp).load("v128.load", 4 * (u * NR + 4 * v), 0).set(bv[v]!);
    for (let rr = 0; rr < rows; rr++) {
      f.get(ap).load("v128.load32_splat", rr * aRowBytes + u * aStep).set(sv);
      for (let v = 0; v < NV; v++) {
        f.get(acc[rr]![v]!).get(sv).get(bv[v]!).op("f32x4.mul").op("f32x4.add").set(acc[rr]![v]!);
      }
    }
  };

  forLoop(f, jr, () => f.i32(0), () => f.get(BL.nc), NR, () => {
    for (const row of acc) for (const x of row) f.f32x4(0).set(x);
    f.get(BL.aRow).set(ap);
    // bp = packed + 4·jr·kc; bEnd = bp + 4·NR·kc; bEndU = bp + 4·NR·(kc − kc mod U)
    f.get(BL.packed).get(jr).get(BL.kc).op("i32.mul").i32(4).op("i32.mul").op("i32.add").tee(bp);
    f.get(BL.kc).i32(NR * 4).op("i32.mul").op("i32.add").set(bEnd);
    if (U > 1) {
      f.get(bp).get(BL.kc).get(BL.kc).i32(U).op("i32.rem_u").op("i32.sub").i32(NR * 4).op("i32.mul").op("i32.add").set(bEndU);
      const exit = f.block();
      const top = f.loop();
      f.get(bp).get(bEndU).op("i32.ge_u").brIf(exit);
      for (let u = 0; u < U; u++) step(u);
      addConst(f.get(ap), U * aStep).set(ap);
      addConst(f.get(bp), U * NR * 4).set(bp);
      f.br(top).end().end();
    }
    {
      const exit = f.block();
      const top = f.loop();
      f.get(bp).get(bEnd).op("i32.ge_u").brIf(exit);
      step(0);
      addConst(f.get(ap), aStep).set(ap);
      addConst(f.get(bp), NR * 4).set(bp);
      f.br(top).end().end();
    }
    // c = cRow + 4·jr; cols = nc − jr
    f.get(BL.cRow).get(jr).i32(4).op("i32.mul").op("i32.add").set(c);
    f.get(BL.nc).get(jr).op("i32.sub").tee(cols).i32(NR).op("i32.ge_s");
    f.if();
    // A full tile: C = acc, or C += acc after the first K block.
    f.get(BL.accumulate);
    f.if();
    for (let rr = 0; rr < rows; rr++) {
      for (let v = 0; v < NV; v++) {
        const off = rr * n * 4 + 16 * v;
        f.get(c).get(c).load("v128.load", off, 0).get(acc[rr]![v]!).op("f32x4.add").store("v128.store", off, 0);
      }
    }
    f.else();
    for (let rr = 0; rr < rows; rr++) {
      for (let v = 0; v < NV; v++) f.get(c).get(acc[rr]![v]!).store("v128.store", rr * n * 4 + 16 * v, 0);
    }
    f.end();
    f.else();
    // A partial tile (the last panel): through the tile buffer, `cols` columns per row.
    for (let rr = 0; rr < rows; rr++) {
      for (let v = 0; v < NV; v++) f.get(BL.packed).get(acc[rr]![v]!).store("v128.store", tileBuf + 4 * (rr * NR + 4 * v), 0);
    }
    forLoop(f, r, () => f.i32(0), () => f.i32(rows), 1, () => {
      forLoop(f, j, () => f.i32(0), () => f.get(cols), 1, () => {
        // dst = c + 4·(r·n + j); src = scratch + tileBuf + 4·(r·NR + j)
        f.get(c).get(r).i32(n).op("i32.mul").get(j).op("i32.add").i32(4).op("i32.mul").op("i32.add");
        f.get(BL.packed).get(r).i32(NR).op("i32.mul").get(j).op("i32.add").i32(4).op("i32.mul").op("i32.add").load("f32.load", tileBuf);
        f.get(BL.accumulate);
        f.if("f32");
        f.get(c).get(r).i32(n).op("i32.mul").get(j).op("i32.add").i32(4).op("i32.mul").op("i32.add").load("f32.load");
        f.else();
        f.f32(0);
        f.end();
        f.op("f32.add");
        f.store("f32.store");
      });
    });
    f.end();
  });
}

// --- the backend's hook ------------------------------------------------------------------------

/**
 * Writes one MatmulStep (C[b, m, n] = Σ_k A[b, m, k] · B[b, k, n], operands through
 * strided views, C row-major) into the program's `run` function: the packed, register-tiled
 * kernel above for float32 products of at least one tile's rows with non-negative strides,
 * the simple axpy loop otherwise. Its scratch (the packed panels) comes from
 * `gen.scratch`, which the backend allocates once per executable.
 */
export function emitDot(gen: ProgramGen, s: MatmulStep): void {
  const batch = num(s.batch), m = num(s.m), n = num(s.n), k = num(s.k);
  if (batch === 0 || m === 0 || n === 0) return;
  const strides = (o: MatmulOperand): MatmulStrides => {
    const [b, r, c] = o.strides.map(num) as [number, number, number];
    return { batch: b, row: r, col: c };
  };
  const a = strides(s.a), b = strides(s.b);
  const nonNegative = [a.batch, a.row, a.col, b.batch, b.row, b.col].every((x) => x >= 0);
  if (s.out.dtype !== "float32" || !nonNegative || m < DEFAULT_TUNING.mr) return emitDotSimple(gen, s);
  const spec: MatmulSpec = { dtype: "float32", batch, m, n, k, a, b };
  const fb = gen.fb;
  const base = (o: MatmulOperand) => () => gen.pushStart(o);
  if (wantsThreads(spec, gen.memory.shared)) {
    // Split across worker threads by the host (parallel.ts).
    fb.i32(registerParallelMatmul(spec));
    base(s.a)();
    base(s.b)();
    fb.get(gen.buffer(s.out));
    gen.call("parallel_matmul");
    return;
  }
  emitMatmulInto(fb, spec, {
    a: base(s.a),
    b: base(s.b),
    c: () => fb.get(gen.buffer(s.out)),
    scratch: () => gen.scratch(matmulScratchBytes(spec)),
    module: gen.module,
  });
}

/** Pushes the byte address of operand element (b, r, c) with `r`/`c` local indices (or null for 0). */
function pushOperand(gen: ProgramGen, op: MatmulOperand, b: number, r: number | null, c: number | null): void {
  const fb = gen.fb;
  const [sb, sr, sc] = op.strides.map(num) as [number, number, number];
  fb.get(gen.buffer(op.buffer));
  const term = (local: number | null, stride: number) => {
    if (local === null || stride === 0) return;
    fb.get(local);
    if (stride * 4 !== 1) fb.i32(stride * 4).op("i32.mul");
    fb.op("i32.add");
  };
  term(b, sb);
  term(r, sr);
  term(c, sc);
  for (const d of op.dynamic) {
    fb.get(gen.scalar(d.scalar)).i32(num(d.stride) * 4).op("i32.mul").op("i32.add");
  }
  const off = num(op.offset) * 4;
  if (off) fb.i32(off).op("i32.add");
}

/**
 * The simple SIMD version: for each row of C, an axpy over k (C[i, :] += A[i, k] · B[k, :])
 * four columns at a time where B's rows are contiguous, scalar otherwise. Serves int32/
 * uint32, negative strides (flipped views), and products with fewer rows than a tile.
 */
function emitDotSimple(gen: ProgramGen, s: MatmulStep): void {
  const fb = gen.fb;
  const batch = num(s.batch), m = num(s.m), n = num(s.n), k = num(s.k);
  if (batch === 0 || m === 0 || n === 0) return;
  const int = s.out.dtype !== "float32";
  const bi = fb.local("i32"), i = fb.local("i32"), kk = fb.local("i32"), j = fb.local("i32");
  const cRow = fb.local("i32"), bRow = fb.local("i32"), a = fb.local(int ? "i32" : "f32"), av = fb.local("v128");
  const contiguousB = num(s.b.strides[2]) === 1;
  const vecEnd = contiguousB ? n - (n % 4) : 0;
  const [mul, add, splat] = int ? (["i32x4.mul", "i32x4.add", "i32x4.splat"] as const) : (["f32x4.mul", "f32x4.add", "f32x4.splat"] as const);
  gen.countedLoop(bi, batch, () => {
    gen.countedLoop(i, m, () => {
      // cRow = C + 4·(b·m·n + i·n); the row starts at zero.
      fb.get(gen.buffer(s.out)).get(bi).i32(m * n * 4).op("i32.mul").op("i32.add").get(i).i32(n * 4).op("i32.mul").op("i32.add").set(cRow);
      fb.get(cRow).i32(0).i32(n * 4).memoryFill();
      if (k === 0) return;
      gen.countedLoop(kk, k, () => {
        pushOperand(gen, s.a, bi, i, kk);
        fb.load(int ? "i32.load" : "f32.load").set(a);
        pushOperand(gen, s.b, bi, kk, null);
        fb.set(bRow);
        if (vecEnd > 0) {
          fb.get(a).op(splat).set(av);
          gen.countedLoop(j, vecEnd, () => {
            fb.get(cRow).get(j).i32(4).op("i32.mul").op("i32.add");
            fb.get(cRow).get(j).i32(4).op("i32.mul").op("i32.add").load("v128.load", 0, 2);
            fb.get(bRow).get(j).i32(4).op("i32.mul").op("i32.add").load("v128.load", 0, 2);
            fb.get(av).op(mul).op(add).store("v128.store", 0, 2);
          }, 4);
        }
        if (vecEnd < n) {
          const bStep = num(s.b.strides[2]) * 4;
          gen.countedLoopFrom(j, vecEnd, n, () => {
            fb.get(cRow).get(j).i32(4).op("i32.mul").op("i32.add");
            fb.get(cRow).get(j).i32(4).op("i32.mul").op("i32.add").load(int ? "i32.load" : "f32.load");
            fb.get(bRow).get(j).i32(bStep).op("i32.mul").op("i32.add").load(int ? "i32.load" : "f32.load");
            fb.get(a).op(int ? "i32.mul" : "f32.mul").op(int ? "i32.add" : "f32.add").store(int ? "i32.store" : "f32.store");
          });
        }
      });
    });
  });
}

// --- a standalone runner (tests, the benchmark's kernel rows, variant measurements) ---------

const PAGE = 65536;

/**
 * Compiles the matmul for `spec` into a module of its own over a fresh memory and runs it
 * on host arrays: inputs are copied in, the product is copied out. `a`/`b` are laid out as
 * `spec`'s strides describe (offset 0 = element [0, 0, 0]).
 */
export class MatmulRunner {
  readonly memory: WasmMemory;
  private readonly fn: (a: number, b: number, c: number, scratch: number, m0: number, m1: number) => void;
  private readonly aPtr: number;
  private readonly bPtr: number;
  private readonly cPtr: number;
  private readonly scratch: number;
  private readonly scratchBytes: number;
  readonly bytes: Uint8Array;
  private pool: { pool: ThreadPool; id: number } | undefined;

  /** `threads` > 1 reserves a scratch per thread in a shared memory (see `useThreads`). */
  constructor(readonly spec: MatmulSpec, readonly aLength: number, readonly bLength: number, private readonly tuning: MatmulTuning = DEFAULT_TUNING, threads = 1) {
    const api = wasmApi;
    if (!api) throw new Error("MatmulRunner: this host has no WebAssembly");
    const cLength = spec.batch * spec.m * spec.n;
    const align = (x: number) => roundUp(x, 64);
    this.aPtr = 64;
    this.bPtr = align(this.aPtr + 4 * aLength);
    this.cPtr = align(this.bPtr + 4 * bLength);
    this.scratch = align(this.cPtr + 4 * cLength);
    this.scratchBytes = align(matmulScratchBytes(spec, tuning));
    const total = this.scratch + this.scratchBytes * threads;
    const pages = Math.max(1, Math.ceil(total / PAGE));
    const shared = threads > 1;
    this.memory = new api.Memory({ initial: pages, maximum: pages, shared });
    const mod = new ModuleBuilder();
    mod.importMemory("env", "memory", { initial: pages, maximum: pages, shared });
    emitMatmul(mod, spec, tuning, "matmul");
    this.bytes = mod.encode();
    const inst = new api.Instance(new api.Module(this.bytes), { env: { memory: this.memory } });
    this.fn = inst.exports.matmul as MatmulRunner["fn"];
  }

  /** Runs later calls on `pool` (made over this runner's memory), rows split between its threads. */
  useThreads(pool: ThreadPool): void {
    if (pool.memory !== this.memory) throw new Error("MatmulRunner.useThreads: the pool must share this runner's memory");
    this.pool = { pool, id: pool.register(new wasmApi!.Module(this.bytes), "matmul") };
  }

  /** C = A·B for every batch (rows [m0, m1) only when given). */
  run(a: ArrayLike<number>, b: ArrayLike<number>, m0 = 0, m1 = this.spec.m): Float32Array | Int32Array {
    const Arr = this.spec.dtype === "int32" ? Int32Array : Float32Array;
    const buf = this.memory.buffer as ArrayBuffer;
    new Arr(buf, this.aPtr, this.aLength).set(a);
    new Arr(buf, this.bPtr, this.bLength).set(b);
    const cLength = this.spec.batch * this.spec.m * this.spec.n;
    if (this.pool) {
      const { pool, id } = this.pool;
      const parts = splitRows(m1 - m0, pool.threads, this.tuning.mr);
      pool.run(id, parts.map(([s, e], t) => [this.aPtr, this.bPtr, this.cPtr, this.scratch + t * this.scratchBytes, m0 + s, m0 + e]));
    } else this.fn(this.aPtr, this.bPtr, this.cPtr, this.scratch, m0, m1);
    return new Arr(buf, this.cPtr, cLength).slice();
  }
}
