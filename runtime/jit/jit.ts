// jit: trace once per signature, compile the jaxpr, cache the executable.
//
// The cache key is JAX's: function identity (one cache per jitted function) + static
// argument keys + pytree structure of the dynamic arguments + their avals + backend.
// A JS number passed as a dynamic argument is a weak float32 scalar, so f(1) and f(1.5)
// share a compile. A call first checks the previous call's signature (identity
// comparisons only, no allocation), then a Map keyed by a string built on the slow path.

import { NDArray } from "../array/ndarray.js";
import { ConcreteArray } from "../array/concrete.js";
import { castScalar } from "../dtype.js";
import { ArgumentError, RecompileError, UnexpectedTracerError } from "../errors.js";
import { aval, type ShapedArray } from "../ir/aval.js";
import type { ClosedJaxpr } from "../ir/jaxpr.js";
import { prettyPrint } from "../ir/printer.js";
import { optimize } from "../ir/passes.js";
import type { Backend, BackendName, Executable } from "../backend/backend.js";
import { autoBackend, backendFor, getBackend, knownBackends } from "../backend/registry.js";
import { autoBackendFor } from "../backend/auto.js";
import { wgslSource } from "../backend/webgpu/index.js";
import { wasmSource } from "../backend/wasm/index.js";
import { isTracing } from "../trace/core.js";
import { Tracer } from "../trace/tracer.js";
import { unflatten, LEAF, type Leaf, type TreeDef } from "../trace/pytree.js";
import { parseParams } from "./params.js";
import { checkCount, checkOptions, checkTraceable, describeArgument, flattenArguments, paramLabel, resolveStatic } from "./arguments.js";
import { traceCall } from "./trace-call.js";
import { allocationError } from "../array/allocation.js";
import { instantiatePrebuilt, matchPrebuilt, unusableReason, type PrebuiltKernel } from "./prebuilt.js";
import { keySymbol, keyedByIdentity, staticKey } from "./static-key.js";

export interface JitOptions {
  /** Positions of static parameters (negative counts from the end of the parameter list). */
  staticArgnums?: number | readonly number[];
  /** Names of static parameters. */
  staticArgnames?: string | readonly string[];
  /** Compiles of one function before a warning (default 8). */
  recompileLimit?: number;
  /** What happens past recompileLimit: a console warning (default) or a RecompileError. */
  onRecompileLimit?: "warn" | "error";
  /** Entries kept in this function's cache, least recently used evicted first (default 64). */
  maxCacheSize?: number;
  /** Backend for this function (default: the process default at call time). */
  backend?: BackendName;
  /**
   * Static values to prebuild kernels for at build time (read by the tsjit transformer;
   * ignored at run time), e.g. `[{ mode: "relu" }, { mode: "gelu" }]`.
   */
  specialize?: readonly Readonly<Record<string, unknown>>[];
}

/** What the build-time transformer records about a jit site (third argument of `jit`). */
export interface JitSiteMeta {
  /** Parameter names in order ("<destructured>" for patterns). */
  readonly params?: readonly string[];
  /** `file.ts:line:col` of the jit site. */
  readonly site?: string;
  /** Kernels specialized at build time (emitted by the transformer). */
  readonly prebuilt?: readonly PrebuiltKernel[];
}

export interface JitStats {
  /** Runs of the user's function under tracing. */
  traces: number;
  /** Backend compilations. */
  compiles: number;
  /** Calls served from the cache. */
  hits: number;
  /** Calls served by build-time kernels. */
  prebuiltHits: number;
}

export interface Lowered {
  /** The traced program: "jaxpr" (default, JAX's text), "optimized" (after passes), "js" (generated CPU code), "wgsl" (WebGPU shaders) or "wasm" (the WebAssembly module as text). */
  asText(dialect?: "jaxpr" | "optimized" | "js" | "wgsl" | "wasm"): string;
  readonly jaxpr: ClosedJaxpr;
}

/** The typed arrays a jitted function takes for an NDArray of dtype D (as np.array converts them). */
type TypedArrayFor<D> = ("float32" extends D ? Float32Array | Float64Array : never) | ("int32" extends D ? Int32Array : never) | ("uint32" extends D ? Uint32Array : never);
/** A parameter type of a jitted function: an NDArray parameter also takes a typed array (a 1-D array of its dtype). */
export type JitArg<T> = T extends NDArray<infer D> ? T | TypedArrayFor<D> : T;
type JitArgs<P> = { [K in keyof P]: JitArg<P[K]> };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Jitted<F extends (...args: any[]) => any> = F & ((...args: JitArgs<Parameters<F>>) => ReturnType<F>) & {
  lower(...args: JitArgs<Parameters<F>>): Lowered;
  cacheSize(): number;
  clearCache(): void;
  readonly stats: Readonly<JitStats>;
  /** The function being jitted. */
  readonly fn: F;
};

