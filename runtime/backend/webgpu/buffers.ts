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
    if (bytes > this.device.maxBinding) {
      throw new BackendError(`An array of ${bytes} bytes exceeds this WebGPU device's maxStorageBufferBindingSize (${this.device.maxBinding} bytes).`,
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

export const bytesOf = (dtype: DType, size: number) => size * 4; // f32, i32, and bool as u32

export function allocate(device: DeviceState, bytes: number): GpuBuf {
  return { buffer: poolOf(device).take(bytes), bytes, device };
}

export function release(h: GpuBuf): void {
  if (h.freed) return;
  h.freed = true;
  if (!h.device.lost) poolOf(h.device).give(h.buffer);
}

/** Device words for host data (bools widen to u32). */
export function toWords(data: TypedArray, dtype: DType): Float32Array | Int32Array | Uint32Array {
  if (dtype === "bool") return Uint32Array.from(data as Uint8Array);
  return data as Float32Array | Int32Array | Uint32Array;
}

/**
 * Uploads into a fresh buffer mapped at creation: the bytes are in place before any queued
 * work could read it, and no pooled buffer still read by a queued program is overwritten.
 */
export function upload(device: DeviceState, data: TypedArray, dtype: DType): GpuBuf {
  const bytes = bytesOf(dtype, data.length);
  if (bytes > device.maxBinding) poolOf(device).take(bytes); // throws the size error
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
