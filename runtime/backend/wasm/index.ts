// The wasm backend: buffers live in one WebAssembly.Memory (memory.ts); a jaxpr is
// optimized, fused and compiled into one WebAssembly module (codegen.ts) whose `run`
// function takes every buffer's byte offset.
//
// Buffers: `WasmBuffer` handles (offset + size). Outputs are allocated per call; temps and
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
import { DTypeError } from "../../errors.js";
import { BackendError, type Backend, type Executable } from "../backend.js";
import { wasmApi, type WasmModule } from "./api.js";
import { generateModule, num, type GeneratedModule, type RunParam } from "./codegen.js";
import { FunctionBuilder, ModuleBuilder, moduleToText } from "./encoder.js";
import { importObject } from "./imports.js";
import { Arena, MAX_PAGES, WasmBuffer } from "./memory.js";
import { forMemory, fromBase64, memoryLimitsOffset, toBase64 } from "./module-bytes.js";
import { checkConcreteInputs, planText, readPlan } from "../prebuilt-plan.js";

export { WasmBuffer } from "./memory.js";

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

function checkDTypes(jaxpr: Jaxpr): void {
  const all = [...jaxpr.invars, ...jaxpr.constvars, ...jaxpr.eqns.flatMap((e) => e.outputs)];
  if (all.some((v) => v.aval.dtype === "float16")) {
    throw new DTypeError("The wasm backend has no float16 arrays.", 'Use float32, or run on webgpu (jit(fn, { backend: "webgpu" })).');
  }
}

export function lowerForWasm(jaxpr: Jaxpr): Program {
  checkDTypes(jaxpr);
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
  new Uint8Array(arena.buffer, b.offset, data.byteLength).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return b;
}

function readScalar(b: WasmBuffer, dtype: DType): number {
  return new ARRAY[dtype](wasmArena().buffer, b.offset, 1)[0]!;
}

function compile(jaxpr: Jaxpr, consts: readonly unknown[]): Executable {
  const { program, gen } = generate(jaxpr);
  return instantiate(gen.bytes, program, gen.params, consts);
}

/** What running a module needs besides its bytes: plain data (also a prebuilt payload's). */
interface Layout {
  readonly buffers: Program["buffers"];
  readonly outputs: Program["outputs"];
  readonly params: readonly RunParam[];
}

