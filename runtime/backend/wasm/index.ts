// The wasm backend: buffers live in one WebAssembly.Memory (memory.ts); a jaxpr is
// optimized, fused and compiled into one WebAssembly module (codegen.ts) whose `run`
// function takes every buffer's byte offset.
//
// Buffers: `WasmBuffer` handles (offset + size), or for arrays of at most 64 bytes a typed
// array on the JS heap (see SMALL). Outputs are allocated per call; temps and
// loop carries once per executable (returned to the arena when the executable is
// garbage-collected); arrays free theirs on dispose() or GC. Inputs from other backends
// are copied in once (the array caches the copy).
//
// dataSync(): with a shared memory (where SharedArrayBuffer exists), for arrays of more
// than 256 elements, it returns a view into wasm memory without copying — a shared memory's views never detach, and the view pins
// the bytes (they are not reused until both the array and every such view are
// garbage-collected, even after dispose()). With an ordinary memory, which detaches its
// views when it grows, and for small arrays (a copy is cheaper than pinning), dataSync()
// returns a copy.

import type { TypedArray, DType } from "../../dtype.js";
import type { ShapedArray } from "../../ir/aval.js";
import type { Jaxpr } from "../../ir/jaxpr.js";
import { optimize } from "../../ir/passes.js";
import { scheduleJaxpr, type Program } from "../../ir/fusion.js";
import { castScalar } from "../../dtype.js";
import { checkNoFloat16 } from "../cpu/index.js";
import { BackendError, type Backend, type Executable } from "../backend.js";
import { wasmApi, type WasmModule } from "./api.js";
import { generateModule, num, type GeneratedModule, type RunParam } from "./codegen.js";
import { FunctionBuilder, ModuleBuilder, moduleToText } from "./encoder.js";
import { importObject } from "./imports.js";
import { sortImports } from "./sort.js";
import { Arena, MAX_PAGES, WasmBuffer } from "./memory.js";
import { forMemory, fromBase64, memoryLimitsOffset, toBase64 } from "./module-bytes.js";
import { checkConcreteInputs, planText, readPlan } from "../prebuilt-plan.js";

export { WasmBuffer } from "./memory.js";

const VIEW: Record<DType, ViewKind> = { float32: "f32", float16: "f32", int32: "i32", uint32: "u32", bool: "u8" };

const ARRAY: Record<DType, { new (b: ArrayBufferLike, o: number, n: number): TypedArray; BYTES_PER_ELEMENT: number }> = {
  float32: Float32Array,
  float16: Float32Array,
  int32: Int32Array,
  uint32: Uint32Array,
  bool: Uint8Array,
};

let arenaInstance: Arena | undefined;

/** The backend's memory (created on first use). */
export function wasmArena(): Arena {
  return (arenaInstance ??= new Arena());
}

export function lowerForWasm(jaxpr: Jaxpr): Program {
  checkNoFloat16(jaxpr, "wasm");
  return scheduleJaxpr(optimize(jaxpr));
}

function generate(jaxpr: Jaxpr): { program: Program; gen: GeneratedModule } {
  const program = lowerForWasm(jaxpr);
  const arena = wasmArena();
  return { program, gen: generateModule(program, { shared: arena.shared, maximum: arena.shared ? MAX_PAGES : undefined }) };
}

/** The module a jaxpr compiles to, as text (`lower(...).asText("wasm")`). */
export function wasmSource(jaxpr: Jaxpr): string {
  return moduleToText(generate(jaxpr).gen.bytes);
}

const pins = typeof FinalizationRegistry !== "undefined"
  ? new FinalizationRegistry<WasmBuffer>((b) => {
      if (--b.pins === 0 && b.released) wasmArena().release(b);
    })
  : undefined;

const executables = typeof FinalizationRegistry !== "undefined"
  ? new FinalizationRegistry<WasmBuffer[]>((bs) => {
      for (const b of bs) wasmArena().release(b);
    })
  : undefined;