export const config = {
  /** Log (console.warn) every cache miss after the first, explaining what changed. */
  explainCacheMisses: false,
};

/** The options jit accepts (anything else is refused, with a did-you-mean). */
const JIT_OPTIONS = ["staticArgnums", "staticArgnames", "recompileLimit", "onRecompileLimit", "maxCacheSize", "backend", "specialize"] as const satisfies readonly (keyof JitOptions)[];
// A JitOptions member missing from JIT_OPTIONS fails type checking here (it would be refused at run time).
type UnlistedOption = Exclude<keyof JitOptions, (typeof JIT_OPTIONS)[number]>;
const allOptionsListed: [UnlistedOption] extends [never] ? true : UnlistedOption = true;
void allOptionsListed;

const WEAK_F32 = aval([], "float32", true);
const BOOL_SCALAR = aval([], "bool");

/** The backend a call asks for: a name, or "auto" (chosen per program when compiled). */
type Requested = BackendName | "auto";

interface Entry {
  readonly key: string;
  readonly backend: Backend;
  /** What the calls it serves asked for: its backend's name, or "auto". */
  readonly requested: Requested;
  /** Per-argument tokens for the fast path: a static value or the aval of a leaf; null if some argument is a container. */
  readonly fast: unknown[] | null;
  readonly nargs: number;
  /** The traced program (absent for build-time kernels, which were traced during the build). */
  readonly jaxpr: ClosedJaxpr | undefined;
  readonly executable: Executable;
  readonly outTree: TreeDef;
  readonly outAvals: readonly ShapedArray[];
  /** Served by a build-time kernel (counted as prebuiltHits). */
  readonly prebuilt: boolean;
}

interface Signature {
  readonly key: string;
  /** The static arguments' keys and the dynamic arguments' tree, as prebuilt kernels record them. */
  readonly staticText: string;
  readonly treeKey: string;
  readonly treedef: TreeDef;
  readonly leaves: Leaf[];
  readonly leafPaths: string[];
  readonly avals: ShapedArray[];
  /** One line per parameter, for explaining misses (built only when a miss is explained). */
  readonly describe: () => readonly string[];
  readonly fast: unknown[] | null;
}

