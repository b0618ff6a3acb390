// Device buffers: handles that may still be pending (their producer queued behind an
// asynchronous program, e.g. a while loop reading its predicate back), a size-bucketed
// pool that garbage collection feeds (FinalizationRegistry → free), uploads and readback.

import type { DType, TypedArray } from "../../dtype.js";
import { typedArrayFor } from "../../dtype.js";
import { BackendError } from "../backend.js";
import type { DeviceState } from "./device.js";

export interface GpuBuf {
  readonly buffer: GPUBuffer;
  /** Bytes of data (the buffer itself may be larger: pool buckets). */
  readonly bytes: number;
  readonly device: DeviceState;
  /** Settles when the program writing this buffer has been submitted; rejects if it failed. */
  pending?: Promise<void>;
  error?: unknown;
  freed?: boolean;
}

/** Pool misses (device buffers created for outputs), for tests of memory reuse. */
export const bufferStats = { created: 0 };

export const STORAGE_USAGE = () => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

/** Bucket sizes: multiples of 256 bytes up to 64 KiB, powers of two above (bounded waste, good reuse). */
function bucket(bytes: number): number {
  const b = Math.max(16, bytes);
  if (b <= 65536) return Math.ceil(b / 256) * 256;
  return 2 ** Math.ceil(Math.log2(b));
}

function sizeFor(bytes: number, device: DeviceState): number {
  return Math.max(Math.min(bucket(bytes), device.maxBinding), bytes);
}

const POOL_LIMIT = 256 * 1024 * 1024;

class Pool {
  private readonly free = new Map<number, GPUBuffer[]>();
  private pooledBytes = 0;
  constructor(readonly device: DeviceState) {}

  take(bytes: number): GPUBuffer {
    const size = sizeFor(bytes, this.device);
    if (bytes > this.device.maxBuffer) {
      throw new BackendError(`An array of ${bytes} bytes exceeds this WebGPU device's maxBufferSize (${this.device.maxBuffer} bytes).`,
        "Split the computation into smaller arrays, or run it on the cpu backend.");
    }
    const list = this.free.get(size);
    const hit = list?.pop();
    if (hit) {
      this.pooledBytes -= size;
      return hit;
    }
    bufferStats.created++;
    return this.device.device.createBuffer({ size, usage: STORAGE_USAGE() });
  }

  give(buffer: GPUBuffer): void {
    if (this.pooledBytes + buffer.size > POOL_LIMIT) {
      buffer.destroy();
      return;
    }
    let list = this.free.get(buffer.size);
    if (!list) this.free.set(buffer.size, (list = []));
    list.push(buffer);
    this.pooledBytes += buffer.size;
  }
}

const pools = new WeakMap<DeviceState, Pool>();

function poolOf(device: DeviceState): Pool {
  let p = pools.get(device);
  if (!p) pools.set(device, (p = new Pool(device)));
  return p;
}

/** Device bytes: 4 per element (bool as u32), 2 for float16, rounded up to whole words (copies move words). */
export const bytesOf = (dtype: DType, size: number) => (dtype === "float16" ? Math.ceil(size / 2) * 4 : size * 4);

/** float32 → float16 bits, round to nearest even (overflow to infinity, NaN kept). */
export function f16Bits(v: number): number {
  f32[0] = v;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    let m = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    if (rest > half || (rest === half && (m & 1))) m++;
    return sign | m;
  }
  let m = mant >>> 13;
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (m & 1))) {
    m++;
    if (m === 0x400) { m = 0; e++; }
    if (e >= 31) return sign | 0x7c00;
  }
  return sign | (e << 10) | m;
}

export function fromF16Bits(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >>> 10) & 0x1f, m = h & 0x3ff;
  if (e === 0) return sign * m * 2 ** -24;
  if (e === 31) return m ? NaN : sign * Infinity;
  return sign * (1 + m / 1024) * 2 ** (e - 15);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

export function allocate(device: DeviceState, bytes: number): GpuBuf {
  return { buffer: poolOf(device).take(bytes), bytes, device };
}

export function release(h: GpuBuf): void {
  if (h.freed) return;
  h.freed = true;
  if (!h.device.lost) poolOf(h.device).give(h.buffer);
}

/** Device words for host data (bools widen to u32). */
export function toWords(data: TypedArray, dtype: DType): Float32Array | Int32Array | Uint32Array | Uint16Array {
  if (dtype === "bool") return Uint32Array.from(data as Uint8Array);
  if (dtype === "float16") {
    const out = new Uint16Array(Math.ceil(data.length / 2) * 2);
    for (let i = 0; i < data.length; i++) out[i] = f16Bits(data[i]!);
    return out;
  }
  return data as Float32Array | Int32Array | Uint32Array;
}

/**
 * Uploads into a fresh buffer mapped at creation: the bytes are in place before any queued
 * work could read it, and no pooled buffer still read by a queued program is overwritten.
 */
export function upload(device: DeviceState, data: TypedArray, dtype: DType): GpuBuf {
  const bytes = bytesOf(dtype, data.length);
  if (bytes > device.maxBuffer) poolOf(device).take(bytes); // throws the size error
  const size = sizeFor(bytes, device);
  const buffer = device.device.createBuffer({ size, usage: STORAGE_USAGE(), mappedAtCreation: true });
  const words = toWords(data, dtype);
  new Uint8Array(buffer.getMappedRange()).set(new Uint8Array(words.buffer, words.byteOffset, words.byteLength));
  buffer.unmap();
  return { buffer, bytes, device };
}

export async function readBack(h: GpuBuf, dtype: DType, size: number): Promise<TypedArray> {
  if (h.pending) await h.pending;
  if (h.error !== undefined) throw h.error;
  const out = typedArrayFor(dtype, size);
  if (size === 0) return out;
  const { device } = h.device;
  if (h.device.lost) throw lostError(h.device);
  const staging = device.createBuffer({ size: h.bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  try {
    const enc = device.createCommandEncoder();
    enc.copyBufferToBuffer(h.buffer, 0, staging, 0, h.bytes);
    device.queue.submit([enc.finish()]);
    try {
      await staging.mapAsync(GPUMapMode.READ);
    } catch (e) {
      throw h.device.lost ? lostError(h.device) : new BackendError(`WebGPU readback failed: ${(e as Error).message}`);
    }
    const range = staging.getMappedRange();
    if (dtype === "bool") (out as Uint8Array).set(new Uint32Array(range));
    else if (dtype === "float16") {
      const halves = new Uint16Array(range);
      for (let i = 0; i < size; i++) out[i] = fromF16Bits(halves[i]!);
    }
    else new Uint8Array(out.buffer).set(new Uint8Array(range));
    staging.unmap();
  } finally {
    staging.destroy();
  }
  return out;
}

export function lostError(d: DeviceState): BackendError {
  return new BackendError(`The WebGPU device was lost (${d.lost}).`, 'Arrays on the lost device are gone; recompute them (the next call acquires a new device; or call `await init("webgpu")`).');
}
