// Concrete arrays: an aval plus a backend buffer. Immutable; garbage-collected.

import { NDArray } from "./ndarray.js";
import type { ShapedArray } from "../ir/aval.js";
import type { Backend } from "../backend/backend.js";
import type { TypedArray } from "../dtype.js";
import { formatArray, toNested } from "./format.js";
import { ArgumentError, ShapeError } from "../errors.js";
import { BackendError, type BackendName } from "../backend/backend.js";
import { backendFor } from "../backend/registry.js";

const registry = typeof FinalizationRegistry !== "undefined"
  ? new FinalizationRegistry<{ backend: Backend; buffer: unknown }>(({ backend, buffer }) => backend.free?.(buffer))
  : undefined;

export class ConcreteArray extends NDArray {
  private _buffer: unknown;
  /**
   * This array on another backend (uploaded on first use there, or made by devicePut, then
   * reused). It owns its buffer (freed at its own GC), and lives at least as long as this array.
   */
  // `declare`: no class field, so arrays that never move keep the constructor of before.
  private declare _mirror: ConcreteArray | undefined;
  /** Whether `_mirror` was handed out (by `to`): then it is not freed with this array. */
  private declare _mirrorShared: boolean | undefined;
  /** The value of a size-1 array made from host data (known without a device readback). */
  private declare _hostScalar: number | undefined;

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

  /** The cached copy on `backend`, if it is still usable. */
  private mirrorOn(backend: Backend): ConcreteArray | undefined {
    const m = this._mirror;
    if (m && m.backend === backend && m._buffer !== undefined && backend.isLive?.(m._buffer) !== false) return m;
    return undefined;
  }

  /**
   * This array's buffer on `backend`: its own, or a copy made once and cached on the array.
   * Synchronous, so the data must be in host memory (Backend.hostData): a device array moves
   * with `await devicePut(x, name)` first (it is then cached here too).
   */
  bufferFor(backend: Backend): unknown {
    if (backend === this.backend) return this.buffer;
    const m = this.mirrorOn(backend);
    if (m) return m._buffer;
    const source = this.backend;
    if (!source.hostData) {
      throw new BackendError(
        `A ${source.name} array (${this.aval.str}) cannot move to the ${backend.name} backend synchronously: its data is on the device, where reads are asynchronous.`,
        `Move it first: \`x = await devicePut(x, "${backend.name}")\` (or \`await x.to("${backend.name}")\`); the copy is cached, so later uses on ${backend.name} reuse it.`,
      );
    }
    this._mirror = new ConcreteArray(this.aval, backend.fromHost(source.hostData(this.buffer, this.aval), this.aval), backend);
    this._mirrorShared = false;
    return this._mirror._buffer;
  }

  /**
   * This array on backend `name` (JAX's device_put): itself if it is there, else a copy —
   * made once: it is cached on this array, so moving again, or using this array in a
   * function on that backend, reuses it. Reads a device asynchronously; never synchronously.
   */
  async to(name: BackendName): Promise<ConcreteArray> {
    const target = backendFor(name);
    if (target === this.backend) return this;
    const m = this.mirrorOn(target);
    if (m) {
      this._mirrorShared = true; // a copy bufferFor made is the caller's array from now on
      return m;
    }
    const data = this.backend.hostData ? this.backend.hostData(this.buffer, this.aval) : await this.backend.read(this.buffer, this.aval);
    const again = this.mirrorOn(target); // another move may have finished meanwhile
    if (again) {
      this._mirrorShared = true;
      return again;
    }
    this._mirror = new ConcreteArray(this.aval, target.fromHost(data, this.aval), target);
    this._mirrorShared = true;
    return this._mirror;
  }

  /** Records the host value of a size-1 array made from host data (np.array(3) on any backend). */
  rememberHostScalar(value: number): this {
    this._hostScalar = value;
    return this;
  }

  /**
   * The value of a size-1 array when the host knows it without waiting for a device: the
   * host data it was made from, or a read from a synchronous backend (its own buffer or a
   * mirror); undefined for a computed array on an asynchronous backend (webgpu). Never a
   * synchronous device readback (lax.foriLoop reads static bounds with it).
   */
  knownScalar(): number | undefined {
    if (this.aval.size !== 1) return undefined;
    if (this._hostScalar !== undefined) return this._hostScalar;
    if (this.backend.hostData) return this.backend.hostData(this.buffer, this.aval)[0];
    const m = this._mirror && this.mirrorOn(this._mirror.backend);
    return m?.backend.hostData ? m.backend.hostData(m._buffer, this.aval)[0] : undefined;
  }

  private freeMirror(): void {
    // A copy handed out by `to` may be in use as an array of its own: it is freed at its GC.
    if (this._mirror && !this._mirrorShared) this._mirror.dispose();
    this._mirror = undefined;
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
    // Host memory is ready as soon as it exists: nothing is read or copied.
    if (this.backend.ready) await this.backend.ready(this.buffer);
    else if (!this.backend.hostData) await this.backend.read(this.buffer, this.aval);
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
    if (!this.backend.hostData) return `NDArray(${this.aval.str}) on ${this.backend.name} (read it with await x.data())`;
    return formatArray(this.dataSync(), this.aval.concreteShape, this.aval.dtype);
  }

  /** console.log / util.inspect in Node. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}