function leafAval(leaf: Leaf): ShapedArray {
  if (typeof leaf === "number") return WEAK_F32;
  if (typeof leaf === "boolean") return BOOL_SCALAR;
  return leaf.aval;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function jit<F extends (...args: any[]) => any>(fn: F, options?: JitOptions, meta: JitSiteMeta = {}): Jitted<F> {
  checkTraceable(fn, "jit");
  options = checkOptions("jit", options, JIT_OPTIONS);
  checkCount("jit", "maxCacheSize", options.maxCacheSize, 0);
  checkCount("jit", "recompileLimit", options.recompileLimit, 0);
  if (options.onRecompileLimit !== undefined && options.onRecompileLimit !== "warn" && options.onRecompileLimit !== "error") {
    throw new ArgumentError(`jit: onRecompileLimit must be "warn" or "error", got ${describeArgument(options.onRecompileLimit)}.`);
  }
  meta ??= {};
  const fnName = fn.name || "<anonymous>";
  const parsed = meta.params ? { names: meta.params, hasRest: false } : parseParams(fn);
  const params = parsed.names;
  const staticPositions = resolveStatic(fnName, params, parsed.hasRest, options);
  const recompileLimit = options.recompileLimit ?? 8;
  const maxCacheSize = options.maxCacheSize ?? 64;
  const backendOption = options.backend;
  const onRecompileLimit = options.onRecompileLimit;
  const stats: JitStats = { traces: 0, compiles: 0, hits: 0, prebuiltHits: 0 };
  const cache = new Map<string, Entry>();
  const warned = new Set<string>();
  let last: Entry | undefined;
  let lastDescribe: (() => readonly string[]) | undefined;
  let missCount = 0;

  const paramName = (i: number) => paramLabel(params, i);
  const noStatics = staticPositions.size === 0;
  const isStatic = (i: number) => !noStatics && staticPositions.has(i);
  const maxStatic = staticPositions.size ? Math.max(...staticPositions) : -1;

  /** The previous call's signature matches, by identity only. */
  function matchesLast(entry: Entry, args: readonly unknown[], backendName: Requested): boolean {
    const fast = entry.fast;
    if (fast === null || args.length !== entry.nargs || entry.requested !== backendName) return false;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      const t = fast[i];
      if (isStatic(i)) {
        // Tokens exist only for statics keyed by identity (checked once in signature()).
        if (!Object.is(a, t)) return false;
      } else if (a instanceof ConcreteArray) {
        if (a.aval !== t || a.backend !== entry.backend) return false;
      } else if (typeof a === "number") {
        if (t !== WEAK_F32) return false;
      } else if (typeof a === "boolean") {
        if (t !== BOOL_SCALAR) return false;
      } else return false;
    }
    return true;
  }

  function signature(args: readonly unknown[], backendName: Requested): Signature {
    const nargs = Math.max(args.length, maxStatic + 1);
    const flat = flattenArguments(args, nargs, isStatic, params, fnName);
    const leaves = flat.leaves;
    let allLeaves = true;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (!isStatic(i) && !(a instanceof NDArray) && typeof a !== "number" && typeof a !== "boolean") allLeaves = false;
    }
    const avals = leaves.map((l) => {
      if (l instanceof Tracer) {
        throw new UnexpectedTracerError(
          `jitted function '${fnName}' was called with a tracer (${l.aval.str}) from a trace that has ended.`,
          "A traced value escaped an earlier jit call (stored in a global, a captured array or `this`); return it instead.",
        );
      }
      return leafAval(l);
    });
    const treedef = flat.tree;
    const staticText = flat.staticKeys.join(";");
    const key = `${backendName}|${args.length}|${treedef.key}|${avals.map((a) => a.id).join(",")}|${staticText}`;
    let fast: unknown[] | null = null;
    if (allLeaves && args.length >= maxStatic + 1 && args.every((a, i) => !isStatic(i) || keyedByIdentity(a))) {
      fast = args.map((a, i) => (isStatic(i) ? a : leafAval(a as Leaf)));
    }
    // Static values are kept for the description, leaves only as avals (no arrays held).
    const statics = flat.staticKeys.length ? args.slice(0, nargs).map((a, i) => (isStatic(i) ? a : undefined)) : [];
    const { paths, positions } = flat; // not `flat`: the closure must not hold the leaves (arrays)
    let described: string[] | undefined;
    const describe = () => (described ??= positions.map(({ index, name, isStatic: s, start, end }) => {
      if (s) return `${name} = ${describeStatic(statics[index])}`;
      const parts: string[] = [];
      for (let k = start; k < end; k++) {
        const p = paths[k]!.slice(name.length).replace(/^\./, "");
        parts.push((p ? `${p}: ` : "") + avals[k]!.str);
      }
      const isLeaf = end - start === 1 && paths[start] === name;
      return `${name}: ${isLeaf ? parts.join("") : `{${parts.join(", ")}}`}`;
    }));
    return { key, staticText, treeKey: treedef.key, treedef, leaves, leafPaths: flat.paths, avals, describe, fast };
  }

  function traceAndCompile(sig: Signature, args: readonly unknown[], requested: Backend | "auto", count: boolean): Entry {
    if (count) stats.traces++;
    const nargs = args.length;
    const { jaxpr, outTree } = traceFunction(sig, args, nargs);
    const backend = requested === "auto" ? autoBackendFor(jaxpr.jaxpr) : requested;
    const consts = jaxpr.consts.map((c) => bufferOn(c as NDArray, backend));
    let executable: Executable;
    try {
      executable = backend.compile(jaxpr.jaxpr, consts);
    } catch (e) {
      throw allocationError(e, `compiling jitted function '${fnName}'`, jaxpr.outAvals);
    }
    if (count) stats.compiles++;
    return {
      key: sig.key,
      backend,
      requested: requested === "auto" ? "auto" : backend.name,
      fast: sig.fast,
      nargs,
      jaxpr,
      executable,
      outTree,
      outAvals: jaxpr.outAvals,
      prebuilt: false,
    };
  }

  /** An entry served by a matching build-time kernel for this backend, or undefined. */
  function fromPrebuilt(sig: Signature, args: readonly unknown[], backend: Backend, requested: Requested): Entry | undefined {
    if (!meta.prebuilt) return undefined;
    for (const p of meta.prebuilt) {
      const unusable = unusableReason(p, knownBackends());
      if (unusable !== undefined) {
        warnUnusablePrebuilt(fnName, meta.site, unusable);
        continue;
      }
      if (p.backend !== backend.name) continue;
      const env = matchPrebuilt(p, sig.staticText, sig.treeKey, args.length, sig.avals);
      if (!env) continue;
      let instance: ReturnType<typeof instantiatePrebuilt>;
      try {
        instance = instantiatePrebuilt(p, env, backend);
      } catch (e) {
        // A payload this runtime cannot load (another memory setup, an engine that refuses it):
        // the call traces, as if there were none.
        warnUnusablePrebuilt(fnName, meta.site, `loading its ${backend.name} payload failed (${(e as Error).message.split("\n")[0]})`);
        continue;
      }
      const { executable, outAvals, outTree } = instance;
      return { key: sig.key, backend, requested, fast: sig.fast, nargs: args.length, jaxpr: undefined, executable, outTree, outAvals, prebuilt: true };
    }
    return undefined;
  }

  function traceFunction(sig: Signature, args: readonly unknown[], nargs: number): { jaxpr: ClosedJaxpr; outTree: TreeDef } {
    return traceCall(fn, fnName, { nargs, isStatic, args, dynamicTree: sig.treedef, avals: sig.avals, paths: sig.leafPaths });
  }

  function explainMiss(sig: Signature): string {
    if (!lastDescribe) return "first call";
    const before = lastDescribe();
    const described = sig.describe();
    for (let i = 0; i < Math.max(before.length, described.length); i++) {
      const now = described[i], was = before[i];
      if (now !== was) {
        const name = (now ?? was ?? "").split(/[ :=]/)[0];
        return `at ${name}, now ${stripName(now)} and before ${stripName(was)}`;
      }
    }
    return "the backend changed";
  }

  function onMiss(sig: Signature): void {
    missCount++;
    // Described only when a message needs it (a miss is otherwise not worth the strings).
    const explanation = missCount > 1 && (config.explainCacheMisses || stats.compiles >= recompileLimit) ? explainMiss(sig) : "";
    if (config.explainCacheMisses && missCount > 1) {
      console.warn(`tsjit: cache miss for jitted function '${fnName}' ${explanation}.`);
    }
    if (stats.compiles >= recompileLimit) {
      const message = `jitted function '${fnName}' has been compiled ${stats.compiles + 1} times (recompileLimit ${recompileLimit}); ` +
        `the latest miss was ${explanation}.`;
      const fix = "Static arguments and input shapes/dtypes are part of the cache key: make frequently changing values traced " +
        "(remove them from staticArgnames) or keep shapes fixed (pad inputs).";
      if (onRecompileLimit === "error") throw new RecompileError(message, fix);
      const cause = explanation.split(",")[0]!;
      if (!warned.has(cause)) {
        warned.add(cause);
        console.warn(`tsjit: ${message}\nFix: ${fix}`);
      }
    }
  }

  function run(entry: Entry, leaves: readonly unknown[]): unknown {
    const backend = entry.backend;
    const inputs = new Array(leaves.length);
    for (let i = 0; i < leaves.length; i++) {
      const l = leaves[i];
      if (l instanceof ConcreteArray) inputs[i] = l.backend === backend ? l.buffer : bufferOn(l, backend);
      else if (typeof l === "number") inputs[i] = castScalar(l, "float32");
      else inputs[i] = l ? 1 : 0;
    }
    const avals = entry.outAvals;
    let outs: unknown[];
    try {
      outs = entry.executable.run(inputs);
    } catch (e) {
      throw allocationError(e, `jitted function '${fnName}'`, avals);
    }
    if (entry.outTree === LEAF) return new ConcreteArray(avals[0]!, outs[0], backend);
    const arrays = outs.map((b, i) => new ConcreteArray(avals[i]!, b, backend));
    return unflatten(entry.outTree, arrays);
  }

  function call(this: unknown, ...args: unknown[]): unknown {
    // Inside another trace, inline: the outer jaxpr records these primitives directly.
    if (isTracing()) {
      // The static arguments must still be hashable and known when the outer function is traced.
      for (const i of staticPositions) staticKey(args[i], `static argument '${paramName(i)}' of jitted function '${fnName}'`);
      return fn.apply(this, args);
    }
    const backendName: Requested = backendOption ?? (autoBackend() ? "auto" : getBackend());
    if (last !== undefined && matchesLast(last, args, backendName)) {
      if (last.prebuilt) stats.prebuiltHits++;
      else stats.hits++;
      return run(last, args);
    }
    const sig = signature(args, backendName);
    let entry = cache.get(sig.key);
    if (entry !== undefined) {
      if (entry.prebuilt) stats.prebuiltHits++;
      else stats.hits++;
      cache.delete(sig.key); // refresh its LRU position
      cache.set(sig.key, entry);
    } else {
      // "auto" serves build-time kernels for cpu (the default prebuilt backend; the rule needs the traced program).
      const backend = backendFor(backendName === "auto" ? "cpu" : backendName);
      entry = fromPrebuilt(sig, args, backend, backendName);
      if (entry) stats.prebuiltHits++;
      else {
        onMiss(sig);
        entry = traceAndCompile(sig, args, backendName === "auto" ? "auto" : backend, true);
      }
      cache.set(sig.key, entry);
      if (cache.size > maxCacheSize) cache.delete(cache.keys().next().value!);
    }
    // The fast-path tokens hold this call's static values, compared by identity next time.
    last = sig.fast && entry.fast !== sig.fast ? { ...entry, fast: sig.fast, nargs: args.length } : entry;
    lastDescribe = sig.describe;
    return run(entry, sig.leaves);
  }

  function lower(...args: unknown[]): Lowered {
    const backendName: Requested = backendOption ?? (autoBackend() ? "auto" : getBackend());
    const sig = signature(args, backendName);
    const cached = cache.get(sig.key);
    const jaxpr = cached?.jaxpr ?? traceFunction(sig, args, args.length).jaxpr;
    return {
      jaxpr,
      asText(dialect = "jaxpr") {
        if (dialect !== "jaxpr" && dialect !== "optimized" && dialect !== "js" && dialect !== "wgsl" && dialect !== "wasm") {
          throw new ArgumentError(`lower(...).asText: unknown dialect ${describeArgument(dialect)}.`,
            'The dialects are "jaxpr" (the traced program, the default), "optimized" (after the passes), "js" (generated CPU code), "wgsl" (WebGPU shaders) and "wasm" (the WebAssembly module as text).');
        }
        if (dialect === "jaxpr") return prettyPrint(jaxpr);
        if (dialect === "optimized") return prettyPrint(optimize(jaxpr.jaxpr));
        if (dialect === "wgsl") return wgslSource(jaxpr.jaxpr);
        if (dialect === "wasm") return wasmSource(jaxpr.jaxpr);
        const backend = cached?.backend ?? (backendName === "auto" ? autoBackendFor(jaxpr.jaxpr) : backendFor(backendName));
        const consts = jaxpr.consts.map((c) => bufferOn(c as NDArray, backend));
        const exe = (cached && !cached.prebuilt ? cached.executable : undefined) ?? backend.compile(jaxpr.jaxpr, consts);
        return exe.source ?? "(this backend did not generate source text)";
      },
    };
  }

  const jitted = call as unknown as Jitted<F>;
  Object.defineProperties(jitted, {
    name: { value: fnName, configurable: true },
    fn: { value: fn },
    stats: { value: stats },
    lower: { value: lower },
    cacheSize: { value: () => cache.size },
    clearCache: {
      value: () => {
        cache.clear();
        last = undefined;
      },
    },
  });
  return jitted;
}

