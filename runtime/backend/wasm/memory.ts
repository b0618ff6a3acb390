// The wasm backend's one linear memory and its allocator.
//
// Every module imports the same WebAssembly.Memory. Where SharedArrayBuffer exists the
// memory is `shared` (with a 2 GiB maximum, as shared memories need one), so worker
// threads can run kernels on it; a shared memory never detaches its views when it grows.
// Elsewhere it is an ordinary growable memory, whose old views detach on growth, so views
// are re-made from `memory.buffer` whenever its size changed and never kept across a grow.
//
// Buffers are byte ranges (`WasmBuffer`: offset, size). Allocation: free blocks are kept in
// exact-size bins (repeated calls reuse their previous blocks at once); a miss takes from
// the top; when the top would need the memory to grow, the free blocks are first merged
// with their neighbours and searched first-fit. Blocks are 16-byte aligned (v128 loads).

import { BackendError } from "../backend.js";
import { wasmApi, type WasmMemory } from "./api.js";

const PAGE = 65536;
const ALIGN = 16;
/** 2 GiB: offsets stay positive int32s. */
export const MAX_PAGES = 32768;

export class WasmBuffer {
  /** Set by `free` (dispose or GC); the bytes return to the arena once no dataSync view pins them. */
  released = false;
  /** Live zero-copy views returned by dataSync (shared memory only). */
  pins = 0;

  constructor(
    readonly offset: number,
    /** Bytes reserved (a multiple of 16). */
    readonly bytes: number,
  ) {}
}

// Buffers are freed by FinalizationRegistry when their arrays are collected, but V8 sees only
// the small JS objects, not the wasm bytes behind them, so without help it may not collect
// for gigabytes of wasm allocations. In Node the arena asks for a collection (gc, exposed at
// run time through node:v8/node:vm) after every `COLLECT_EVERY` bytes allocated; the freed
// buffers come back when the finalizers run, at the next turn of the event loop.
const COLLECT_EVERY = 128 * 2 ** 20;
let collect: (() => void) | undefined;
let collectPrepared = false;

function prepareCollect(): void {
  if (collectPrepared) return;
  collectPrepared = true;
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  if (!proc?.versions?.node) return;
  // Variable specifiers: bundlers for the browser must not try to resolve Node modules.
  const v8Name = "node:v8", vmName = "node:vm";
  void Promise.all([import(/* @vite-ignore */ v8Name), import(/* @vite-ignore */ vmName)])
    .then(([v8, vm]: [{ setFlagsFromString(flag: string): void }, { runInNewContext(code: string): unknown }]) => {
      v8.setFlagsFromString("--expose-gc");
      const gc = vm.runInNewContext("gc");
      if (typeof gc === "function") collect = gc as () => void;
    })
    .catch(() => undefined);
}

export class Arena {
  readonly memory: WasmMemory;
  readonly shared: boolean;
  private top = ALIGN; // offset 0 stays unused
  private bins = new Map<number, number[]>();
  private freeBytes = 0;
  private cached: ArrayBuffer | SharedArrayBuffer | undefined;
  private sinceCollect = 0;

  /** `shared`: defaults to whether SharedArrayBuffer exists (tests pass false for the other kind). */
  constructor(shared = typeof SharedArrayBuffer !== "undefined") {
    const api = wasmApi;
    if (!api) throw new BackendError("This JavaScript runtime has no WebAssembly.", 'Use the cpu backend (setBackend("cpu")).');
    this.shared = shared;
    let memory: WasmMemory;
    try {
      memory = new api.Memory({ initial: 16, maximum: MAX_PAGES, shared: this.shared });
    } catch {
      // A host that refuses a shared memory (or its reservation) gets an ordinary one.
      this.shared = false;
      memory = new api.Memory({ initial: 16, maximum: MAX_PAGES });
    }
    this.memory = memory;
    prepareCollect();
  }

  /**
   * The memory's current buffer. Only this arena grows the memory (kernels never do), so it
   * is re-read after each grow; reading `memory.buffer` costs ~0.4 µs on a shared memory.
   */
  get buffer(): ArrayBuffer | SharedArrayBuffer {
    return (this.cached ??= this.memory.buffer);
  }

