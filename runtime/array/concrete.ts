// Concrete arrays: an aval plus a backend buffer. Immutable; garbage-collected.

import { NDArray } from "./ndarray.js";
import type { ShapedArray } from "../ir/aval.js";
import type { Backend } from "../backend/backend.js";
import type { TypedArray } from "../dtype.js";
import { formatArray, toNested } from "./format.js";
import { ArgumentError, ShapeError } from "../errors.js";

const registry = typeof FinalizationRegistry !== "undefined"
  ? new FinalizationRegistry<{ backend: Backend; buffer: unknown }>(({ backend, buffer }) => backend.free?.(buffer))
  : undefined;

export class ConcreteArray extends NDArray {
  private _buffer: unknown;
  /** A copy of the data on another backend (uploaded on first use there, then reused). */
  // `declare`: no class field, so arrays that never move keep the constructor of before.
  private declare _mirror: { backend: Backend; buffer: unknown } | undefined;

  constructor(
    readonly aval: ShapedArray,
    buffer: unknown,
    readonly backend: Backend,
  ) {
    super();
    this._buffer = buffer;
    if (backend.free && registry && backend.managed?.(buffer) !== false) registry.register(this, { backend, buffer }, this);
  }

  get buffer(): unknown {
    if (this._buffer === undefined) {
      throw new ArgumentError(`This ${this.aval.str} array was disposed and can no longer be used.`, "Do not use an array after calling dispose() on it (dispose is optional: arrays are garbage-collected).");
    }
    return this._buffer;
  }

  /** This array's buffer on `backend`: its own, or a copy made once and cached on the array. */
  bufferFor(backend: Backend): unknown {
    if (backend === this.backend) return this.buffer;
    const m = this._mirror;
    if (m && m.backend === backend && backend.isLive?.(m.buffer) !== false) return m.buffer;
    // Moving off an asynchronous backend needs `await x.data()`: readSync says so.
    const buffer = backend.fromHost(this.backend.readSync(this.buffer, this.aval), this.aval);
    // A replaced mirror (a third backend) is still registered: it is freed at GC.
    this._mirror = { backend, buffer };
    if (backend.free && registry && backend.managed?.(buffer) !== false) registry.register(this, { backend, buffer }, this);
    return buffer;
  }

  private freeMirror(): void {
    const m = this._mirror;
    this._mirror = undefined;
    if (m?.backend.free) m.backend.free(m.buffer);
  }

  dataSync(): TypedArray {
    return this.backend.readSync(this.buffer, this.aval);
  }

  data(): Promise<TypedArray> {
    try {
      return this.backend.read(this.buffer, this.aval);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  protected readItem(): number | boolean {
    if (this.aval.size !== 1) {
      throw new ShapeError(`item() needs an array of size 1, got shape ${this.aval.str}.`, "Reduce it first (x.sum(), x.max()) or index one element (x.slice(0)).");
    }
    const v = this.dataSync()[0]!;
    return this.aval.dtype === "bool" ? v !== 0 : v;
  }

  protected readList(): unknown {
    return toNested(this.dataSync(), this.aval.concreteShape, this.aval.dtype);
  }

  async blockUntilReady(): Promise<this> {
    if (this.backend.ready) await this.backend.ready(this.buffer);
    else await this.backend.read(this.buffer, this.aval);
    return this;
  }

  dispose(): void {
    if (this._buffer === undefined) return;
    registry?.unregister(this);
    if (this.backend.free) this.backend.free(this._buffer);
    this.freeMirror();
    this._buffer = undefined;
  }

  [Symbol.toPrimitive](hint: string): number | string {
    if (hint === "string") return this.toString();
    if (this.aval.size !== 1) {
      throw new ShapeError(`Only size-1 arrays can be converted to JS numbers; this one has shape ${this.aval.str}.`,
        "Read the data with x.dataSync() or x.tolist(), or reduce to one element first.");
    }
    return this.dataSync()[0]!;
  }

  override toString(): string {
    if (this.backend.ready) return `NDArray(${this.aval.str}) on ${this.backend.name} (read it with await x.data())`;
    return formatArray(this.dataSync(), this.aval.concreteShape, this.aval.dtype);
  }

  /** console.log / util.inspect in Node. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}
