// Build-time specialization: trace a jitted function for one set of static values with
// symbolic input sizes, and emit, per requested backend, a prebuilt entry as JavaScript
// source: the guard, versioned and tagged with the backend, and the backend's payload
// (Backend.prebuiltSource: cpu a kernel factory, webgpu WGSL shaders and bindings), which
// the runtime loads without tracing or `new Function` (see runtime/jit/prebuilt.ts).
//
// This runs the real tracer — the same semantics as run-time jit — inside the build.

import { aval, type ShapedArray } from "../ir/aval.js";
import { prettyPrint } from "../ir/printer.js";
import { resolveJaxpr } from "../ir/resolve.js";
import type { ClosedJaxpr } from "../ir/jaxpr.js";
import { backendFor, knownBackends } from "../backend/registry.js";
import type { BackendName } from "../backend/backend.js";
import { PREBUILT_FORMAT_VERSION } from "../jit/prebuilt.js";
import { ConcreteArray } from "../array/concrete.js";
import type { DType, TypedArray } from "../dtype.js";
import { LEAF, type TreeDef } from "../trace/pytree.js";
import { flattenArguments } from "../jit/arguments.js";
import { traceCall } from "../jit/trace-call.js";
import { InconclusiveDimensionError, SymbolicContext, sym, withSymbolicContext, type Dim } from "../symbolic.js";

/** One array input: dtype, and per axis a fixed size or the name of a size variable. */
export class LeafSpec {
  constructor(
    readonly dtype: DType,
    readonly shape: readonly (number | string)[],
    readonly weakType = false,
  ) {}
}

export type SpecTree = LeafSpec | null | undefined | readonly SpecTree[] | { readonly [key: string]: SpecTree };

export interface SpecializeRequest {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly fn: (...args: any[]) => unknown;
  readonly name: string;
  readonly params: readonly string[];
  readonly staticPositions: ReadonlySet<number>;
  /** Per position: the static value, or the SpecTree of a dynamic argument. */
  readonly args: readonly unknown[];
  /** Largest captured constant (elements) worth embedding in the output. */
  readonly maxConstElements?: number;
  /**
   * A size variable that stands for "any shape": the leaves specced `[flat]` are traced as
   * rank 1, the program must be elementwise in them (checked, and traced again at rank 2 to
   * make sure it does not depend on the rank), and the entry's guard accepts any shape
   * those arguments share (see runtime/jit/prebuilt.ts).
   */
  readonly flat?: string;
  /** The backends to emit entries for (default: cpu). */
  readonly backends?: readonly string[];
}

export interface SkippedBackend {
  readonly backend: string;
  readonly reason: string;
  readonly symbolicSizes?: true;
}

/** One prebuilt entry: JavaScript source of an object literal (see runtime/jit/prebuilt.ts). */
export interface EntrySource {
  readonly backend: string;
  readonly code: string;
}

/** A successful specialization. */
export interface Specialized {
  readonly ok: true;
  /** One per backend that could prebuild the program (the first carries the jaxpr as a comment). */
  readonly entries: readonly EntrySource[];
  /** Requested backends that could not, and why (`symbolicSizes`: the guard had size variables, concrete shapes may do). */
  readonly skipped: readonly SkippedBackend[];
  readonly jaxprText: string;
  readonly staticKey: string;
}

export type Specialization =
  | Specialized
  | { readonly ok: false; readonly reason: string; readonly stack?: string; readonly needsConcreteSize?: true };

/** The skeleton of a spec tree (leaves as 0) and its leaf specs in flatten order. */
function skeletonOf(tree: SpecTree, leaves: LeafSpec[]): unknown {
  if (tree instanceof LeafSpec) { leaves.push(tree); return 0; }
  if (tree === null || tree === undefined) return tree;
  if (Array.isArray(tree)) return tree.map((t) => skeletonOf(t, leaves));
  const obj = tree as Record<string, SpecTree>;
  return Object.fromEntries(Object.keys(obj).sort().map((k) => [k, skeletonOf(obj[k], leaves)]));
}

function dimSource(d: Dim, env: string): string {
  return typeof d === "number" ? String(d) : d.toJs((v) => `${env}.${v}`);
}

function skeletonSource(def: TreeDef): string {
  switch (def.kind) {
    case "leaf": return "0";
    case "null": return "null";
    case "undefined": return "undefined";
    case "array": return `[${def.children.map(skeletonSource).join(", ")}]`;
    case "object": return `{ ${def.keys!.map((k, i) => `${JSON.stringify(k)}: ${skeletonSource(def.children[i]!)}`).join(", ")} }`;
  }
}

