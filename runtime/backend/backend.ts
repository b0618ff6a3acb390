// What a backend provides: buffers, readback, and compilation of a whole jaxpr into one
// executable. Fusion and passes are shared; each backend generates its own kernels.

import type { TypedArray } from "../dtype.js";
import type { ShapedArray } from "../ir/aval.js";
import type { Jaxpr } from "../ir/jaxpr.js";

export type BackendName = "cpu" | "webgpu";

/** A compiled jaxpr. `run` takes one buffer per invar (rank-0 invars also take JS numbers). */
export interface Executable {
  run(args: readonly unknown[]): unknown[];
  /** Generated source, for `lower(...).asText("js")` and the build-time specializer. */
  readonly source?: string;
}

export interface Backend {
  readonly name: BackendName;
  compile(jaxpr: Jaxpr, consts: readonly unknown[]): Executable;
  /** Wraps host data as a device buffer (the CPU backend keeps the typed array itself). */
  fromHost(data: TypedArray, aval: ShapedArray): unknown;
  readSync(buffer: unknown, aval: ShapedArray): TypedArray;
  read(buffer: unknown, aval: ShapedArray): Promise<TypedArray>;
  /** Frees a buffer early (dispose) or at garbage collection; absent where GC suffices. */
  free?(buffer: unknown): void;
}