/** Arrays of at most this many elements are read by copying, even from a shared memory. */
const COPY_BELOW = 256;

/**
 * Buffers of at most this many bytes live on the JS heap as typed arrays (GC alone reclaims
 * them: no FinalizationRegistry entry, which costs microseconds per array); an executable
 * copies them into slots of its own in wasm memory when it runs.
 */
const SMALL = 64;

function freeBuffer(b: WasmBuffer): void {
  if (b.released) return;
  b.released = true;
  if (b.pins === 0) wasmArena().release(b);
}

function byteSize(dtype: DType, n: number): number {
  return n * ARRAY[dtype].BYTES_PER_ELEMENT;
}

function copyIn(data: TypedArray): WasmBuffer {
  const arena = wasmArena();
  const b = arena.alloc(data.byteLength);
  arena.view("u8").set(data instanceof Uint8Array ? data : new Uint8Array(data.buffer, data.byteOffset, data.byteLength), b.offset);
  return b;
}

/** A buffer's elements copied out of wasm memory into a new typed array. */
function copyToHost(b: WasmBuffer, aval: ShapedArray): TypedArray {
  const start = b.offset / ARRAY[aval.dtype].BYTES_PER_ELEMENT;
  return wasmArena().view(VIEW[aval.dtype] as "f32").slice(start, start + (aval.size as number));
}

function readScalar(b: WasmBuffer, dtype: DType): number {
  return wasmArena().view(VIEW[dtype] as "f32")[b.offset / ARRAY[dtype].BYTES_PER_ELEMENT]!;
}

function compile(jaxpr: Jaxpr, consts: readonly unknown[]): Executable {
  const { program, gen } = generate(jaxpr);
  return instantiate(gen.bytes, layoutOf(program, gen), consts);
}

/** What running a module needs besides its bytes: plain data (also a prebuilt payload's). */
interface Layout {
  readonly buffers: Program["buffers"];
  readonly outputs: Program["outputs"];
  readonly params: readonly RunParam[];
  /** The sort steps the module imports as `env.sort<i>` (sort.ts). */
  readonly sorts: GeneratedModule["sorts"];
  /** Scratch bytes for packed matmul operands (the module's `scratch` global). */
  readonly scratchBytes: number;
}

/** The layout of `program` compiled as `gen` (what `instantiate` needs besides the bytes). */
function layoutOf(program: Program, gen: GeneratedModule): Layout {
  return { buffers: program.buffers, outputs: program.outputs, params: gen.params, sorts: gen.sorts, scratchBytes: gen.scratchBytes };
}

type ViewKind = "f32" | "i32" | "u32" | "u8";

/** A small wasm-resident result copied out to a new host typed array of its dtype. */
function hostCopy(arena: Arena, o: { readonly dtype: DType; readonly view: ViewKind; readonly at: number; readonly n: number }): TypedArray {
  const v = arena.view(o.view as "f32");
  const out = new (ARRAY[o.dtype] as unknown as new (n: number) => TypedArray)(o.n);
  for (let k = 0; k < o.n; k++) out[k] = v[o.at + k]!;
  return out;
}

/**
 * Calls the module's `run` with the values in `vals`, without spreading an array per call
 * (a spread call is several times the cost of a direct one at these arities).
 */
function invoker(f: (...xs: number[]) => void, n: number): (vals: readonly number[]) => void {
  switch (n) {
    case 0: return () => f();
    case 1: return (v) => f(v[0]!);
    case 2: return (v) => f(v[0]!, v[1]!);
    case 3: return (v) => f(v[0]!, v[1]!, v[2]!);
    case 4: return (v) => f(v[0]!, v[1]!, v[2]!, v[3]!);
    case 5: return (v) => f(v[0]!, v[1]!, v[2]!, v[3]!, v[4]!);
    case 6: return (v) => f(v[0]!, v[1]!, v[2]!, v[3]!, v[4]!, v[5]!);
    case 7: return (v) => f(v[0]!, v[1]!, v[2]!, v[3]!, v[4]!, v[5]!, v[6]!);
    case 8: return (v) => f(v[0]!, v[1]!, v[2]!, v[3]!, v[4]!, v[5]!, v[6]!, v[7]!);
    default: return (v) => f(...v);
  }
}

