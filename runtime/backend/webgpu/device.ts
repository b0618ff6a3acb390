// Acquiring a WebGPU device: `navigator.gpu` in browsers; in Node the `webgpu` npm package
// (Dawn), loaded on demand so the runtime has no hard dependency on it. Dawn crashes if
// the object returned by `create()` is garbage-collected while devices live, so it is kept
// on globalThis for the life of the process.

import { BackendError } from "../backend.js";

export const INSTALL_HINT =
  "In Node: npm install --save-exact webgpu@0.6.2, and a Vulkan driver: on Debian bookworm " +
  "enable the bookworm-backports suite of your Debian mirror (a 'deb <mirror> bookworm-backports main' line in " +
  "/etc/apt/sources.list.d/) and run apt-get install -t bookworm-backports mesa-vulkan-drivers (lavapipe; " +
  "the repository's scripts/setup-webgpu.sh does both steps). " +
  "In a browser: a WebGPU-enabled one (Chromium with --enable-unsafe-webgpu headless).";

export interface DeviceState {
  readonly device: GPUDevice;
  readonly hasF16: boolean;
  /** maxStorageBufferBindingSize: the most bytes one shader binding sees (larger arrays are bound in ranges). */
  readonly maxBinding: number;
  /** maxBufferSize: the largest array the device holds. */
  readonly maxBuffer: number;
  /** Set when the device is lost; the next use re-creates it. */
  lost: string | undefined;
}

const KEEP = Symbol.for("tsjit.webgpu.gpu");

async function getGpu(): Promise<GPU> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return nav.gpu;
  const kept = (globalThis as Record<symbol, GPU | undefined>)[KEEP];
  if (kept) return kept;
  let mod: { create(flags: string[]): GPU; globals: Record<string, unknown> };
  try {
    // A variable specifier keeps bundlers from resolving the optional package.
    const name = "webgpu";
    mod = (await import(/* @vite-ignore */ name)) as typeof mod;
  } catch (e) {
    throw new BackendError(`The webgpu backend found no WebGPU implementation (loading the 'webgpu' package failed: ${(e as Error).message}).`, INSTALL_HINT);
  }
  // GPUBufferUsage, GPUMapMode, ... as globals, as in a browser.
  for (const [k, v] of Object.entries(mod.globals)) if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v;
  const gpu = mod.create([]);
  (globalThis as Record<symbol, GPU>)[KEEP] = gpu;
  return gpu;
}

let state: DeviceState | undefined;
let pending: Promise<DeviceState> | undefined;

/** The current device, acquiring (or re-acquiring after a loss) one. */
export function acquireDevice(): Promise<DeviceState> {
  if (state && !state.lost) return Promise.resolve(state);
  pending ??= (async () => {
    try {
      const gpu = await getGpu();
      const adapter = await gpu.requestAdapter();
      if (!adapter) {
        throw new BackendError("The webgpu backend found no GPU adapter.", INSTALL_HINT);
      }
      const hasF16 = adapter.features.has("shader-f16");
      const device = await adapter.requestDevice({
        requiredFeatures: hasF16 ? ["shader-f16"] : [],
        requiredLimits: {
          maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
          maxBufferSize: adapter.limits.maxBufferSize,
        },
      });
      const s: DeviceState = {
        device, hasF16, maxBinding: device.limits.maxStorageBufferBindingSize, maxBuffer: device.limits.maxBufferSize, lost: undefined,
      };
      void device.lost.then((info) => {
        s.lost = `${info.reason}: ${info.message}`;
      });
      state = s;
      return s;
    } finally {
      pending = undefined;
    }
  })();
  return pending;
}

/** The device for synchronous work (compile, upload); `init("webgpu")` must have acquired it. */
export function currentDevice(): DeviceState {
  if (!state) {
    throw new BackendError("The webgpu backend has no device yet.", 'Call `await init("webgpu")` once before using the webgpu backend.');
  }
  if (state.lost) {
    const why = state.lost;
    state = undefined;
    void acquireDevice().catch(() => undefined);
    throw new BackendError(`The WebGPU device was lost (${why}).`, 'Arrays on the lost device are gone; recompute them. A new device is being acquired (or call `await init("webgpu")` again).');
  }
  return state;
}

export function hasDevice(): boolean {
  return state !== undefined && !state.lost;
}