function constSource(c: ConcreteArray, max: number): string {
  const n = c.aval.concreteSize;
  if (n > max) throw new SpecializationRefused(`it captures a ${c.aval.str} constant, larger than the ${max} elements worth embedding`);
  const data: TypedArray = c.dataSync();
  const ctor = c.dtype === "int32" ? "Int32Array" : c.dtype === "uint32" ? "Uint32Array" : c.dtype === "bool" ? "Uint8Array" : "Float32Array";
  return `${ctor}.of(${Array.from(data, (v) => (Object.is(v, -0) ? "-0" : String(v))).join(", ")})`;
}

class SpecializationRefused extends Error {}

export function specialize(req: SpecializeRequest): Specialization {
  try {
    return specializeOrThrow(req);
  } catch (e) {
    const err = e as Error;
    if (e instanceof SpecializationRefused) return { ok: false, reason: err.message };
    if (e instanceof InconclusiveDimensionError) return { ok: false, reason: `it needs a concrete size: ${err.message}`, stack: err.stack, needsConcreteSize: true };
    return { ok: false, reason: `tracing failed: ${err.name}: ${err.message.split("\n")[0]}`, ...(err?.stack ? { stack: err.stack } : {}) };
  }
}

/** Why `jaxpr` is not elementwise over the `flat`-sized inputs, or undefined when it is. */
function notElementwise(jaxpr: ClosedJaxpr, flat: string): string | undefined {
  const isFlat = (a: ShapedArray) => a.shape.length === 1 && typeof a.shape[0] !== "number" && a.shape[0]!.toString() === flat;
  const isScalar = (a: ShapedArray) => a.shape.length === 0;
  for (const e of jaxpr.jaxpr.eqns) {
    const scalarBroadcast = e.primitive.name === "broadcast_in_dim" && isScalar(e.inputs[0]!.aval);
    if (e.primitive.kind !== "elementwise" && !scalarBroadcast) return `it uses ${e.primitive.name}`;
    if (![...e.inputs.map((a) => a.aval), ...e.outputs.map((v) => v.aval)].every((a) => isFlat(a) || isScalar(a))) return `${e.primitive.name} mixes shapes`;
  }
  if (!jaxpr.jaxpr.outAvals.every(isFlat)) return "an output does not have its inputs' shape";
  return undefined;
}

function primitiveNames(jaxpr: ClosedJaxpr): string {
  return jaxpr.jaxpr.eqns.map((e) => e.primitive.name).join(" ");
}

function specializeOrThrow(req: SpecializeRequest): Specialization {
  if (req.flat === undefined) return specializeTraced(req);
  const flat = req.flat;
  const result = specializeTraced(req);
  if (!result.ok) return result;
  // The same program at rank 2 (sizes flat x flat_1): a function that reads x.ndim or x.shape
  // to decide what to compute would trace differently, and must not get a flat kernel.
  const rank2 = (t: unknown): unknown => {
    if (t instanceof LeafSpec) return t.shape.length === 1 && t.shape[0] === flat ? new LeafSpec(t.dtype, [flat, `${flat}_1`], t.weakType) : t;
    if (t === null || t === undefined || typeof t !== "object") return t;
    if (Array.isArray(t)) return t.map(rank2);
    return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, rank2(v)]));
  };
  const again = specializeTraced({ ...req, flat: undefined, args: req.args.map((a, i) => (req.staticPositions.has(i) ? a : rank2(a))) });
  if (!again.ok || again.jaxprOps !== result.jaxprOps) {
    throw new SpecializationRefused("it is not elementwise in its plain-NDArray parameters: it computes something else at another rank (it reads .ndim or .shape)");
  }
  return result;
}

