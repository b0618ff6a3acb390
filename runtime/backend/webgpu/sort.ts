// WebGPU sorting: a bitonic sort of each row's index permutation.
//
// A row of n elements is padded to P = 2^⌈log2 n⌉ positions; position i holds an element
// index (initially i), and indices ≥ n are padding that sorts after everything. Two
// positions compare by the order keys of the elements they hold (the element mapped to a
// uint32 in NumPy's order, as the CPU kernel does: -0 → 0, NaN canonical and last, sign
// flips; descending complements it), lexicographically over the key operands, then by the
// element index — a total order, so the unstable bitonic network gives the stable result.
//
// The plan, per the usual bitonic schedule over k = 2, 4, ..., P and j = k/2, ..., 1:
// - one "local" kernel sorts every block of L = min(P, 512) positions in workgroup memory
//   (all stages with k ≤ L), one workgroup per block;
// - for each k > L: one "global" kernel per stage j ≥ L (one invocation per compare-exchange
//   pair, in device memory), then a local kernel finishing the stages j < L in workgroup
//   memory.
// A final kernel gathers every output through the sorted permutation (and writes the
// permutation as int32 indices). log2(P/L)·(log2(P/L)+1)/2 global passes in all.

import type { DType } from "../../dtype.js";
import type { BufferDecl, SortStep } from "../../ir/fusion.js";
import { wgslType } from "./ops.js";
import { Builder, EW_WORKGROUP, guardHolds, guardLines, kernelSource, num, type Guard, type KernelSource } from "./wgsl.js";

/** Invocations of a local kernel; each compare-exchanges pairs of its block. */
const LOCAL_THREADS = 256;
/** Positions a local kernel sorts in workgroup memory. */
const BLOCK = 2 * LOCAL_THREADS;

interface Plan {
  readonly rows: number;
  readonly n: number;
  readonly P: number;
  readonly L: number;
}

/** The WGSL expression for the order key of `value` (a compute-type value of `dtype`). */
function orderKey(value: string, dtype: DType, descending: boolean): string {
  let key: string;
  switch (wgslType(dtype)) {
    case "f32": key = `fkey_(${value})`; break;
    case "i32": key = `(bitcast<u32>(${value}) ^ 0x80000000u)`; break;
    default: key = value;
  }
  return descending ? `(~${key})` : key;
}

const FKEY = [
  "fn fkey_(x: f32) -> u32 {",
  "  var u = bitcast<u32>(x);",
  "  if ((u & 0x7fffffffu) > 0x7f800000u) { u = 0x7fc00000u; }",
  "  if (u == 0x80000000u) { u = 0u; }",
  "  return select(u | 0x80000000u, ~u, (u & 0x80000000u) != 0u);",
  "}",
].join("\n");

/** Helper functions `key<m>(row, i) -> u32` for the key operands (padding: the largest key). */
function keyFunctions(b: Builder, s: SortStep, plan: Plan): string[] {
  const out: string[] = [];
  for (let m = 0; m < s.numKeys; m++) {
    const o = s.operands[m]!;
    const v = b.load(o.buffer, `${b.base(o)} + i32(row * ${plan.n}u + i)`);
    out.push(`fn key${m}(row: u32, i: u32) -> u32 {`, `  if (i >= ${plan.n}u) { return 0xffffffffu; }`,
      `  return ${orderKey(v, o.buffer.dtype, s.descending)};`, "}");
  }
  return out;
}

function guardCondition(b: Builder, guards: readonly Guard[]): string {
  return guards.map((g) => ` && ${guardHolds(b, g)}`).join("");
}

/**
 * A local kernel: loads each block of L positions (fresh indices when `init`, else from
 * `perm`) with their keys into workgroup memory and runs the stages of `ks` (j < L each).
 */
