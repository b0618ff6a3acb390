// WebGPU cumulative folds (cumsum/cumprod/cummax/cummin): a Hillis–Steele scan, ⌈log2 n⌉
// kernels in all whatever the row length or count. Pass k (shift s = 2^k) gives every
// element, at position t along the axis in fold order, `v[t] ⊕ v[t - s]` when t ≥ s (else
// v[t]) — after pass k each element folds the 2^(k+1) inputs ending at it, so after the
// last the inclusive scan. One invocation per element, every row at once; passes ping-pong
// between two temporaries, the first reading the operand, the last writing the output (a
// row of one element: one copy). The fold is associative for every op, so the result is
// the sequential one up to float32 rounding order (sums and products add in a tree order,
// not left to right). max/min propagate NaN (tested on the bits: WGSL's max/min and
// x != x are not reliable for NaN); integer sums and products wrap.

import type { DType } from "../../dtype.js";
import type { BufferDecl, CumulativeStep } from "../../ir/fusion.js";
import { wgslType, type HelperSet } from "./ops.js";
import { Builder, EW_WORKGROUP, guardLines, kernelSource, num, type Guard, type KernelSource } from "./wgsl.js";

/** WGSL for `a ⊕ b` in the compute type of `dtype`. */
function combine(op: CumulativeStep["op"], dtype: DType, a: string, b: string, h: HelperSet): string {
  switch (op) {
    case "sum": return `(${a} + ${b})`;
    case "prod": return `(${a} * ${b})`;
    default: {
      const pick = op === "max" ? `select(${a}, ${b}, ${b} > ${a})` : `select(${a}, ${b}, ${b} < ${a})`;
      if (wgslType(dtype) !== "f32") return pick;
      const isnan = h.need("isnan_");
      return `select(${pick}, ${a} + ${b}, ${isnan}(${a}) || ${isnan}(${b}))`;
    }
  }
}

function pass(s: CumulativeStep, guards: readonly Guard[], from: BufferDecl, fromInput: boolean, to: BufferDecl, shift: number): KernelSource {
  const b = new Builder();
  const fromBase = fromInput ? b.base(s.input) : null;
  const [outer, n, inner] = [s.outer, s.n, s.inner].map((d) => num(d, "a cumulative size")) as [number, number, number];
  const total = outer * n * inner;
  const dtype = to.dtype;
  const at = (i: string) => (fromBase === null ? i : `${fromBase} + ${i}`);
  const read = (i: string) => b.load(from, at(i));
  const store = (v: string) => (dtype === "float16" ? `f16(${v})` : v);
  const body = [
    `let g = gid.x + gid.y * nwg.x * ${EW_WORKGROUP}u;`,
    `if (g >= ${total}u) { return; }`,
    ...guardLines(b, guards),
    "let e = i32(g);",
    `let t = (e / ${inner}) % ${n};`,
    `var v = ${read("e")};`,
  ];
  if (shift > 0) {
    // In fold order the element `shift` before this one; reverse folds from the end.
    const [cond, partner] = s.reverse ? [`t + ${shift} < ${n}`, `e + ${shift * inner}`] : [`t >= ${shift}`, `e - ${shift * inner}`];
    body.push(`if (${cond}) { let w = ${read(partner)}; v = ${s.reverse ? combine(s.op, dtype, "v", "w", b.helpers) : combine(s.op, dtype, "w", "v", b.helpers)}; }`);
  }
  body.push(`${b.buf(to)}[g] = ${store("v")};`);
  return kernelSource(b, [to], body, [b.helpers.text()], EW_WORKGROUP, Math.ceil(total / EW_WORKGROUP),
    `cumulative ${s.op}: shift ${shift} over [${outer}, ${n}, ${inner}]`);
}

/** The kernels of a cumulative step, in order; `newTemp` declares the ping-pong buffers. */
export function cumulativeKernels(s: CumulativeStep, guards: readonly Guard[], newTemp: (dtype: DType, size: number) => BufferDecl): KernelSource[] {
  const [outer, n, inner] = [s.outer, s.n, s.inner].map((d) => num(d, "a cumulative size")) as [number, number, number];
  const total = outer * n * inner;
  if (total === 0) return [];
  const shifts: number[] = [];
  for (let sh = 1; sh < n; sh *= 2) shifts.push(sh);
  if (shifts.length === 0) return [pass(s, guards, s.input.buffer, true, s.output, 0)];
  const temps = shifts.length > 1 ? [newTemp(s.output.dtype, total), ...(shifts.length > 2 ? [newTemp(s.output.dtype, total)] : [])] : [];
  const kernels: KernelSource[] = [];
  let from = s.input.buffer;
  shifts.forEach((sh, k) => {
    const to = k === shifts.length - 1 ? s.output : temps[k % 2]!;
    kernels.push(pass(s, guards, from, k === 0, to, sh));
    from = to;
  });
  return kernels;
}