function specializeTraced(req: SpecializeRequest): Specialization & { jaxprOps?: string } {
  const isStatic = (i: number) => req.staticPositions.has(i);
  // Dynamic arguments are flattened as skeletons (leaves 0), their leaf specs collected in the same order.
  const leafSpecs: LeafSpec[] = [];
  const skeletons = req.args.map((a, i) => (isStatic(i) ? a : skeletonOf(a as SpecTree, leafSpecs)));
  const flat = flattenArguments(skeletons, req.args.length, isStatic, req.params, req.name);
  const staticKeys = flat.staticKeys;
  const dynamicTree = flat.tree;
  const paths = flat.paths;
  const avals = leafSpecs.map((s) => aval(s.shape.map((d) => (typeof d === "string" ? sym(d) : d)), s.dtype, s.weakType));

  const ctx = new SymbolicContext();
  const { jaxpr, outTree, inputs, outputs } = withSymbolicContext(ctx, () => {
    const traced = traceCall(req.fn, req.name, { nargs: req.args.length, isStatic, args: req.args, dynamicTree, avals, paths });
    const resolved = resolveJaxpr(traced.jaxpr);
    return { jaxpr: resolved, outTree: traced.outTree, inputs: resolved.jaxpr.invars.map((v) => v.aval), outputs: resolved.jaxpr.outAvals };
  });

  // The guard: every input size is a fixed number or a (resolved) single size variable.
  const guard = inputs.map((a: ShapedArray, i) => {
    const dims = a.shape.map((d) => {
      if (typeof d === "number") return String(d);
      const vars = d.variables;
      if (vars.length !== 1 || d.toString() !== vars[0]) {
        throw new SpecializationRefused(`input '${paths[i]}' gets size ${d.toString()}, which a run-time guard cannot bind`);
      }
      return JSON.stringify(vars[0]);
    });
    return `[${JSON.stringify(a.dtype)}, ${a.weakType}, [${dims.join(", ")}]]`;
  });

  if (req.flat !== undefined) {
    const why = notElementwise(jaxpr, req.flat);
    if (why) throw new SpecializationRefused(`it is not elementwise in its plain-NDArray parameters (${why}); annotate them (NDArray<"float32", [number, 784]>) or call it with arrays of known shapes`);
  }
  const maxConst = req.maxConstElements ?? 4096;
  const consts = (jaxpr.consts as ConcreteArray[]).map((c) => constSource(c, maxConst));
  const outDTypes = outputs.map((a) => `[${JSON.stringify(a.dtype)}, ${a.weakType}]`);
  const outShapes = outputs.map((a) => `[${a.shape.map((d) => dimSource(d, "d")).join(", ")}]`);
  const key = staticKeys.join(";");
  const jaxprText = prettyPrint(jaxpr);
  const common = [
    `  key: ${JSON.stringify(key)},`,
    `  nargs: ${req.args.length},`,
    `  tree: ${JSON.stringify(dynamicTree.key)},`,
    ...(req.flat !== undefined ? [`  flat: ${JSON.stringify(req.flat)},`] : []),
    `  inputs: [${guard.join(", ")}],`,
    `  out: ${outTree === LEAF ? "0" : skeletonSource(outTree)},`,
    `  outTypes: [${outDTypes.join(", ")}],`,
    `  outShapes: (d) => [${outShapes.join(", ")}],`,
    `  consts: [${consts.join(", ")}],`,
  ];
  const entries: EntrySource[] = [];
  const skipped: SkippedBackend[] = [];
  const symbolicSizes = inputs.some((a) => a.shape.some((d) => typeof d !== "number"));
  for (const name of req.backends ?? ["cpu"]) {
    let payload: string;
    try {
      if (!knownBackends().includes(name as BackendName)) throw new SpecializationRefused(`this tsjit has no ${name} backend`);
      const backend = backendFor(name as BackendName);
      if (!backend.prebuiltSource) throw new SpecializationRefused(`the ${name} backend cannot prebuild kernels`);
      payload = backend.prebuiltSource(jaxpr.jaxpr);
    } catch (e) {
      skipped.push({ backend: name, reason: (e as Error).message.split("\n")[0]!, ...(symbolicSizes ? { symbolicSizes: true as const } : {}) });
      continue;
    }
    entries.push({
      backend: name,
      code: [
        // The IR the kernels were generated from, for readers of the output (minifiers drop it).
        ...(entries.length === 0 ? [...jaxprText.replace(/\*\//g, "* /").split("\n").map((l, i) => (i === 0 ? `/* ${l}` : ` * ${l}`)), " */"] : []),
        "{",
        `  version: ${PREBUILT_FORMAT_VERSION},`,
        `  backend: ${JSON.stringify(name)},`,
        ...common,
        `  payload: ${payload.split("\n").join("\n  ")},`,
        "}",
      ].join("\n"),
    });
  }
  if (entries.length === 0) {
    const why = skipped.map((s) => `${s.backend}: ${s.reason}`).join("; ");
    if (symbolicSizes) return { ok: false, reason: `no backend in prebuiltBackends can prebuild it for symbolic sizes (${why})`, needsConcreteSize: true };
    throw new SpecializationRefused(`no backend in prebuiltBackends can prebuild it (${why})`);
  }
  return { ok: true, entries, skipped, jaxprText, staticKey: key, jaxprOps: primitiveNames(jaxpr) };
}