function localKernel(s: SortStep, plan: Plan, perm: BufferDecl, guards: readonly Guard[], init: boolean, mergeK: number | null): KernelSource {
  const b = new Builder();
  const { P, L } = plan;
  const blocks = plan.rows * (P / L);
  const pm = b.buf(perm);
  const keys = keyFunctions(b, s, plan);
  const shared = [`var<workgroup> si: array<u32, ${L}>;`, ...Array.from({ length: s.numKeys }, (_, m) => `var<workgroup> sk${m}: array<u32, ${L}>;`)];
  const lessLines = ["fn less_(a: u32, b: u32) -> bool {"];
  for (let m = 0; m < s.numKeys; m++) lessLines.push(`  if (sk${m}[a] != sk${m}[b]) { return sk${m}[a] < sk${m}[b]; }`);
  lessLines.push("  return si[a] < si[b];", "}");
  const swap = ["si", ...Array.from({ length: s.numKeys }, (_, m) => `sk${m}`)].map((a) => `let t_${a} = ${a}[lo]; ${a}[lo] = ${a}[hi]; ${a}[hi] = t_${a};`);
  const stage = (k: string) => [
    `for (var t = lid; t < ${L >> 1}u; t += ${LOCAL_THREADS}u) {`,
    "  let lo = ((t & ~(j - 1u)) << 1u) | (t & (j - 1u));",
    "  let hi = lo + j;",
    `  let asc = ((start + lo) & ${k}) == 0u;`,
    `  if (less_(hi, lo) == asc) { ${swap.join(" ")} }`,
    "}",
    "workgroupBarrier();",
  ];
  const body = [
    "let g = wid.x + wid.y * nwg.x;",
    `let live = g < ${blocks}u${guardCondition(b, guards)};`,
    `let gg = min(g, ${blocks - 1}u);`,
    `let row = gg / ${P / L}u;`,
    `let start = (gg % ${P / L}u) * ${L}u;`,
    `let at = row * ${P}u + start;`,
    `for (var e = lid; e < ${L}u; e += ${LOCAL_THREADS}u) {`,
    `  let i = ${init ? "start + e" : `${pm}[at + e]`};`,
    "  si[e] = i;",
    ...Array.from({ length: s.numKeys }, (_, m) => `  sk${m}[e] = key${m}(row, i);`),
    "}",
    "workgroupBarrier();",
  ];
  if (mergeK === null) {
    body.push(`for (var k = 2u; k <= ${L}u; k = k << 1u) {`, "  for (var j = k >> 1u; j > 0u; j = j >> 1u) {",
      ...stage("k").map((l) => "    " + l), "  }", "}");
  } else {
    body.push(`for (var j = ${L >> 1}u; j > 0u; j = j >> 1u) {`, ...stage(`${mergeK}u`).map((l) => "  " + l), "}");
  }
  body.push(`if (live) {`, `  for (var e = lid; e < ${L}u; e += ${LOCAL_THREADS}u) { ${pm}[at + e] = si[e]; }`, "}");
  const label = mergeK === null ? `sort: blocks of ${L} in workgroup memory (${plan.rows} rows of ${plan.n})` : `sort: merge k=${mergeK}, j<${L} in workgroup memory`;
  return kernelSource(b, [perm], body, [...shared, FKEY, ...keys, ...lessLines], LOCAL_THREADS, blocks, label);
}

