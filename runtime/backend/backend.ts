// What a backend provides: buffers, readback, and compilation of a whole jaxpr into one
// executable. Tracing, passes, fusion and the jit cache are shared; each backend generates
// its own kernels from the fused schedule (ir/fusion.ts) and owns its buffers.
//
// Execution may be asynchronous: `Executable.run` returns buffers at once, and a device
// backend fills them later (in queue order). Only `read` (and `ready`) wait for results.

import type { TypedArray } from "../dtype.js";
import type { ShapedArray } from "../ir/aval.js";
import type { Jaxpr } from "../ir/jaxpr.js";
import { TsjitError } from "../errors.js";

export type BackendName = "cpu" | "webgpu" | "wasm";

/** A device-side failure: no adapter, a shader that does not compile, a lost device. */
export class BackendError extends TsjitError {}

/** A compiled jaxpr. `run` takes one buffer per invar (rank-0 invars also take JS numbers). */
export interface Executable {
  run(args: readonly unknown[]): unknown[];
  /** Generated source, for `lower(...).asText(...)` and the build-time specializer. */
  readonly source?: string;
}

export interface Backend {
  readonly name: BackendName;
  compile(jaxpr: Jaxpr, consts: readonly unknown[]): Executable;
  /** Wraps host data as a device buffer (the CPU backend keeps the typed array itself). */
  fromHost(data: TypedArray, aval: ShapedArray): unknown;
  /**
   * The data of a buffer held in host memory, without copying or waiting (the cpu backend's
   * typed array itself; a backend that reuses that memory returns a copy). Arrays move off a
   * backend synchronously only through this; absent (device backends), a move is
   * `await devicePut(x, name)`, which reads asynchronously with `read`.
   */
  hostData?(buffer: unknown, aval: ShapedArray): TypedArray;
  /** Synchronous readback; a backend whose reads are asynchronous throws an error naming `await x.data()`. */
  readSync(buffer: unknown, aval: ShapedArray): TypedArray;
  read(buffer: unknown, aval: ShapedArray): Promise<TypedArray>;
  /** Resolves when the buffer's value is computed, without reading it back (default: `read`). */
  ready?(buffer: unknown): Promise<void>;
  /** Frees a buffer early (dispose) or at garbage collection; absent where GC suffices. */
  free?(buffer: unknown): void;
  /** False for a buffer that GC alone reclaims (no FinalizationRegistry entry needed; default true where `free` exists). */
  managed?(buffer: unknown): boolean;
  /** False for a buffer that died with its device (a cached copy is then made again). */
  isLive?(buffer: unknown): boolean;
  /** Acquires the device (`await init(name)`); absent where nothing needs acquiring. */
  init?(): Promise<void>;
  /**
   * Build time: this backend's part of a prebuilt entry for `jaxpr` (its consts are passed
   * to `loadPrebuilt` in constvar order), as JavaScript source of one expression that
   * evaluates without code generation at run time. Throws (with the reason) what it cannot
   * prebuild, e.g. symbolic sizes where the backend needs concrete ones.
   */
  prebuiltSource?(jaxpr: Jaxpr): string;
  /**
   * Run time: loads a payload written by `prebuiltSource` (evaluated by the module that
   * carries it) with its consts as this backend's buffers; returns the executable for one
   * binding of the guard's size variables (see jit/prebuilt.ts). No tracing.
   */
  loadPrebuilt?(payload: unknown, consts: readonly unknown[]): (dims: Readonly<Record<string, number>>) => Executable;
}
