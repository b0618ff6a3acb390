// Array creation. JS numbers are float64 with no int/float distinction, so numeric data
// defaults to float32 (pass { dtype: "int32" } for integers); booleans give bool arrays.
// arange with integer arguments gives int32, as in JAX.

import { NDArray, type ArrayLike } from "../array/ndarray.js";
import { ConcreteArray } from "../array/concrete.js";
import { castScalar, isDType, typedArrayFor, type DType, type TypedArray } from "../dtype.js";
import { ArgumentError, ShapeError } from "../errors.js";
import { aval } from "../ir/aval.js";
import { Literal } from "../ir/jaxpr.js";
import * as p from "../primitives/index.js";
import { backendFor } from "../backend/registry.js";
import type { BackendName } from "../backend/backend.js";
import { bind1 } from "../trace/core.js";
import { shapeTuple, type Shape } from "../shape.js";
import { checkSize } from "../array/allocation.js";
import { describeValue, setTypedArrayLeaf } from "../trace/pytree.js";
import { SymDim, concreteDim, dimSub, type Dim } from "../symbolic.js";
import { add, equal, lessEqual, multiply, power, subtract, where } from "./elementwise.js";
import { astype, stack } from "./shape-ops.js";
import { asNDArray, broadcastTo as broadcastOperand } from "./operands.js";

export interface DTypeOption {
  dtype?: DType;
}
export interface ArrayOptions extends DTypeOption {
  /** Backend to place the array on (default: the process default). */
  backend?: BackendName;
}

/** Nested JS arrays of numbers/booleans, typed arrays, or arrays of NDArrays. */
export type ArrayData = number | boolean | TypedArray | Float64Array | NDArray | readonly ArrayData[];

function checkDType(op: string, dtype: DType | undefined): void {
  if (dtype !== undefined && !isDType(dtype)) {
    throw new ArgumentError(`np.${op}: unknown dtype ${JSON.stringify(dtype)}.`, "Use \"float32\", \"int32\" or \"bool\" (\"float16\" on webgpu).");
  }
}

function checkShape(op: string, shape: Shape | number): Dim[] {
  const s = typeof shape === "number" ? [shape] : [...shape];
  if (!s.every((d) => d instanceof SymDim || (Number.isInteger(d) && d >= 0))) {
    throw new ShapeError(`np.${op}: invalid shape ${shapeTuple(s)}.`, "Shapes are lists of non-negative integers known when the function is traced.");
  }
  checkSize(`np.${op}`, s);
  return s;
}

function fromHost(data: TypedArray, shape: Shape, dtype: DType, backend?: BackendName): ConcreteArray {
  const b = backendFor(backend);
  const a = aval(shape, dtype);
  const out = new ConcreteArray(a, b.fromHost(data, a), b);
  // An int32 scalar's host value stays known (a foriLoop bound on webgpu is read without a readback).
  return data.length === 1 && dtype === "int32" && b.ready !== undefined ? out.rememberHostScalar(data[0]!) : out;
}

function inferShape(data: ArrayData): number[] {
  // The shape is read along the first elements, then every element is checked against it.
  const shape: number[] = [];
  for (let d: unknown = data; Array.isArray(d); d = d[0]) {
    shape.push(d.length);
    if (d.length === 0) break;
  }
  const check = (d: unknown, depth: number): void => {
    const ok = depth === shape.length ? !Array.isArray(d) : Array.isArray(d) && d.length === shape[depth];
    if (!ok) throw new ShapeError("np.array: ragged nested sequences are not arrays.", "Every row must have the same length.");
    if (depth < shape.length) for (const e of d as unknown[]) check(e, depth + 1);
  };
  check(data, 0);
  return shape;
}

