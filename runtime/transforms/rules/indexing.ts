// JVP, transpose and batching rules of the data-dependent indexing primitives
// (dynamic_slice, dynamic_update_slice, gather, scatter) and the integer shifts. JAX's
// slicing.py rules are the model: dynamic_slice transposes to a dynamic_update_slice into
// zeros, gather to a scatter-add, scatter-add to a gather. Indices never get a tangent.
// Batched indices are expressed with the same primitives plus an iota index for the batch
// axis, so a vmapped gather/scatter is one bigger gather/scatter.

import { NotDifferentiableError } from "../../errors.js";
import type { ShapedArray } from "../../ir/aval.js";
import * as p from "../../primitives/index.js";
import type { ScatterMode } from "../../primitives/indexing.js";
import { bind, bind1, type Operand } from "../../trace/core.js";
import { avalOf, broadcastInDim, iota, lit, moveAxis, reshape, select, zeros } from "../ops.js";
import { batchAt0, unbatchedAval, type BDim } from "../batching.js";
import { isLinear, type LinearIn } from "../transpose.js";
import { batchRules, elementwiseRule } from "./batch.js";
import { jvpRules } from "./jvp.js";
import { transposeRules } from "./transpose.js";


const typeOf = (x: LinearIn): ShapedArray => (isLinear(x) ? x.aval : avalOf(x));
const int = (v: number) => lit(v, "int32");
const clamp = (i: Operand, lo: number, hi: number): Operand => bind1(p.min, [bind1(p.max, [i, int(lo)]), int(hi)]);
const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);

// --- JVP ----------------------------------------------------------------------------------

jvpRules.set("dynamic_slice", ([x, ...starts], [t], params) => {
  const out = bind1(p.dynamicSlice, [x!, ...starts], params);
  return [[out], [t === null ? null : bind1(p.dynamicSlice, [t, ...starts], params)]];
});

jvpRules.set("dynamic_update_slice", ([x, u, ...starts], [tx, tu]) => {
  const out = bind1(p.dynamicUpdateSlice, [x!, u!, ...starts]);
  if (tx === null && tu === null) return [[out], [null]];
  return [[out], [bind1(p.dynamicUpdateSlice, [tx ?? zeros(avalOf(x!)), tu ?? zeros(avalOf(u!)), ...starts])]];
});

jvpRules.set("gather", ([x, ...indices], [t], params) => {
  const out = bind1(p.gather, [x!, ...indices], params);
  return [[out], [t === null ? null : bind1(p.gather, [t, ...indices], params)]];
});

jvpRules.set("scatter", ([x, u, ...indices], [tx, tu], params) => {
  const mode = params.mode as ScatterMode;
  const out = bind1(p.scatter, [x!, u!, ...indices], params);
  if (tx === null && tu === null) return [[out], [null]];
  // set and add are linear in (operand, updates) jointly: the tangent is the same scatter.
  if (mode === "set" || mode === "add") {
    return [[out], [bind1(p.scatter, [tx ?? zeros(avalOf(x!)), tu ?? zeros(avalOf(u!)), ...indices], params)]];
  }
  // out = x * prod(updates at each position): linear in x alone, with the same factor.
  if (mode === "mul" && tu === null) return [[out], [bind1(p.scatter, [tx!, u!, ...indices], params)]];
  if (mode === "min" || mode === "max") return [[out], [extremalTangent(x!, u!, indices, params.axes as number[], out, tx, tu)]];
  throw new NotDifferentiableError(
    "scatter mul is not differentiable yet with respect to its updates (x.at(...).multiply(v), differentiated in v).",
    "Differentiate .multiply only with respect to the array, or write the update as x.at(i).set(x.slice(i) * v).",
  );
});

/**
 * scatter min/max: each output takes the tangent of what won there, averaged over ties
 * between the operand and the winning updates (JAX's convention for extrema):
 * (tx * kept + scatter_add(tu * won)) / (kept + #won), kept = x == out, won = u == out at its index.
 */
function extremalTangent(x: Operand, u: Operand, indices: readonly Operand[], axes: readonly number[], out: Operand, tx: Operand | null, tu: Operand | null): Operand {
  const xa = avalOf(x), ua = avalOf(u);
  const asFloat = (m: Operand, a: ShapedArray) => bind1(p.convertElementType, [m], { new_dtype: a.dtype, weak_type: false });
  const kept = asFloat(bind1(p.eq, [x, out]), xa);
  const wonMask = bind1(p.and, [bind1(p.eq, [u, bind1(p.gather, [out, ...indices], { axes })]), overUpdates(inRange(indices, axes, xa.shape), ua)]);
  const won = asFloat(wonMask, ua);
  const addAt = (base: Operand, upd: Operand) => bind1(p.scatter, [base, upd, ...indices], { axes, mode: "add" });
  const count = addAt(kept, won);
  const fromX = tx === null ? null : bind1(p.mul, [tx, kept]);
  const fromU = tu === null ? null : addAt(zeros(xa.strong()), bind1(p.mul, [tu, won]));
  const sum = fromX === null ? fromU! : fromU === null ? fromX : bind1(p.add, [fromX, fromU]);
  return bind1(p.div, [sum, count]);
}

