// Prebuilt kernels: emitted by the build-time specializer into the output module and
// passed to jit as site metadata. A call whose static values, argument structure, dtypes
// and ranks match (and whose sizes satisfy the guard) runs the prebuilt kernel directly.

import type { DType, TypedArray } from "../dtype.js";
import { aval, type ShapedArray } from "../ir/aval.js";
import type { Executable } from "../backend/backend.js";
import { cpuRuntime } from "../backend/cpu/index.js";
import { flatten, type TreeDef } from "../trace/pytree.js";

export type SizeEnv = Record<string, number>;

export interface PrebuiltKernel {
  /** Static argument keys, as jit computes them (joined by ";"). */
  readonly key: string;
  readonly nargs: number;
  /** Tree key of the dynamic arguments. */
  readonly tree: string;
  /**
   * Set for an elementwise kernel traced at rank 1: inputs guarded `[flat]` accept any shape,
   * as long as they all share it; the kernel runs over their elements in order and every
   * output has that shape.
   */
  readonly flat?: string;
  /** Guard per input leaf: dtype, weak type, and per axis a size or a size variable. */
  readonly inputs: readonly (readonly [DType, boolean, readonly (number | string)[]])[];
  /** Output structure (leaves are 0). */
  readonly out: unknown;
  readonly outTypes: readonly (readonly [DType, boolean])[];
  readonly outShapes: (d: SizeEnv) => number[][];
  readonly consts: readonly TypedArray[];
  readonly kernel: (rt: typeof cpuRuntime, consts: readonly TypedArray[]) => (args: readonly unknown[], dims?: SizeEnv) => TypedArray[];
}

/** Binds the guard's size variables to the call's sizes; null if the call does not fit. */
export function matchPrebuilt(p: PrebuiltKernel, key: string, tree: string, nargs: number, avals: readonly ShapedArray[]): SizeEnv | null {
  if (p.key !== key || p.tree !== tree || p.nargs !== nargs || p.inputs.length !== avals.length) return null;
  const env: SizeEnv = {};
  let flatShape: readonly number[] | undefined;
  for (let i = 0; i < avals.length; i++) {
    const [dtype, weak, shape] = p.inputs[i]!;
    const a = avals[i]!;
    if (p.flat !== undefined && shape.length === 1 && shape[0] === p.flat) {
      if (a.dtype !== dtype || a.weakType !== weak) return null;
      const s = a.shape as readonly number[];
      if (flatShape === undefined) flatShape = s;
      else if (flatShape.length !== s.length || flatShape.some((n, d) => n !== s[d])) return null;
      continue;
    }
    if (a.dtype !== dtype || a.weakType !== weak || a.ndim !== shape.length) return null;
    for (let d = 0; d < shape.length; d++) {
      const want = shape[d]!, got = a.shape[d] as number;
      if (typeof want === "number") {
        if (want !== got) return null;
      } else if (env[want] === undefined) env[want] = got;
      else if (env[want] !== got) return null;
    }
  }
  if (flatShape !== undefined) {
    if (env[p.flat!] !== undefined) return null; // the flat size also names an axis elsewhere
    env[p.flat!] = flatShape.reduce((n, d) => n * d, 1);
    flatShapes.set(env, flatShape);
  }
  return env;
}

/** The shared shape of a flat kernel's inputs, per matched environment. */
const flatShapes = new WeakMap<SizeEnv, readonly number[]>();

const instances = new WeakMap<PrebuiltKernel, ReturnType<PrebuiltKernel["kernel"]>>();
const trees = new WeakMap<PrebuiltKernel, TreeDef>();

/** The executable for one binding of the sizes, and its output avals and tree. */
export function instantiatePrebuilt(p: PrebuiltKernel, env: SizeEnv): { executable: Executable; outAvals: ShapedArray[]; outTree: TreeDef } {
  let run = instances.get(p);
  if (!run) instances.set(p, (run = p.kernel(cpuRuntime, p.consts)));
  let outTree = trees.get(p);
  if (!outTree) trees.set(p, (outTree = flatten(p.out, [], "internal")));
  const flatShape = flatShapes.get(env);
  const shapes = flatShape ? p.outTypes.map(() => [...flatShape]) : p.outShapes(env);
  const outAvals = p.outTypes.map(([dtype, weak], i) => aval(shapes[i]!, dtype, weak));
  const bound = run;
  return { executable: { run: (args) => bound(args, env) }, outAvals, outTree };
}
