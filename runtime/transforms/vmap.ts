// vmap(f, { inAxes, outAxes }): JAX's conventions — axes are a number, null (not batched) or
// a pytree prefix of the arguments/outputs; unbatched outputs are broadcast along outAxes.

import { NDArray } from "../array/ndarray.js";
import { ArgumentError, ShapeError } from "../errors.js";
import { aval } from "../ir/aval.js";
import { Literal } from "../ir/jaxpr.js";
import { flatten, isPlainObject, unflatten, type Leaf, type TreeDef } from "../trace/pytree.js";
import type { Operand } from "../trace/core.js";
import { shapeTuple } from "../shape.js";
import { vmapFlat, batchAt0, type BDim } from "./batching.js";
import { avalOf, broadcastInDim, moveAxis } from "./ops.js";

type AnyFn = (...args: any[]) => any; // eslint-disable-line @typescript-eslint/no-explicit-any
export type AxisSpec = number | null | readonly AxisSpec[] | { readonly [key: string]: AxisSpec };

export interface VmapOptions {
  /** Batch axis of each argument: a number or null for all, or one entry (a pytree prefix) per argument. */
  inAxes?: AxisSpec;
  /** Where the batch axis goes in the outputs (a number, null for unbatched, or a pytree prefix). */
  outAxes?: AxisSpec;
}

/** One axis per leaf of `value`, expanding the prefix `spec`. */
function leafAxes(who: string, spec: AxisSpec | undefined, value: unknown, path: string, out: BDim[]): void {
  if (spec === null || typeof spec === "number") {
    const leaves: Leaf[] = [];
    flatten(value, leaves, `${who} at '${path}'`);
    for (let i = 0; i < leaves.length; i++) out.push(spec);
    return;
  }
  if (Array.isArray(spec) && Array.isArray(value) && spec.length === value.length) {
    spec.forEach((s, i) => leafAxes(who, s, value[i], `${path}[${i}]`, out));
    return;
  }
  if (isPlainObject(spec) && isPlainObject(value)) {
    const keys = Object.keys(value).sort();
    const sk = Object.keys(spec).sort();
    if (keys.length === sk.length && keys.every((k, i) => k === sk[i])) {
      for (const k of keys) leafAxes(who, (spec as Record<string, AxisSpec>)[k], value[k], path ? `${path}.${k}` : k, out);
      return;
    }
  }
  throw new ArgumentError(`${who}: the axis specification ${JSON.stringify(spec)} does not match the structure of the value at '${path || "(root)"}'.`,
    "inAxes/outAxes must be a number, null, or a pytree prefix of the arguments (one entry per argument, same keys).");
}

function normalize(who: string, axis: number, rank: number, where: string): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new ArgumentError(`${who}: axis ${axis} is out of range for ${where} of rank ${rank}.`, `Use an axis in [-${rank}, ${rank - 1}] or null.`);
  }
  return axis < 0 ? axis + rank : axis;
}

export function vmap<F extends AnyFn>(f: F, options: VmapOptions = {}): (...args: Parameters<F>) => any { // eslint-disable-line @typescript-eslint/no-explicit-any
  if (typeof f !== "function") throw new ArgumentError(`vmap needs a function, got ${typeof f}.`);
  const who = `vmap(${f.name || "<anonymous>"})`;
  const inSpec = options.inAxes === undefined ? 0 : options.inAxes;
  const outSpec = options.outAxes === undefined ? 0 : options.outAxes;
  return (...args: unknown[]) => {
    const spec = inSpec;
    if (Array.isArray(spec) && spec.length !== args.length) {
      throw new ArgumentError(`${who}: inAxes has ${spec.length} entries but the function was called with ${args.length} arguments.`,
        "Give one inAxes entry per positional argument (null for arguments that are not batched).");
    }
    const dims: BDim[] = [];
    const leaves: Leaf[] = [];
    const paths: string[] = [];
    const tree = flatten(args, leaves, `the arguments of ${who}`, paths);
    leafAxes(who, spec, args, "", dims);
    let size: number | undefined;
    let sizeAt = "";
    const operands: Operand[] = leaves.map((l, i) => {
      const d = dims[i]!;
      if (d === null) return l as Operand; // unbatched JS numbers reach f unchanged
      if (!(l instanceof NDArray)) {
        throw new ArgumentError(`${who}: argument ${paths[i]} is a JS ${typeof l}, which has no axis ${d} to map over.`, "Give it inAxes null, or pass an array.");
      }
      const nd = normalize(who, d, l.ndim, `argument ${paths[i]} (shape ${shapeTuple(l.shape)})`);
      dims[i] = nd;
      const n = l.shape[nd]!;
      if (size === undefined) {
        size = n;
        sizeAt = `${paths[i]} (shape ${shapeTuple(l.shape)}, axis ${nd})`;
      } else if (size !== n) {
        throw new ShapeError(`${who} got inconsistent sizes for the mapped axis: ${sizeAt} has size ${size} but ${paths[i]} (shape ${shapeTuple(l.shape)}, axis ${nd}) has size ${n}.`,
          "Every batched argument needs the same size along its inAxes axis.");
      }
      return l;
    });
    if (size === undefined) {
      throw new ArgumentError(`${who}: vmap must have at least one non-null value in inAxes.`, "Batch at least one array argument.");
    }
    const n = size;
    let outTree: TreeDef | undefined;
    const [outs, outDims] = vmapFlat(who, (xs) => {
      const call = unflatten(tree, xs) as unknown[];
      const result = f(...call);
      const outLeaves: Leaf[] = [];
      outTree = flatten(result, outLeaves, `the output of ${who}`);
      return outLeaves.map((l) => (typeof l === "number" ? new Literal(l, aval([], "float32", true)) : typeof l === "boolean" ? new Literal(+l, aval([], "bool")) : l));
    }, operands, dims, n);
    const outValue = unflatten(outTree!, outs.map((o) => o));
    const want: BDim[] = [];
    leafAxes(who, outSpec, outValue, "", want);
    const final = outs.map((o, i) => {
      const d = outDims[i]!, w = want[i]!;
      if (w === null) {
        if (d !== null) throw new ArgumentError(`${who}: outAxes is null for output ${i}, but it depends on the batched inputs.`, "Give that output a batch axis in outAxes.");
        return o instanceof Literal ? broadcastInDim(o, [], []) : o;
      }
      const rank = avalOf(o).ndim + (d === null ? 1 : 0);
      const target = normalize(who, w, rank, `output ${i}`);
      return moveAxis(batchAt0(o, d, n), 0, target) as NDArray;
    });
    return unflatten(outTree!, final);
  };
}