/** An array from JS data. Numbers default to float32, booleans to bool. */
export function array(data: ArrayData, opts: ArrayOptions = {}): NDArray {
  checkDType("array", opts.dtype);
  if (data instanceof NDArray) return opts.dtype && opts.dtype !== data.dtype ? astype(data, opts.dtype) : data;
  if (ArrayBuffer.isView(data)) {
    const typed = data as TypedArray | Float64Array;
    const dtype = opts.dtype ?? typedArrayDType(typed, "np.array: a");
    if (typed instanceof BigInt64Array || typed instanceof BigUint64Array || typed instanceof DataView) {
      throw new ArgumentError(`np.array: ${describeValue(typed)} is not supported.`, "Convert it to a Float32Array or an Int32Array first.");
    }
    const out = typedArrayFor(dtype, typed.length);
    for (let i = 0; i < typed.length; i++) out[i] = castScalar(typed[i]!, dtype);
    return fromHost(out, [typed.length], dtype, opts.backend);
  }
  if (Array.isArray(data) && data.some((d) => d instanceof NDArray)) {
    return stack(data.map((d) => array(d as ArrayData, opts)));
  }
  const shape = inferShape(data);
  const flat: (number | boolean)[] = Array.isArray(data) ? (data as unknown[]).flat(Infinity) as (number | boolean)[] : [data as number | boolean];
  let dtype = opts.dtype;
  if (!dtype) dtype = flat.length > 0 && flat.every((v) => typeof v === "boolean") ? "bool" : "float32";
  const out = typedArrayFor(dtype, flat.length);
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    if (typeof v !== "number" && typeof v !== "boolean") {
      throw new ArgumentError(`np.array: element ${i} is ${describeValue(v)}, not a number or boolean.`,
        "Pass (nested) arrays of numbers or booleans, typed arrays, or NDArrays.");
    }
    out[i] = castScalar(v, dtype);
  }
  return fromHost(out, shape, dtype, opts.backend);
}

export const asarray = array;

/**
 * The dtype np.array gives a typed array: Int32Array → int32, Uint8Array refused as
 * ambiguous (bytes or booleans), any other (Float64Array included) → float32.
 */
function typedArrayDType(typed: ArrayBufferView, what: string): DType {
  if (typed instanceof Int32Array) return "int32";
  if (typed instanceof Uint32Array) return "uint32";
  if (typed instanceof Uint8Array) {
    throw new ArgumentError(`${what} Uint8Array is ambiguous (bytes or booleans).`, "Pass np.array(data, { dtype: \"bool\" }) or np.array(data, { dtype: \"int32\" }).");
  }
  return "float32";
}

// A typed array passed to a jitted function is the 1-D array np.array makes of it.
setTypedArrayLeaf((data, what) => {
  typedArrayDType(data, `${what}: a`);
  if (data instanceof DataView || data instanceof BigInt64Array || data instanceof BigUint64Array) {
    throw new ArgumentError(`${what} is ${describeValue(data)}, which is not an array of numbers tsjit supports.`,
      "Pass a Float32Array, an Int32Array, or np.array(...).");
  }
  return array(data as TypedArray);
});

/**
 * An array of `shape` filled with `value` (float32 for numbers, bool for booleans). An array
 * value — traced or not — is broadcast to `shape`, keeping its dtype (and weak type) unless
 * `dtype` is given, as in JAX.
 */
export function full(shape: Shape | number, value: ArrayLike, opts: DTypeOption = {}): NDArray {
  checkDType("full", opts.dtype);
  const s = checkShape("full", shape);
  if (value instanceof NDArray) {
    const v = opts.dtype ? astype(value, opts.dtype) : value;
    return asNDArray(broadcastOperand("full", v, s));
  }
  if (typeof value !== "number" && typeof value !== "boolean") {
    throw new ArgumentError(`np.full: the fill value must be a number, a boolean or an array, got ${value === null ? "null" : typeof value}.`,
      "Pass a scalar (np.full([2, 3], 0.5)) or an array that broadcasts to the shape.");
  }
  const dtype = opts.dtype ?? (typeof value === "boolean" ? "bool" : "float32");
  const lit = new Literal(castScalar(value, dtype), aval([], dtype));
  return bind1(p.broadcastInDim, [lit], { shape: s, broadcast_dimensions: [] });
}