/** One compare-exchange stage (k, j ≥ L) over device memory: one invocation per pair. */
function globalKernel(s: SortStep, plan: Plan, perm: BufferDecl, guards: readonly Guard[], k: number, j: number): KernelSource {
  const b = new Builder();
  const { P } = plan;
  const pairs = plan.rows * (P / 2);
  const pm = b.buf(perm);
  const keys = keyFunctions(b, s, plan);
  const lessLines = ["fn less_(row: u32, a: u32, b: u32) -> bool {"];
  for (let m = 0; m < s.numKeys; m++) {
    lessLines.push(`  let ka${m} = key${m}(row, a); let kb${m} = key${m}(row, b);`, `  if (ka${m} != kb${m}) { return ka${m} < kb${m}; }`);
  }
  lessLines.push("  return a < b;", "}");
  const body = [
    `let t = gid.x + gid.y * nwg.x * ${EW_WORKGROUP}u;`,
    `if (t >= ${pairs}u) { return; }`,
    ...guardLines(b, guards),
    `let row = t / ${P / 2}u;`,
    `let tt = t % ${P / 2}u;`,
    `let lo = row * ${P}u + (((tt & ~${j - 1}u) << 1u) | (tt & ${j - 1}u));`,
    `let hi = lo + ${j}u;`,
    `let a = ${pm}[lo];`,
    `let c = ${pm}[hi];`,
    `let asc = ((lo - row * ${P}u) & ${k}u) == 0u;`,
    `if (less_(row, c, a) == asc) { ${pm}[lo] = c; ${pm}[hi] = a; }`,
  ];
  return kernelSource(b, [perm], body, [FKEY, ...keys, ...lessLines], EW_WORKGROUP, Math.ceil(pairs / EW_WORKGROUP), `sort: stage k=${k} j=${j} in device memory`);
}

/**
 * Writes the first `keep` sorted positions of each row of one result: operand `m` through
 * the permutation, or (m = null) the permutation itself as int32 indices. One kernel per
 * result keeps each within the device's storage-buffer bindings.
 */
function gatherKernel(s: SortStep, plan: Plan, perm: BufferDecl, guards: readonly Guard[], m: number | null): KernelSource {
  const b = new Builder();
  const keep = num(s.keep, "a top_k size");
  const total = plan.rows * keep;
  const pm = b.buf(perm);
  const out = m === null ? s.indices! : s.outputs[m]!;
  const body = [
    `let t = gid.x + gid.y * nwg.x * ${EW_WORKGROUP}u;`,
    `if (t >= ${total}u) { return; }`,
    ...guardLines(b, guards),
    `let row = t / ${keep}u;`,
    `let idx = ${pm}[row * ${plan.P}u + t % ${keep}u];`,
  ];
  if (m === null) body.push(`${b.buf(out)}[t] = i32(idx);`);
  else {
    const o = s.operands[m]!;
    body.push(`${b.buf(out)}[t] = ${b.buf(o.buffer)}[${b.base(o)} + i32(row * ${plan.n}u + idx)];`);
  }
  const what = m === null ? "indices" : `operand ${m}`;
  return kernelSource(b, [out], body, [], EW_WORKGROUP, Math.ceil(total / EW_WORKGROUP), `sort: gather ${what}, ${plan.rows}x${keep}, through the permutation`);
}

/** The kernels of a sort step, in order; `newTemp` declares the permutation buffer. */
export function sortKernels(s: SortStep, guards: readonly Guard[], newTemp: (dtype: DType, size: number) => BufferDecl): KernelSource[] {
  const rows = num(s.rows, "a sort size"), n = num(s.n, "a sort size"), keep = num(s.keep, "a top_k size");
  if (rows === 0 || keep === 0 || (s.outputs.every((o) => o === null) && s.indices === null)) return [];
  let P = 1;
  while (P < n) P *= 2;
  // Workgroup memory holds L indices and L keys per key operand (WebGPU guarantees 16 KiB).
  let fits = BLOCK;
  while (fits > 2 && fits * 4 * (1 + s.numKeys) > 16384) fits /= 2;
  const plan: Plan = { rows, n, P, L: Math.min(P, fits) };
  const perm = newTemp("uint32", rows * P);
  const kernels = [localKernel(s, plan, perm, guards, true, null)];
  for (let k = 2 * plan.L; k <= P; k *= 2) {
    for (let j = k / 2; j >= plan.L; j /= 2) kernels.push(globalKernel(s, plan, perm, guards, k, j));
    kernels.push(localKernel(s, plan, perm, guards, false, k));
  }
  s.outputs.forEach((o, m) => { if (o) kernels.push(gatherKernel(s, plan, perm, guards, m)); });
  if (s.indices) kernels.push(gatherKernel(s, plan, perm, guards, null));
  return kernels;
}
