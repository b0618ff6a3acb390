// The dot kernel hook of the wasm backend: `emitDot` writes the code of one MatmulStep
// (C[b, m, n] = Σ_k A[b, m, k] · B[b, k, n], operands through strided views, C row-major)
// into the program's `run` function. This is the correct, simple SIMD version: for each
// row of C, an axpy over k (C[i, :] += A[i, k] · B[k, :]) four columns at a time where B's
// rows are contiguous, scalar otherwise. A packed register-tiled kernel replaces the body
// of `emitDot` (same signature, same semantics: float32 products and sums rounded per op,
// int32 wrapping).
//
// What the hook may use from `gen` (ProgramGen, codegen.ts): `gen.fb` (the `run` function's
// FunctionBuilder: `local`, `op`, `load`/`store`, control flow), `gen.buffer(decl)` (the
// local holding a buffer's byte offset), `gen.scalar(id)` (a scalar's local, for dynamic
// offsets), `gen.countedLoop`/`countedLoopFrom`, and `gen.module` to add helper functions
// (call them by the index `addFunction` returns). Sizes and strides are compile-time
// numbers (`num(dim)`); operands are float32 or int32 (4 bytes), C is row-major [batch, m, n].

import type { MatmulOperand, MatmulStep } from "../../ir/fusion.js";
import { num, type ProgramGen } from "./codegen.js";

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

export function emitDot(gen: ProgramGen, s: MatmulStep): void {
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