function instantiate(bytes: Uint8Array, layout: Layout, consts: readonly unknown[]): Executable {
  const api = wasmApi!;
  const arena = wasmArena();
  let module: WasmModule;
  try {
    module = new api.Module(bytes);
  } catch (e) {
    throw new BackendError(`The wasm backend generated a module the engine rejected: ${(e as Error).message}`,
      'This is a tsjit bug; run the function on the cpu backend (jit(fn, { backend: "cpu" })) meanwhile.');
  }
  const instance = new api.Instance(module, { env: { memory: arena.memory, ...importObject(), ...sortImports(layout.sorts, () => arena.buffer) } });
  const wasmRun = instance.exports.run as (...xs: number[]) => void;

  // Temps, carries and the slots of small inputs/outputs live as long as the executable.
  const owned: WasmBuffer[] = [];
  const own = (bytes: number) => {
    const w = arena.alloc(bytes);
    owned.push(w);
    return w.offset;
  };
  const fixed = new Map<number, number>();
  // Scratch for the matmul's packed panels (matmul.ts), as long-lived as the temps.
  if (layout.scratchBytes > 0) (instance.exports.scratch as { value: number }).value = own(layout.scratchBytes);
  for (const b of layout.buffers) if (b.kind === "temp" || b.kind === "carry") fixed.set(b.id, own(byteSize(b.dtype, num(b.size))));
  // A small const given as a host array is copied in once.
  const constOffsets = consts.map((c) => (c instanceof WasmBuffer ? c.offset : (owned.push(copyIn(c as TypedArray)), owned[owned.length - 1]!.offset)));

  // The per-call plan, resolved at instantiation: every dtype's view kind and element index
  // precomputed, the small outputs and scalar slots listed apart (the cache-hit path is a
  // bench row: no per-call lookups, closures or spreads).
  type Plan =
    | { kind: 0; index: number; slot: number; view: ViewKind; at: number } // input buffer (slot: where a host-resident one is copied, or -1; at: its element index)
    | { kind: 1; offset: number } // const/temp/carry: fixed
    | { kind: 2; bytes: number; id: number; slot: number } // output buffer (slot ≥ 0: small, host-resident)
    | { kind: 3; index: number; dtype: DType } // scalar input
    | { kind: 4; slot: number }; // scalar output
  interface HostOut { readonly id: number; readonly output: number; readonly dtype: DType; readonly view: ViewKind; readonly at: number; readonly n: number }
  const smallOuts: HostOut[] = [];
  const scalarOuts: HostOut[] = [];
  const plan: Plan[] = layout.params.map((p: RunParam): Plan => {
    if (p.kind === "scalar") return { kind: 3, index: p.scalar.index, dtype: p.scalar.dtype };
    if (p.kind === "slot") {
      const slot = own(byteSize(p.dtype, 1));
      scalarOuts.push({ id: -1, output: p.output, dtype: p.dtype, view: VIEW[p.dtype], at: slot / ARRAY[p.dtype].BYTES_PER_ELEMENT, n: 1 });
      return { kind: 4, slot };
    }
    const b = p.buffer;
    const bytes = byteSize(b.dtype, num(b.size));
    switch (b.kind) {
      case "input": {
        const slot = bytes <= SMALL ? own(bytes) : -1;
        return { kind: 0, index: b.index, slot, view: VIEW[b.dtype], at: slot / ARRAY[b.dtype].BYTES_PER_ELEMENT };
      }
      case "const": return { kind: 1, offset: constOffsets[b.index]! };
      case "output": {
        const slot = bytes <= SMALL ? own(bytes) : -1;
        if (slot >= 0) smallOuts.push({ id: b.id, output: -1, dtype: b.dtype, view: VIEW[b.dtype], at: slot / ARRAY[b.dtype].BYTES_PER_ELEMENT, n: num(b.size) });
        return { kind: 2, bytes, id: b.id, slot };
      }
      default: return { kind: 1, offset: fixed.get(b.id)! };
    }
  });
  const nOut = layout.outputs.length;
  const outs = layout.outputs;
  const vals: number[] = new Array(plan.length).fill(0);
  const invoke = invoker(wasmRun, plan.length);
  const outBuffers: unknown[] = new Array(layout.buffers.length);
  // Outputs that must be copied so every returned array owns its bytes: an input, a const,
  // or a buffer returned twice (known when compiling).
  const copyOut = outs.map((o, i) => o.kind === "buffer" && (o.buffer.kind !== "output" || outs.slice(0, i).some((p) => p.kind === "buffer" && p.buffer.id === o.buffer.id)));
  // Const outputs' values, cast to their dtype once (each call returns a fresh array of it).
  const constValues = outs.map((o) => (o.kind === "const" ? castScalar(num(o.value), o.dtype) : 0));
  let temporaries: WasmBuffer[] | undefined;

  const run = (args: readonly unknown[]): unknown[] => {
    const result: unknown[] = new Array(nOut);
    for (let i = 0; i < plan.length; i++) {
      const p = plan[i]!;
      switch (p.kind) {
        case 0: {
          const a = args[p.index];
          if (a instanceof WasmBuffer) vals[i] = a.offset;
          else if (p.slot >= 0) {
            // A small host-resident buffer (≤ 16 elements): copied into this executable's slot.
            const src = a as TypedArray;
            const v = arena.view(p.view as "f32");
            for (let k = 0, at = p.at; k < src.length; k++) v[at + k] = src[k]!;
            vals[i] = p.slot;
          } else {
            const w = copyIn(a as TypedArray);
            (temporaries ??= []).push(w);
            vals[i] = w.offset;
          }
          break;
        }
        case 1: vals[i] = p.offset; break;
        case 2: {
          if (p.slot >= 0) vals[i] = p.slot;
          else {
            const w = arena.alloc(p.bytes);
            outBuffers[p.id] = w;
            vals[i] = w.offset;
          }
          break;
        }
        case 3: {
          const a = args[p.index];
          vals[i] = typeof a === "number" ? a : a instanceof WasmBuffer ? readScalar(a, p.dtype) : (a as TypedArray)[0]!;
          break;
        }
        case 4: vals[i] = p.slot; break;
      }
    }
    invoke(vals);
    // Small outputs leave wasm memory as host arrays (GC reclaims them; no registry entry).
    for (let i = 0; i < smallOuts.length; i++) {
      const o = smallOuts[i]!;
      outBuffers[o.id] = hostCopy(arena, o);
    }
    for (let i = 0; i < scalarOuts.length; i++) {
      const o = scalarOuts[i]!;
      result[o.output] = hostCopy(arena, o);
    }
    for (let i = 0; i < nOut; i++) {
      const o = outs[i]!;
      if (o.kind === "scalar") continue;
      if (o.kind === "const") {
        const host = new ARRAY[o.dtype](new ArrayBuffer(ARRAY[o.dtype].BYTES_PER_ELEMENT), 0, 1);
        host[0] = constValues[i]!;
        result[i] = host;
        continue;
      }
      const b = o.buffer;
      let w = b.kind === "output" ? outBuffers[b.id] : b.kind === "input" ? args[b.index] : consts[b.index];
      if (copyOut[i]) {
        if (w instanceof WasmBuffer) {
          const bytes = byteSize(b.dtype, num(b.size));
          const copy = bytes <= SMALL ? undefined : arena.alloc(bytes);
          if (copy) arena.view("u8").copyWithin(copy.offset, w.offset, w.offset + bytes);
          w = copy ?? arena.view("u8").slice(w.offset, w.offset + bytes);
          if (!(w instanceof WasmBuffer)) w = new ARRAY[b.dtype]((w as Uint8Array).buffer, 0, num(b.size));
        } else w = (w as TypedArray).slice();
      }
      result[i] = w;
    }
    if (temporaries) {
      for (const t of temporaries) arena.release(t);
      temporaries = undefined;
    }
    return result;
  };
  const exe: Executable = {
    run,
    get source() {
      return moduleToText(bytes);
    },
  };
  executables?.register(exe, owned);
  return exe;
}

