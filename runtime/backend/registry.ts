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

/** A backend name, or "auto": each jitted program picks cpu or wasm when compiled (auto.ts). */
export type BackendChoice = BackendName | "auto";

function envDefault(): BackendName {
  const env = typeof process !== "undefined" ? process.env?.TSJIT_BACKEND : undefined;
  if (env === undefined || env === "") return "cpu";
  if (env === "auto") {
    auto = true;
    return "cpu";
  }
  if (!known.includes(env as BackendName)) {
    throw new ArgumentError(`TSJIT_BACKEND=${JSON.stringify(env)} is not a backend.`, `Use one of: ${known.join(", ")}, auto.`);
  }
  return env as BackendName;
}

/** Whether `name` is available here (the wasm backend: where WebAssembly with SIMD is). */
export function hasBackend(name: BackendName): boolean {
  return lookup(name) !== undefined;
}

/** The backend names this runtime has (prebuilt entries for others are ignored). */
export function knownBackends(): readonly BackendName[] {
  return known;
}

let current: BackendName | undefined;
/** setBackend("auto") / TSJIT_BACKEND=auto: jit picks cpu or wasm per program; eager ops use cpu. */
let auto = false;

function checkName(name: string): asserts name is BackendName {
  if (!known.includes(name as BackendName)) {
    throw new ArgumentError(`Unknown backend ${JSON.stringify(name)}.`, `Use one of: ${known.join(", ")}, auto.`);
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

/** The process default backend (in "auto" mode: cpu, where eager ops run). */
export function getBackend(): BackendName {
  return (current ??= envDefault());
}

/** Whether jitted functions without a `backend` option pick cpu or wasm per program ("auto"). */
export function autoBackend(): boolean {
  getBackend();
  return auto;
}

/**
 * Sets the process default backend. "auto": eager ops run on cpu, and each jitted program
 * without a `backend` option runs on cpu or wasm by the rule in auto.ts.
 */
export function setBackend(name: BackendChoice): void {
  if (name === "auto") {
    getBackend(); // TSJIT_BACKEND is still checked
    current = "cpu";
    auto = true;
    return;
  }
  checkName(name);
  backendFor(name);
  current = name;
  auto = false;
}

/** Acquires a backend's device up front (a no-op for cpu; required once before using webgpu). */
export async function init(name: BackendChoice = getBackend()): Promise<void> {
  if (name === "auto") return;
  checkName(name);
  await backendFor(name).init?.();
}
