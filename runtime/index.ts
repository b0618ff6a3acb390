// tsjit: JAX's jit for TypeScript.

import "./primitives/index.js";
import "./trace/eval.js";
export { np } from "./np/index.js";
export { lax, type ScanOptions } from "./control/index.js";
// randomnn: random, nn, tree namespaces.
export * as random from "./random/index.js";
export * as nn from "./nn/index.js";
export * as tree from "./tree/index.js";
export { NDArray, type ArrayLike, type Axis, type IndexEntry, type ItemOf, type NestedArray, type NestedList, type ReduceOptions } from "./array/ndarray.js";
export { jit, config, type JitOptions, type JitSiteMeta, type JitStats, type Jitted, type Lowered } from "./jit/jit.js";
export { grad, valueAndGrad, vjp, jvp, jacfwd, jacrev, hessian, vmap, type GradOptions, type JacOptions, type VjpOptions, type VmapOptions } from "./transforms/index.js";
export { makeJaxpr } from "./jit/make-jaxpr.js";
export { asJitted, jitDeclaration } from "./jit/declaration.js";
export { setBackend, getBackend, init, type BackendChoice } from "./backend/registry.js";
export { devicePut } from "./array/device-put.js";
/** Threads the wasm backend may use for large matmuls (Node worker_threads; default 1, or TSJIT_THREADS). */
export { setThreads, getThreads } from "./backend/wasm/threads.js";
export { BackendError, type BackendName } from "./backend/backend.js";
export type { DType, TypedArray } from "./dtype.js";
export {
  ArgumentError,
  ConcretizationTypeError,
  DTypeError,
  NonHashableStaticArgError,
  NotDifferentiableError,
  RecompileError,
  ResourceExhaustedError,
  ShapeError,
  TracerArrayConversionError,
  TracerBoolConversionError,
  TracerIntegerConversionError,
  TsjitError,
  UnexpectedTracerError,
} from "./errors.js";
