// The process-wide default backend: `setBackend`, `getBackend`, the TSJIT_BACKEND
// environment variable in Node, and `init` to acquire a device up front.

import { ArgumentError } from "../errors.js";
import type { Backend, BackendName } from "./backend.js";
import { cpuBackend } from "./cpu/index.js";
import { webgpuBackend } from "./webgpu/index.js";
import { wasmAvailable, wasmBackend } from "./wasm/index.js";

// The webgpu backend object is always present; its device is acquired by `init("webgpu")`
// (which loads the `webgpu` package in Node: nothing is loaded at import).
// The wasm backend is present where WebAssembly with SIMD is: probed on its first lookup,
// not at import (`import "tsjit"` is kept cheap: bench/import.ts).
const backends = new Map<BackendName, Backend>([["cpu", cpuBackend], ["webgpu", webgpuBackend]]);
let wasmProbed = false;

function lookup(name: BackendName): Backend | undefined {
  if (name === "wasm" && !wasmProbed) {
    wasmProbed = true;
    if (!backends.has("wasm") && wasmAvailable()) backends.set("wasm", wasmBackend);
  }
  return backends.get(name);
}
const known: readonly BackendName[] = ["cpu", "webgpu", "wasm"];

function envDefault(): BackendName {
  const env = typeof process !== "undefined" ? process.env?.TSJIT_BACKEND : undefined;
  if (env === undefined || env === "") return "cpu";
  if (!known.includes(env as BackendName)) {
    throw new ArgumentError(`TSJIT_BACKEND=${JSON.stringify(env)} is not a backend.`, `Use one of: ${known.join(", ")}.`);
  }
  return env as BackendName;
}

/** The backend names this runtime has (prebuilt entries for others are ignored). */
export function knownBackends(): readonly BackendName[] {
  return known;
}

let current: BackendName | undefined;

function checkName(name: string): asserts name is BackendName {
  if (!known.includes(name as BackendName)) {
    throw new ArgumentError(`Unknown backend ${JSON.stringify(name)}.`, `Use one of: ${known.join(", ")}.`);
  }
}

export function registerBackend(backend: Backend): void {
  backends.set(backend.name, backend);
}

/** The backend object for `name` (default: the process default). */
export function backendFor(name?: BackendName): Backend {
  const n = name ?? getBackend();
  const b = lookup(n);
  if (!b) {
    throw new ArgumentError(`The ${n} backend is not available in this build.`, `Use the cpu backend (setBackend("cpu")).`);
  }
  return b;
}

export function getBackend(): BackendName {
  return (current ??= envDefault());
}

export function setBackend(name: BackendName): void {
  checkName(name);
  backendFor(name);
  current = name;
}

/** Acquires a backend's device up front (a no-op for cpu; required once before using webgpu). */
export async function init(name: BackendName = getBackend()): Promise<void> {
  checkName(name);
  await backendFor(name).init?.();
}