/** The executable of a module (generated now, or prebuilt) for `program`'s buffers and outputs. */
function instantiate(bytes: Uint8Array, program: Pick<Program, "buffers" | "outputs">, params: readonly RunParam[], consts: readonly unknown[]): Executable {
  const gen = { bytes, params };
  const api = wasmApi!;
  const arena = wasmArena();
  let module: WasmModule;
  try {
    module = new api.Module(gen.bytes);
  } catch (e) {
    throw new BackendError(`The wasm backend generated a module the engine rejected: ${(e as Error).message}`,
      'This is a tsjit bug; run the function on the cpu backend (jit(fn, { backend: "cpu" })) meanwhile.');
  }
  const instance = new api.Instance(module, { env: { memory: arena.memory, ...importObject() } });
  const wasmRun = instance.exports.run as (...xs: number[]) => void;

  // Temps and carries live as long as the executable.
  const owned: WasmBuffer[] = [];
  const fixed = new Map<number, number>();
  for (const b of program.buffers) {
    if (b.kind !== "temp" && b.kind !== "carry") continue;
    const w = arena.alloc(byteSize(b.dtype, num(b.size)));
    owned.push(w);
    fixed.set(b.id, w.offset);
  }
  const constOffsets = consts.map((c) => (c as WasmBuffer).offset);

  type Plan =
    | { kind: 0; index: number } // input buffer
    | { kind: 1; offset: number } // const/temp/carry: fixed
    | { kind: 2; bytes: number; id: number } // output buffer
    | { kind: 3; index: number; dtype: DType } // scalar input
    | { kind: 4; output: number; bytes: number }; // scalar output slot
  const plan: Plan[] = gen.params.map((p: RunParam): Plan => {
    if (p.kind === "scalar") return { kind: 3, index: p.scalar.index, dtype: p.scalar.dtype };
    if (p.kind === "slot") return { kind: 4, output: p.output, bytes: byteSize(p.dtype, 1) };
    const b = p.buffer;
    switch (b.kind) {
      case "input": return { kind: 0, index: b.index };
      case "const": return { kind: 1, offset: constOffsets[b.index]! };
      case "output": return { kind: 2, bytes: byteSize(b.dtype, num(b.size)), id: b.id };
      default: return { kind: 1, offset: fixed.get(b.id)! };
    }
  });
  const nOut = program.outputs.length;
  const outs = program.outputs;
  const vals: number[] = new Array(plan.length).fill(0);
  const outBuffers: (WasmBuffer | undefined)[] = new Array(program.buffers.length);
  // Outputs that must be copied so every returned array owns its bytes: an input, a const,
  // or a buffer returned twice (known when compiling).
  const copyOut = outs.map((o, i) => o.kind === "buffer" && (o.buffer.kind !== "output" || outs.slice(0, i).some((p) => p.kind === "buffer" && p.buffer.id === o.buffer.id)));
  let temporaries: WasmBuffer[] | undefined;
  const inputBuffer = (args: readonly unknown[], i: number): WasmBuffer => {
    const a = args[i];
    if (a instanceof WasmBuffer) return a;
    // A typed array handed in directly (not through an array): copied in for this call.
    const w = copyIn(a as TypedArray);
    (temporaries ??= []).push(w);
    return w;
  };

  const run = (args: readonly unknown[]): unknown[] => {
    const result: unknown[] = new Array(nOut);
    for (let i = 0; i < plan.length; i++) {
      const p = plan[i]!;
      switch (p.kind) {
        case 0: vals[i] = inputBuffer(args, p.index).offset; break;
        case 1: vals[i] = p.offset; break;
        case 2: {
          const w = arena.alloc(p.bytes);
          outBuffers[p.id] = w;
          vals[i] = w.offset;
          break;
        }
        case 3: {
          const a = args[p.index];
          vals[i] = typeof a === "number" ? a : a instanceof WasmBuffer ? readScalar(a, p.dtype) : (a as TypedArray)[0]!;
          break;
        }
        case 4: {
          const w = arena.alloc(p.bytes);
          result[p.output] = w;
          vals[i] = w.offset;
          break;
        }
      }
    }
    wasmRun(...vals);
    for (let i = 0; i < nOut; i++) {
      const o = outs[i]!;
      if (o.kind === "scalar") continue;
      if (o.kind === "const") {
        const w = arena.alloc(byteSize(o.dtype, 1));
        new ARRAY[o.dtype](arena.buffer, w.offset, 1)[0] = castScalar(num(o.value), o.dtype);
        result[i] = w;
        continue;
      }
      const b = o.buffer;
      let w = b.kind === "output" ? outBuffers[b.id]! : b.kind === "input" ? inputBuffer(args, b.index) : (consts[b.index] as WasmBuffer);
      if (copyOut[i]) {
        const bytes = byteSize(b.dtype, num(b.size));
        const copy = arena.alloc(bytes);
        new Uint8Array(arena.buffer).copyWithin(copy.offset, w.offset, w.offset + bytes);
        w = copy;
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
      return moduleToText(gen.bytes);
    },
  };
  executables?.register(exe, owned);
  return exe;
}

export const wasmBackend: Backend = {
  name: "wasm",

  compile,

  fromHost(data: TypedArray): unknown {
    return copyIn(data);
  },

  readSync(buffer: unknown, aval: ShapedArray): TypedArray {
    const b = buffer as WasmBuffer;
    const arena = wasmArena();
    const n = aval.size as number;
    const view = new ARRAY[aval.dtype](arena.buffer, b.offset, n);
    // Small arrays are copied: cheaper than pinning a view (a FinalizationRegistry entry).
    if (!arena.shared || !pins || n <= COPY_BELOW) return view.slice();
    b.pins++;
    pins.register(view, b);
    return view;
  },

  read(buffer: unknown, aval: ShapedArray): Promise<TypedArray> {
    return Promise.resolve(wasmBackend.readSync(buffer, aval));
  },

  free(buffer: unknown): void {
    freeBuffer(buffer as WasmBuffer);
  },

  /**
   * The module's bytes (base64, for a shared memory with a maximum: see module-bytes.ts) and
   * its layout: a prebuilt call only compiles and instantiates the module.
   */
  prebuiltSource(jaxpr: Jaxpr): string {
    checkConcreteInputs(jaxpr.invars, "wasm");
    const program = lowerForWasm(jaxpr);
    const gen = generateModule(program, { shared: true, maximum: MAX_PAGES });
    const layout: Layout = { buffers: program.buffers, outputs: program.outputs, params: gen.params };
    return `{\n  module: "${toBase64(gen.bytes)}",\n  memoryLimitsAt: ${memoryLimitsOffset(gen.bytes)},\n  layout: ${planText(layout, "wasm")},\n}`;
  },

  loadPrebuilt(payload: unknown, consts: readonly unknown[]) {
    const p = payload as { module: string; memoryLimitsAt: number; layout: Layout };
    const layout = readPlan(p.layout);
    const exe = instantiate(forMemory(fromBase64(p.module), p.memoryLimitsAt, wasmArena().shared), layout, layout.params, consts);
    return () => exe;
  },
};

/** Whether this runtime can run the wasm backend (WebAssembly with SIMD). */
export function wasmAvailable(): boolean {
  if (!wasmApi) return false;
  // A module using one v128 instruction.
  const m = new ModuleBuilder();
  m.addFunction(new FunctionBuilder([], ["v128"]).i32(0).op("i32x4.splat"));
  return wasmApi.validate(m.encode());
}