/** Warned-about sites and reasons: an unusable prebuilt entry is reported once per site and reason. */
const prebuiltWarnings = new Set<string>();

function warnUnusablePrebuilt(fnName: string, site: string | undefined, reason: string): void {
  const key = `${site ?? fnName}|${reason}`;
  if (prebuiltWarnings.has(key)) return;
  prebuiltWarnings.add(key);
  console.warn(`tsjit: ignoring prebuilt kernels of jitted function '${fnName}'${site ? ` (${site})` : ""}: ${reason}. ` +
    "Its calls are traced at run time instead. Rebuild the program with this version of tsjit's transformer to prebuild them again.");
}

jit.config = config;
/** Implement `[jit.key]()` on a class to use its instances as static arguments. */
jit.key = keySymbol;

function stripName(d: string | undefined): string {
  if (d === undefined) return "(absent)";
  const m = /^[^ :=]+(?: = |: )(.*)$/.exec(d);
  return m ? m[1]! : d;
}

function describeStatic(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "function") return `function ${v.name || "<anonymous>"}`;
  if (typeof v === "object" && v !== null) {
    try {
      return JSON.stringify(v) ?? String(v);
    } catch {
      return String(v);
    }
  }
  return Object.is(v, -0) ? "-0" : String(v);
}

function bufferOn(a: NDArray, backend: Backend): unknown {
  if (!(a instanceof ConcreteArray)) throw new Error("internal: constant is not concrete");
  return a.bufferFor(backend);
}