for (const prim of [p.shiftLeft, p.shiftRightLogical, p.shiftRightArithmetic]) {
  // Integer-valued: the tangent is zero (JAX's float0).
  jvpRules.set(prim.name, (primals, _t, params) => {
    const outs = bind(prim, primals, params);
    return [outs, outs.map(() => null)];
  });
}

// --- transpose ----------------------------------------------------------------------------

const known = (xs: readonly LinearIn[], what: string): Operand[] => xs.map((x) => {
  if (isLinear(x)) throw new Error(`internal: ${what} is not linear in its indices`);
  return x;
});

transposeRules.set("dynamic_slice", ([ct], [x, ...starts]) => {
  const s = known(starts, "dynamic_slice");
  return [bind1(p.dynamicUpdateSlice, [zeros(typeOf(x!)), ct!, ...s]), ...s.map(() => null)];
});

transposeRules.set("dynamic_update_slice", ([ct], [x, u, ...starts]) => {
  const s = known(starts, "dynamic_update_slice");
  const ua = typeOf(u!);
  return [
    isLinear(x!) ? bind1(p.dynamicUpdateSlice, [ct!, zeros(ua), ...s]) : null,
    isLinear(u!) ? bind1(p.dynamicSlice, [ct!, ...s], { slice_sizes: ua.shape }) : null,
    ...s.map(() => null),
  ];
});

/** Indices as gather reads them (clamped into range), so a scatter writes where the gather read. */
const clampedIndices = (indices: readonly Operand[], axes: readonly number[], shape: ShapedArray["shape"]) =>
  indices.map((ix, k) => clamp(ix, 0, (shape[axes[k]!] as number) - 1));

transposeRules.set("gather", ([ct], [x, ...indices], { axes }) => {
  const ix = known(indices, "gather");
  const xa = typeOf(x!);
  const ax = axes as number[];
  const g = bind1(p.scatter, [zeros(xa.strong()), ct!, ...clampedIndices(ix, ax, xa.shape)], { axes: ax, mode: "add" });
  return [g, ...ix.map(() => null)];
});

/** Broadcasts an index-shaped mask over the updates' trailing (operand) axes. */
function overUpdates(mask: Operand, ua: ShapedArray): Operand {
  const m = avalOf(mask);
  return m.ndim === ua.ndim ? mask : broadcastInDim(mask, ua.shape, range(m.ndim));
}

/** Which update elements land in the operand (scatter drops out-of-range indices). */
function inRange(indices: readonly Operand[], axes: readonly number[], shape: ShapedArray["shape"]): Operand {
  let mask: Operand | null = null;
  indices.forEach((ix, k) => {
    const ok = bind1(p.and, [bind1(p.ge, [ix, int(0)]), bind1(p.lt, [ix, int(shape[axes[k]!] as number)])]);
    mask = mask === null ? ok : bind1(p.and, [mask, ok]);
  });
  return mask!;
}

/** Which update elements survive a `set` scatter: in range and last among duplicates (row-major). */
function survivors(indices: readonly Operand[], axes: readonly number[], xa: ShapedArray, ua: ShapedArray): Operand {
  const n = ua.shape.reduce<number>((a, b) => a * (b as number), 1);
  const ids = reshape(iota([n], 0), ua.shape);
  const none = broadcastInDim(int(-1), xa.shape, []);
  const winner = bind1(p.scatter, [none, ids, ...indices], { axes, mode: "set" });
  return bind1(p.eq, [bind1(p.gather, [winner, ...indices], { axes }), ids]);
}

transposeRules.set("scatter", ([ct], [x, u, ...indices], params) => {
  const ix = known(indices, "scatter");
  const { axes, mode } = params as { axes: number[]; mode: ScatterMode };
  const xa = typeOf(x!), ua = typeOf(u!);
  const none = ix.map(() => null);
  const readBack = (mask: Operand) => select(mask, zeros(ua.strong()), bind1(p.gather, [ct!, ...ix], { axes }));
  if (mode === "add") {
    return [isLinear(x!) ? ct! : null, isLinear(u!) ? readBack(overUpdates(inRange(ix, axes, xa.shape), ua)) : null, ...none];
  }
  if (mode === "set") {
    return [
      isLinear(x!) ? bind1(p.scatter, [ct!, zeros(ua.strong()), ...ix], params) : null,
      isLinear(u!) ? readBack(survivors(ix, axes, xa, ua)) : null,
      ...none,
    ];
  }
  if (mode === "mul" && !isLinear(u!)) return [bind1(p.scatter, [ct!, u as Operand, ...ix], params), null, ...none];
  throw new Error(`internal: scatter ${mode} is not linear in the updates`);
});