  private views: Partial<Record<"f32" | "i32" | "u32" | "u8", Float32Array | Int32Array | Uint32Array | Uint8Array>> = {};

  /** A typed view of the whole memory (re-made after growth): cheaper than a new view per read. */
  view(kind: "f32"): Float32Array;
  view(kind: "i32"): Int32Array;
  view(kind: "u32"): Uint32Array;
  view(kind: "u8"): Uint8Array;
  view(kind: "f32" | "i32" | "u32" | "u8"): Float32Array | Int32Array | Uint32Array | Uint8Array {
    const v = this.views[kind];
    if (v) return v;
    const b = this.buffer;
    const made = kind === "f32" ? new Float32Array(b) : kind === "i32" ? new Int32Array(b) : kind === "u32" ? new Uint32Array(b) : new Uint8Array(b);
    this.views[kind] = made;
    return made;
  }

  alloc(size: number): WasmBuffer {
    const bytes = Math.max(ALIGN, Math.ceil(size / ALIGN) * ALIGN);
    const bin = this.bins.get(bytes);
    if (bin && bin.length) {
      this.freeBytes -= bytes;
      return new WasmBuffer(bin.pop()!, bytes);
    }
    if (this.top + bytes > this.buffer.byteLength && this.freeBytes >= bytes) {
      const offset = this.firstFit(bytes);
      if (offset !== undefined) return new WasmBuffer(offset, bytes);
    }
    const offset = this.top;
    this.ensure(offset + bytes);
    this.top = offset + bytes;
    this.allocated(bytes);
    return new WasmBuffer(offset, bytes);
  }

  private allocated(bytes: number): void {
    this.sinceCollect += bytes;
    if (this.sinceCollect < COLLECT_EVERY || !collect) return;
    this.sinceCollect = 0;
    collect();
  }

  release(b: WasmBuffer): void {
    let bin = this.bins.get(b.bytes);
    if (!bin) this.bins.set(b.bytes, (bin = []));
    bin.push(b.offset);
    this.freeBytes += b.bytes;
  }

  /** Bytes in use (allocated and not released): for tests and diagnostics. */
  get used(): number {
    return this.top - ALIGN - this.freeBytes;
  }

  private ensure(end: number): void {
    const have = this.buffer.byteLength;
    if (end <= have) return;
    const pages = have / PAGE;
    const need = Math.ceil(end / PAGE) - pages;
    const grow = Math.min(Math.max(need, Math.ceil(pages / 2)), MAX_PAGES - pages);
    if (grow < need) {
      throw new BackendError(`The wasm backend's memory is full: ${end} bytes needed, ${MAX_PAGES * PAGE} at most.`,
        "Arrays are freed when garbage-collected, between turns of the event loop: in a long synchronous loop, dispose() arrays you no longer need (or await between iterations), or use smaller arrays.");
    }
    this.memory.grow(grow);
    this.cached = this.memory.buffer;
    this.views = {};
  }

  /** Merges free neighbours (dropping a free block at the top) and takes the first block that fits. */
  private firstFit(bytes: number): number | undefined {
    const blocks: [number, number][] = [];
    for (const [size, offsets] of this.bins) for (const o of offsets) blocks.push([o, size]);
    blocks.sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const [o, s] of blocks) {
      const last = merged[merged.length - 1];
      if (last && last[0] + last[1] === o) last[1] += s;
      else merged.push([o, s]);
    }
    const tail = merged[merged.length - 1];
    if (tail && tail[0] + tail[1] === this.top) {
      this.top = tail[0];
      merged.pop();
    }
    this.bins = new Map();
    this.freeBytes = 0;
    let found: number | undefined;
    for (const [o, s] of merged) {
      if (found === undefined && s >= bytes) {
        found = o;
        if (s > bytes) this.release(new WasmBuffer(o + bytes, s - bytes));
      } else this.release(new WasmBuffer(o, s));
    }
    return found;
  }
}