// The shape is checked under the caller's name first, so errors say np.zeros, not np.full.
export const zeros = (shape: Shape | number, opts: DTypeOption = {}) => (checkShape("zeros", shape), full(shape, 0, opts));
export const ones = (shape: Shape | number, opts: DTypeOption = {}) => (checkShape("ones", shape), full(shape, 1, opts));

export function fullLike(x: NDArray, value: ArrayLike, opts: DTypeOption = {}): NDArray {
  return full(x.shape, value, { dtype: opts.dtype ?? x.dtype });
}
export const zerosLike = (x: NDArray, opts: DTypeOption = {}) => fullLike(x, 0, opts);
export const onesLike = (x: NDArray, opts: DTypeOption = {}) => fullLike(x, 1, opts);

function iota(dtype: DType, shape: readonly Dim[], dimension: number): NDArray {
  return bind1(p.iota, [], { dtype, shape, dimension });
}

/** Evenly spaced values in [start, stop): arange(stop), arange(start, stop, step?). */
export function arange(start: number, stop?: number, step = 1, opts: DTypeOption = {}): NDArray {
  checkDType("arange", opts.dtype);
  if (stop === undefined) [start, stop] = [0, start];
  if ((stop as unknown) instanceof SymDim || (start as unknown) instanceof SymDim) return symbolicArange(start, stop, step, opts.dtype);
  for (const v of [start, stop, step]) {
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new ArgumentError(`np.arange: bounds must be finite numbers known at trace time, got ${String(v)}.`,
        "arange's length is part of the array's shape, so it cannot depend on a traced value.");
    }
  }
  if (step === 0) throw new ArgumentError("np.arange: step must not be zero.");
  const dtype = opts.dtype ?? (Number.isInteger(start) && Number.isInteger(stop) && Number.isInteger(step) ? "int32" : "float32");
  const n = Math.max(0, Math.ceil((stop - start) / step));
  checkSize("np.arange", [n]);
  const base = dtype === "int32" ? "int32" : "float32";
  let out: NDArray = iota(base, [n], 0);
  if (step !== 1) out = multiply(out, step);
  if (start !== 0) out = add(out, start);
  return out.dtype === dtype ? out : astype(out, dtype);
}

/** arange over a symbolic size (x.shape[0]) while tracing for a prebuilt kernel: integer steps of 1 only. */
function symbolicArange(start: Dim, stop: Dim, step: number, dtype: DType | undefined): NDArray {
  if (typeof start !== "number" || !Number.isInteger(start) || step !== 1) concreteDim(stop, "np.arange's bound");
  const out = iota("int32", [dimSub(stop, start)], 0);
  const shifted = start === 0 ? out : add(out, start as number);
  return dtype && dtype !== "int32" ? astype(shifted, dtype) : shifted;
}

export interface LinspaceOptions extends DTypeOption {
  endpoint?: boolean;
}

/** `num` evenly spaced values from start to stop (inclusive unless endpoint: false). */
export function linspace(start: number, stop: number, num = 50, opts: LinspaceOptions = {}): NDArray {
  checkDType("linspace", opts.dtype);
  if (!Number.isInteger(num) || num < 0) throw new ArgumentError(`np.linspace: num must be a non-negative integer, got ${num}.`);
  checkSize("np.linspace", [num]);
  const endpoint = opts.endpoint ?? true;
  const dtype = opts.dtype ?? "float32";
  const div = endpoint ? num - 1 : num;
  const delta = div > 0 ? (stop - start) / div : 0;
  const i = iota("float32", [num], 0);
  let out = add(multiply(i, delta), start);
  if (endpoint && num > 1) out = where(equal(i, num - 1), stop, out);
  return dtype === "float32" ? out : astype(out, dtype);
}