// --- batching -----------------------------------------------------------------------------

const at0 = (x: Operand, d: BDim) => (d === null ? x : moveAxis(x, d, 0));

/** Per-row start positions as index arrays over `outShape` = [size, ...block]: clamped start + offset. */
function blockIndices(starts: readonly Operand[], dims: readonly BDim[], n: ShapedArray["shape"], block: readonly number[], outShape: number[]): Operand[] {
  return starts.map((s, d) => {
    const c = clamp(at0(s, dims[d]!), 0, (n[d] as number) - block[d]!);
    const wide = broadcastInDim(c, outShape, dims[d] === null ? [] : [0]);
    return bind1(p.add, [wide, iota(outShape, d + 1)]);
  });
}

batchRules.set("dynamic_slice", ([x, ...starts], [dx, ...ds], params, size) => {
  const sizes = params.slice_sizes as number[];
  if (ds.every((d) => d === null)) {
    return [[bind1(p.dynamicSlice, [at0(x!, dx!), int(0), ...starts], { slice_sizes: [size, ...sizes] })], [0]];
  }
  // Per-row starts: a gather reading each row's block (plus the row itself when x is batched).
  const row = unbatchedAval(avalOf(x!), dx!);
  const outShape = [size, ...sizes];
  const ix = blockIndices(starts, ds, row.shape, sizes, outShape);
  const axes = dx === null ? range(row.ndim) : range(row.ndim + 1);
  const all = dx === null ? ix : [iota(outShape, 0), ...ix];
  return [[bind1(p.gather, [at0(x!, dx!), ...all], { axes })], [0]];
});

batchRules.set("dynamic_update_slice", ([x, u, ...starts], [dx, du, ...ds], _params, size) => {
  const xb = batchAt0(x!, dx!, size), ub = batchAt0(u!, du!, size);
  if (ds.every((d) => d === null)) return [[bind1(p.dynamicUpdateSlice, [xb, ub, int(0), ...starts])], [0]];
  // Per-row starts: a set-scatter of each row's block; clamped indices never collide within a row.
  const ua = avalOf(ub);
  const outShape = ua.shape as number[];
  const ix = blockIndices(starts, ds, avalOf(xb).shape.slice(1), outShape.slice(1), outShape);
  return [[bind1(p.scatter, [xb, ub, iota(outShape, 0), ...ix], { axes: range(ix.length + 1), mode: "set" })], [0]];
});

batchRules.set("gather", ([x, ...indices], [dx, ...ds], { axes }, size) => {
  const ax = axes as number[];
  if (ds.every((d) => d === null)) {
    // The batch axis is the operand's first non-indexed axis: it follows the index axes.
    return [[bind1(p.gather, [at0(x!, dx!), ...indices], { axes: ax.map((a) => a + 1) })], [avalOf(indices[0]!).ndim]];
  }
  const ix = indices.map((v, k) => batchAt0(v, ds[k]!, size));
  if (dx === null) return [[bind1(p.gather, [x!, ...ix], { axes: ax })], [0]];
  const rows = iota(avalOf(ix[0]!).shape as number[], 0);
  return [[bind1(p.gather, [moveAxis(x!, dx!, 0), rows, ...ix], { axes: [0, ...ax.map((a) => a + 1)] })], [0]];
});

batchRules.set("scatter", ([x, u, ...indices], [dx, du, ...ds], params, size) => {
  const ax = params.axes as number[];
  const xb = batchAt0(x!, dx!, size);
  if (ds.every((d) => d === null)) {
    // Updates are (index axes, operand's other axes): the batch axis goes after the index axes.
    const ub = moveAxis(batchAt0(u!, du!, size), 0, avalOf(indices[0]!).ndim);
    return [[bind1(p.scatter, [xb, ub, ...indices], { ...params, axes: ax.map((a) => a + 1) })], [0]];
  }
  const ix = indices.map((v, k) => batchAt0(v, ds[k]!, size));
  const rows = iota(avalOf(ix[0]!).shape as number[], 0);
  return [[bind1(p.scatter, [xb, batchAt0(u!, du!, size), rows, ...ix], { ...params, axes: [0, ...ax.map((a) => a + 1)] })], [0]];
});

// Integer shifts batch like every elementwise op.
for (const prim of [p.shiftLeft, p.shiftRightLogical, p.shiftRightArithmetic]) batchRules.set(prim.name, elementwiseRule(prim));
