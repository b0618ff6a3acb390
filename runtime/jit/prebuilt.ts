// Prebuilt kernels: emitted by the build-time specializer into the output module and
// passed to jit as site metadata. A call whose backend, static values, argument structure,
// dtypes and ranks match (and whose sizes satisfy the guard) runs the prebuilt kernel
// directly, without tracing.
//
// An entry is versioned and tagged with its backend; what runs is the backend's payload
// (cpu: a JS kernel factory; webgpu: WGSL shaders and their bindings; wasm: module bytes),
// loaded by that backend's `loadPrebuilt`. An entry of another format version, or for a
// backend this runtime does not know, is ignored (the call traces) with a one-time warning.

import type { DType, TypedArray } from "../dtype.js";
import { aval, type ShapedArray } from "../ir/aval.js";
import type { Backend, Executable } from "../backend/backend.js";
import { flatten, type TreeDef } from "../trace/pytree.js";

/** The format of entries this runtime reads (the build-time specializer writes the same). */
export const PREBUILT_FORMAT_VERSION = 2;

export type SizeEnv = Record<string, number>;

export interface PrebuiltKernel {
  /** Format version (PREBUILT_FORMAT_VERSION). */
  readonly version: number;
  /** The backend whose payload this is ("cpu", "webgpu", "wasm"). */
  readonly backend: string;
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
  /** Captured constants, in the jaxpr's constvar order. */
  readonly consts: readonly TypedArray[];
  /** The backend's own part (see Backend.loadPrebuilt). */
  readonly payload: unknown;
}

/** A loaded payload: the executable for one binding of the guard's sizes. */
export type LoadedPrebuilt = (dims: SizeEnv) => Executable;

/**
 * Why `p` cannot be used by this runtime at all (another format version, an unknown
 * backend), or undefined when it can. `known`: the backends this runtime has.
 */
export function unusableReason(p: PrebuiltKernel, known: readonly string[]): string | undefined {
  const v = (p as { version?: unknown }).version;
  if (v !== PREBUILT_FORMAT_VERSION) {
    const what = v === undefined ? "have no format version (written by a tsjit from before prebuilt entries were versioned)" : `have format version ${JSON.stringify(v)}`;
    return `they ${what}, and this tsjit reads version ${PREBUILT_FORMAT_VERSION}`;
  }
  if (!known.includes(p.backend)) return `one is for the backend ${JSON.stringify(p.backend)}, which this tsjit does not have (it has ${known.join(", ")})`;
  return undefined;
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

const loaded = new WeakMap<PrebuiltKernel, LoadedPrebuilt>();
const trees = new WeakMap<PrebuiltKernel, TreeDef>();

function dtypeOfConst(c: TypedArray): DType {
  if (c instanceof Int32Array) return "int32";
  if (c instanceof Uint32Array) return "uint32";
  if (c instanceof Uint8Array) return "bool";
  return "float32";
}

/** The executable for one binding of the sizes on `backend`, and its output avals and tree. */
export function instantiatePrebuilt(p: PrebuiltKernel, env: SizeEnv, backend: Backend): { executable: Executable; outAvals: ShapedArray[]; outTree: TreeDef } {
  let load = loaded.get(p);
  if (!load) {
    if (!backend.loadPrebuilt) throw new Error(`internal: the ${backend.name} backend cannot load prebuilt kernels`);
    const consts = p.consts.map((c) => backend.fromHost(c, aval([c.length], dtypeOfConst(c))));
    loaded.set(p, (load = backend.loadPrebuilt(p.payload, consts)));
  }
  let outTree = trees.get(p);
  if (!outTree) trees.set(p, (outTree = flatten(p.out, [], "internal")));
  const flatShape = flatShapes.get(env);
  const shapes = flatShape ? p.outTypes.map(() => [...flatShape]) : p.outShapes(env);
  const outAvals = p.outTypes.map(([dtype, weak], i) => aval(shapes[i]!, dtype, weak));
  return { executable: load(env), outAvals, outTree };
}