/** Ones on the k-th diagonal of an n×m matrix. */
export function eye(n: number, m?: number | null, k?: number | (DTypeOption & { k?: number }), opts?: DTypeOption): NDArray;
export function eye(n: number, m?: number | null, kOrOpts: number | (DTypeOption & { k?: number }) = {}, dtypeOpts: DTypeOption = {}): NDArray {
  // NumPy's eye(N, M, k, dtype): k positional or (as before) in the options.
  const opts: DTypeOption & { k?: number } = typeof kOrOpts === "number" ? { ...dtypeOpts, k: kOrOpts } : { ...kOrOpts, ...dtypeOpts };
  if (m === null || m === undefined) m = n;
  checkDType("eye", opts.dtype);
  checkShape("eye", [n, m]);
  const k = opts.k ?? 0;
  if (!Number.isInteger(k)) throw new ArgumentError(`np.eye: k must be an integer, got ${k}.`);
  const rows = iota("int32", [n, m], 0);
  const cols = iota("int32", [n, m], 1);
  return astype(equal(k === 0 ? rows : add(rows, k), cols), opts.dtype ?? "float32");
}

/** The n×n identity matrix. */
export function identity(n: number, opts: DTypeOption = {}): NDArray {
  checkDType("identity", opts.dtype);
  checkShape("identity", [n]);
  return eye(n, n, opts);
}

/** Ones at and below the k-th diagonal of an n×m matrix, zeros elsewhere. */
export function tri(n: number, m: number = n, k = 0, opts: DTypeOption = {}): NDArray {
  checkDType("tri", opts.dtype);
  checkShape("tri", [n, m]);
  if (!Number.isInteger(k)) throw new ArgumentError(`np.tri: k must be an integer, got ${k}.`);
  const rows = iota("int32", [n, m], 0);
  const cols = iota("int32", [n, m], 1);
  return astype(lessEqual(subtract(cols, rows), k), opts.dtype ?? "float32");
}

export interface LogspaceOptions extends LinspaceOptions {
  /** The base of the exponents (default 10). */
  base?: number;
}

/** `num` values base**t for t evenly spaced from start to stop (JAX's logspace). */
export function logspace(start: number, stop: number, num = 50, opts: LogspaceOptions = {}): NDArray {
  checkDType("logspace", opts.dtype);
  const base = opts.base ?? 10;
  if (typeof base !== "number") throw new ArgumentError(`np.logspace: base must be a number, got ${typeof base}.`);
  const out = power(base, linspace(start, stop, num, { endpoint: opts.endpoint }));
  return opts.dtype && opts.dtype !== "float32" ? astype(out, opts.dtype) : out;
}

/**
 * `num` values in geometric progression from start to stop (both nonzero, of one sign);
 * the endpoints are exact.
 */
export function geomspace(start: number, stop: number, num = 50, opts: LinspaceOptions = {}): NDArray {
  checkDType("geomspace", opts.dtype);
  if (start === 0 || stop === 0) throw new ArgumentError(`np.geomspace: start and stop must be nonzero, got ${start} and ${stop}.`, "A geometric sequence cannot include 0.");
  if (Math.sign(start) !== Math.sign(stop)) {
    throw new ArgumentError(`np.geomspace: start (${start}) and stop (${stop}) must have the same sign.`, "Complex results are not supported.");
  }
  if (!Number.isInteger(num) || num < 0) throw new ArgumentError(`np.geomspace: num must be a non-negative integer, got ${num}.`);
  const sign = Math.sign(start);
  const endpoint = opts.endpoint ?? true;
  let out = multiply(logspace(Math.log10(Math.abs(start)), Math.log10(Math.abs(stop)), num, { endpoint }), sign);
  const i = iota("int32", [num], 0);
  if (num > 0) out = where(equal(i, 0), start, out);
  if (num > 1 && endpoint) out = where(equal(i, num - 1), stop, out);
  return opts.dtype && opts.dtype !== "float32" ? astype(out, opts.dtype) : out;
}
