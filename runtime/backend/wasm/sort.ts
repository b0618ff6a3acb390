// Sorting on the wasm backend: each sort step calls the CPU backend's radix sort
// (backend/cpu/sort.ts) through a host import made for that step, over typed-array views of
// the wasm memory at the byte addresses `run` computes (operand rows at their static and
// loop-dependent offsets, then the results). The results are bit-identical to the cpu
// backend's; the sort itself runs as JavaScript, like the other imported host functions.

import type { BufferDecl, SortStep, Step } from "../../ir/fusion.js";
import type { DType, TypedArray } from "../../dtype.js";
import { concreteDim } from "../../symbolic.js";
import { sortRows } from "../cpu/sort.js";
import type { ValType } from "./encoder.js";

/** Every sort step of a program, in a fixed order (branches and loop bodies included). */
export function collectSorts(steps: readonly Step[], out: SortStep[] = []): SortStep[] {
  for (const s of steps) {
    switch (s.kind) {
      case "sort": out.push(s); break;
      case "cond": for (const b of s.branches) collectSorts(b, out); break;
      case "while": collectSorts(s.cond, out); collectSorts(s.body, out); break;
      case "scan": collectSorts(s.body, out); break;
      default: break;
    }
  }
  return out;
}

/** The buffers a sort step writes, in the order their addresses follow the operands'. */
export function sortResults(s: SortStep): BufferDecl[] {
  return [...s.outputs.filter((b): b is BufferDecl => b !== null), ...(s.indices ? [s.indices] : [])];
}

/** The import's parameters: one byte address per operand row block, then per result. */
export function sortImportParams(s: SortStep): ValType[] {
  return new Array<ValType>(s.operands.length + sortResults(s).length).fill("i32");
}

const VIEW: Record<DType, new (b: ArrayBufferLike, offset: number, length: number) => TypedArray> = {
  float32: Float32Array, float16: Float32Array, int32: Int32Array, uint32: Uint32Array, bool: Uint8Array,
};

/** The host functions `sort0`, `sort1`, ... of a module, reading and writing `buffer()`. */
export function sortImports(sorts: readonly SortStep[], buffer: () => ArrayBufferLike): Record<string, (...addresses: number[]) => void> {
  return Object.fromEntries(sorts.map((s, i) => {
    const [rows, n, keep] = [s.rows, s.n, s.keep].map((d) => concreteDim(d, "a sort size"));
    const view = (dtype: DType, address: number, length: number) => new VIEW[dtype](buffer(), address, length);
    const starts = s.operands.map(() => 0); // every operand view begins at its rows
    const run = (...addresses: number[]): void => {
      const operands = s.operands.map((o, m) => view(o.buffer.dtype, addresses[m]!, rows * n));
      let at = s.operands.length;
      const outputs = s.outputs.map((b) => (b ? view(b.dtype, addresses[at++]!, rows * keep) : null));
      const indices = s.indices ? (view("int32", addresses[at]!, rows * keep) as Int32Array) : null;
      sortRows(operands, starts, s.numKeys, rows!, n!, keep!, s.descending, outputs, indices);
    };
    return [`sort${i}`, run];
  }));
}