export const wasmBackend: Backend = {
  name: "wasm",

  compile,

  fromHost(data: TypedArray): unknown {
    return data.byteLength <= SMALL ? data : copyIn(data);
  },

  readSync(buffer: unknown, aval: ShapedArray): TypedArray {
    if (!(buffer instanceof WasmBuffer)) return buffer as TypedArray;
    const b = buffer;
    const arena = wasmArena();
    const n = aval.size as number;
    // Small arrays are copied: cheaper than pinning a view (a FinalizationRegistry entry).
    if (!arena.shared || !pins || n <= COPY_BELOW) return copyToHost(b, aval);
    const view = new ARRAY[aval.dtype](arena.buffer, b.offset, n);
    b.pins++;
    pins.register(view, b);
    return view;
  },

  // Synchronous moves off wasm (Backend.hostData): always a copy, since the arena reuses memory.
  hostData(buffer: unknown, aval: ShapedArray): TypedArray {
    return buffer instanceof WasmBuffer ? copyToHost(buffer, aval) : (buffer as TypedArray);
  },

  read(buffer: unknown, aval: ShapedArray): Promise<TypedArray> {
    return Promise.resolve(wasmBackend.readSync(buffer, aval));
  },

  free(buffer: unknown): void {
    if (buffer instanceof WasmBuffer) freeBuffer(buffer);
  },

  managed(buffer: unknown): boolean {
    return buffer instanceof WasmBuffer;
  },

  /**
   * The module's bytes (base64, for a shared memory with a maximum: see module-bytes.ts) and
   * its layout: a prebuilt call only compiles and instantiates the module.
   */
  prebuiltSource(jaxpr: Jaxpr): string {
    checkConcreteInputs(jaxpr.invars, "wasm");
    const program = lowerForWasm(jaxpr);
    const gen = generateModule(program, { shared: true, maximum: MAX_PAGES });
    const layout = layoutOf(program, gen);
    return `{\n  module: "${toBase64(gen.bytes)}",\n  memoryLimitsAt: ${memoryLimitsOffset(gen.bytes)},\n  layout: ${planText(layout, "wasm")},\n}`;
  },

  loadPrebuilt(payload: unknown, consts: readonly unknown[]) {
    const p = payload as { module: string; memoryLimitsAt: number; layout: Layout };
    const layout = readPlan(p.layout);
    const exe = instantiate(forMemory(fromBase64(p.module), p.memoryLimitsAt, wasmArena().shared), layout, consts);
    return () => exe;
  },
};

/** A module using one v128 instruction (probes SIMD support). */
function probeBytes(): Uint8Array {
  const m = new ModuleBuilder();
  m.addFunction(new FunctionBuilder([], ["v128"]).i32(0).op("i32x4.splat"));
  return m.encode();
}

/** Whether this runtime can run the wasm backend (WebAssembly with SIMD). */
export function wasmAvailable(): boolean {
  if (!wasmApi) return false;
  return wasmApi.validate(probeBytes());
}

let compileAllowed: boolean | undefined;

/**
 * Whether this page may compile WebAssembly at all: a Content-Security-Policy without
 * 'wasm-unsafe-eval' lets `validate` pass but refuses `new WebAssembly.Module`.
 */
export function wasmCompileAllowed(): boolean {
  if (compileAllowed === undefined) {
    try {
      compileAllowed = wasmApi !== undefined && new wasmApi.Module(probeBytes()) !== undefined;
    } catch {
      compileAllowed = false;
    }
  }
  return compileAllowed;
}
