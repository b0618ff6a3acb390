// einsum, tensordot, inner, kron: lowered to transpose / reshape / reduce_sum / dot_general.
//
// einsum: each operand first takes the diagonal of repeated labels and sums out labels no
// one else needs; then operands are contracted pairwise, greedily choosing the pair whose
// result is smallest (ties: the earliest pair), each pair one dot_general with batch axes
// (labels both have and still need) and contracted axes (labels both have and no one else
// needs); the last result is transposed into the output order.

import type { ArrayLike, NDArray } from "../array/ndarray.js";
import { ArgumentError, ShapeError } from "../errors.js";
import * as p from "../primitives/index.js";
import { normalizeAxis, shapeTuple } from "../shape.js";
import { concreteDim, type Dim } from "../symbolic.js";
import { bind1 } from "../trace/core.js";
import { multiply } from "./elementwise.js";
import { diagonal } from "./manipulation.js";
import { dotGeneral, dotOperands } from "./linalg.js";
import { asNDArray } from "./operands.js";
import { sum } from "./reductions.js";
import { reshape, transpose } from "./shape-ops.js";

/** Operands promoted to one dtype (bool computes as int32, as in matmul). */
const promoted = (op: string, xs: readonly ArrayLike[]): NDArray[] => dotOperands(op, xs).map(asNDArray);

const size = (op: string, d: Dim): number => concreteDim(d, `an axis size of np.${op}'s operand`);

// --- tensordot / inner / kron ------------------------------------------------------------

/**
 * Sum product over the last `axes` axes of a and the first of b (axes = 2 by default), or
 * over the axes listed in `[aAxes, bAxes]`; the result has a's free axes, then b's.
 */
export function tensordot(a: ArrayLike, b: ArrayLike, axes: number | readonly [number | readonly number[], number | readonly number[]] = 2): NDArray {
  const [x, y] = promoted("tensordot", [a, b]);
  let ax: number[], bx: number[];
  if (typeof axes === "number") {
    if (!Number.isInteger(axes) || axes < 0 || axes > x!.ndim || axes > y!.ndim) {
      throw new ShapeError(`np.tensordot: axes = ${axes} is out of range for operands of shapes ${shapeTuple(x!.shape)} and ${shapeTuple(y!.shape)}.`,
        `Use an integer in [0, ${Math.min(x!.ndim, y!.ndim)}], or a pair of axis lists.`);
    }
    ax = Array.from({ length: axes }, (_, i) => x!.ndim - axes + i);
    bx = Array.from({ length: axes }, (_, i) => i);
  } else {
    if (!Array.isArray(axes) || axes.length !== 2) {
      throw new ArgumentError(`np.tensordot: axes must be an integer or a pair [aAxes, bAxes], got ${JSON.stringify(axes)}.`);
    }
    const list = (v: number | readonly number[]) => (typeof v === "number" ? [v] : [...v]);
    ax = list(axes[0]).map((v) => normalizeAxis("np.tensordot", v, x!.ndim));
    bx = list(axes[1]).map((v) => normalizeAxis("np.tensordot", v, y!.ndim));
    if (ax.length !== bx.length) {
      throw new ShapeError(`np.tensordot: the axis lists have different lengths (${ax.length} and ${bx.length}).`, "Pair each axis of a with one of b.");
    }
    if (new Set(ax).size !== ax.length || new Set(bx).size !== bx.length) throw new ShapeError("np.tensordot: repeated axis in an axis list.");
  }
  ax.forEach((i, k) => {
    if (size("tensordot", x!.shape[i]!) !== size("tensordot", y!.shape[bx[k]!]!)) {
      throw new ShapeError(`np.tensordot: shape mismatch for sum: axis ${i} of ${shapeTuple(x!.shape)} has size ${x!.shape[i]}, axis ${bx[k]} of ${shapeTuple(y!.shape)} has size ${y!.shape[bx[k]!]}.`,
        "Contracted axes must have equal sizes.");
    }
  });
  return dotGeneral(x!, y!, [ax, bx], [[], []]);
}

/** Sum product over the last axes of a and b (a scalar operand multiplies). */
export function inner(a: ArrayLike, b: ArrayLike): NDArray {
  const [x, y] = promoted("inner", [a, b]);
  if (x!.ndim === 0 || y!.ndim === 0) return multiply(x!, y!);
  if (size("inner", x!.shape[x!.ndim - 1]!) !== size("inner", y!.shape[y!.ndim - 1]!)) {
    throw new ShapeError(`np.inner: the last axes of ${shapeTuple(x!.shape)} and ${shapeTuple(y!.shape)} differ in size.`, "Both operands' last axes must have the same size.");
  }
  return dotGeneral(x!, y!, [[x!.ndim - 1], [y!.ndim - 1]], [[], []]);
}

/** Kronecker product: blocks a[i, j, ...] · b. */
export function kron(a: ArrayLike, b: ArrayLike): NDArray {
  const [x0, y0] = promoted("kron", [a, b]);
  const rank = Math.max(x0!.ndim, y0!.ndim);
  const xs = [...Array(rank - x0!.ndim).fill(1), ...x0!.shape.map((d) => size("kron", d))] as number[];
  const ys = [...Array(rank - y0!.ndim).fill(1), ...y0!.shape.map((d) => size("kron", d))] as number[];
  // x as (x0, 1, x1, 1, ...) times y as (1, y0, 1, y1, ...), then merge each pair.
  const x = reshape(x0!, xs.flatMap((d) => [d, 1]));
  const y = reshape(y0!, ys.flatMap((d) => [1, d]));
  return reshape(multiply(x, y), xs.map((d, i) => d * ys[i]!));
}

// --- einsum ---------------------------------------------------------------------------------

interface Term {
  x: NDArray;
  labels: string[];
}

/** Labels of one operand's subscripts; "..." becomes `nEll` ellipsis labels (right-aligned). */
function parseSubscripts(spec: string, sub: string, which: string): { labels: string[]; ellipsis: boolean } {
  const labels: string[] = [];
  let ellipsis = false;
  for (let i = 0; i < sub.length; i++) {
    const c = sub[i]!;
    if (c === ".") {
      if (sub.slice(i, i + 3) !== "..." || ellipsis) {
        throw new ArgumentError(`np.einsum: invalid subscripts ${JSON.stringify(spec)}: ${which} has a stray '.' or a second ellipsis.`, "Use \"...\" at most once per operand.");
      }
      ellipsis = true;
      labels.push("...");
      i += 2;
    } else if (/[a-zA-Z]/.test(c)) labels.push(c);
    else throw new ArgumentError(`np.einsum: invalid character ${JSON.stringify(c)} in subscripts ${JSON.stringify(spec)}.`, "Subscripts are letters a-z, A-Z, and \"...\".");
  }
  return { labels, ellipsis };
}

/**
 * Einstein summation: `einsum("ij,jk->ik", a, b)`. Explicit (`->`) and implicit output
 * (labels appearing once, alphabetically), `...` broadcasting, repeated labels within an
 * operand (diagonals), and size-1 axes broadcasting against a label's size, as in NumPy.
 */
export function einsum(subscripts: string, ...operands: ArrayLike[]): NDArray {
  if (typeof subscripts !== "string") throw new ArgumentError("np.einsum: the first argument must be a subscripts string such as \"ij,jk->ik\".");
  const spec = subscripts.replace(/\s+/g, "");
  const arrow = spec.indexOf("->");
  if (arrow !== spec.lastIndexOf("->")) throw new ArgumentError(`np.einsum: subscripts ${JSON.stringify(subscripts)} have more than one "->".`);
  const inputs = (arrow >= 0 ? spec.slice(0, arrow) : spec).split(",");
  if (operands.length === 0) throw new ArgumentError("np.einsum needs at least one operand.");
  if (inputs.length !== operands.length) {
    throw new ArgumentError(`np.einsum: subscripts ${JSON.stringify(subscripts)} name ${inputs.length} operand(s), but ${operands.length} were given.`,
      "Give one comma-separated subscript group per operand.");
  }
  const xs = promoted("einsum", operands);
  const parsed = inputs.map((s, i) => parseSubscripts(subscripts, s, `operand ${i}`));

  // Expand ellipses into labels "0", "1", ... (right-aligned across operands).
  let nEll = 0;
  parsed.forEach((ps, i) => {
    const explicit = ps.labels.filter((l) => l !== "...").length;
    const x = xs[i]!;
    if (ps.ellipsis ? explicit > x.ndim : explicit !== x.ndim) {
      throw new ShapeError(`np.einsum: operand ${i} has shape ${shapeTuple(x.shape)} (rank ${x.ndim}) but subscripts ${JSON.stringify(inputs[i])} name ${explicit} ax${explicit === 1 ? "is" : "es"}.`,
        "Give one letter per axis, or use \"...\" for the leading ones.");
    }
    if (ps.ellipsis) nEll = Math.max(nEll, x.ndim - explicit);
  });
  const ellLabels = Array.from({ length: nEll }, (_, i) => String(i));
  const terms: Term[] = parsed.map((ps, i) => {
    const k = xs[i]!.ndim - ps.labels.filter((l) => l !== "...").length;
    const labels = ps.labels.flatMap((l) => (l === "..." ? ellLabels.slice(nEll - k) : [l]));
    return { x: xs[i]!, labels };
  });

  // The output labels.
  const counts = new Map<string, number>();
  for (const t of terms) for (const l of t.labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  let output: string[];
  if (arrow >= 0) {
    const out = parseSubscripts(subscripts, spec.slice(arrow + 2), "the output");
    if (!out.ellipsis && nEll > 0 && terms.some((t) => t.labels.some((l) => ellLabels.includes(l)))) {
      throw new ShapeError(`np.einsum: subscripts ${JSON.stringify(subscripts)}: the operands' "..." axes must appear in the output.`, "Add \"...\" to the output subscripts.");
    }
    output = out.labels.flatMap((l) => (l === "..." ? ellLabels : [l]));
    const seen = new Set<string>();
    for (const l of output) {
      if (seen.has(l)) throw new ArgumentError(`np.einsum: output subscript ${JSON.stringify(l)} appears more than once in ${JSON.stringify(subscripts)}.`);
      seen.add(l);
      if (!counts.has(l) && !ellLabels.includes(l)) {
        throw new ArgumentError(`np.einsum: output subscript ${JSON.stringify(l)} in ${JSON.stringify(subscripts)} does not appear in any input.`);
      }
    }
  } else {
    const singles = [...counts].filter(([l, c]) => c === 1 && !ellLabels.includes(l)).map(([l]) => l).sort();
    output = [...ellLabels, ...singles];
  }

  // Each label's size: the sizes it has must agree, or be 1 (broadcast).
  const sizes = new Map<string, number>();
  terms.forEach((t, i) => t.labels.forEach((l, d) => {
    const s = size("einsum", t.x.shape[d]!);
    const prev = sizes.get(l);
    if (prev === undefined || prev === 1) sizes.set(l, s);
    else if (s !== prev && s !== 1) {
      const name = /[0-9]/.test(l) ? "an ellipsis axis" : `label ${JSON.stringify(l)}`;
      throw new ShapeError(`np.einsum: ${name} has size ${prev} in one operand and ${s} in operand ${i} (shape ${shapeTuple(t.x.shape)}) of ${JSON.stringify(subscripts)}.`,
        "Axes sharing a label must have equal sizes (or size 1, which broadcasts).");
    }
  }));
  for (const l of output) if (!sizes.has(l)) sizes.set(l, 1);

  // Labels some other operand or the output needs.
  const neededBy = (labels: Set<string>, others: readonly Term[]) => {
    for (const o of others) for (const l of o.labels) labels.add(l);
    for (const l of output) labels.add(l);
    return labels;
  };

  let pending = terms.map((t, i) => prepareTerm(t, neededBy(new Set(), terms.filter((_, j) => j !== i)), sizes));
  while (pending.length > 1) {
    let best: [number, number] = [0, 1];
    let bestSize = Infinity;
    for (let i = 0; i < pending.length; i++) {
      for (let j = i + 1; j < pending.length; j++) {
        const keep = neededBy(new Set(), pending.filter((_, k) => k !== i && k !== j));
        const labels = new Set([...pending[i]!.labels, ...pending[j]!.labels].filter((l) => keep.has(l)));
        const s = [...labels].reduce((acc, l) => acc * sizes.get(l)!, 1);
        if (s < bestSize) [bestSize, best] = [s, [i, j]];
      }
    }
    const [i, j] = best;
    const rest = pending.filter((_, k) => k !== i && k !== j);
    const keep = neededBy(new Set(), rest);
    pending = [...rest, contractPair(pending[i]!, pending[j]!, keep, sizes)];
  }
  const last = prepareTerm(pending[0]!, new Set(output), sizes);
  // Output labels that no operand has (size-1 broadcasts only) become size-1 axes.
  let x = last.x;
  let labels = last.labels;
  const missing = output.filter((l) => !labels.includes(l));
  if (missing.length > 0) {
    x = reshape(x, [...x.shape, ...missing.map(() => 1)] as Dim[]);
    labels = [...labels, ...missing];
  }
  x = broadcastLabels({ x, labels }, sizes, new Set(output)).x;
  return transpose(x, output.map((l) => labels.indexOf(l)));
}

/** Diagonals of repeated labels, then a sum over labels that are not in `needed`. */
function prepareTerm(t: Term, needed: ReadonlySet<string>, sizes: ReadonlyMap<string, number>): Term {
  let { x, labels } = t;
  for (;;) {
    const dup = labels.findIndex((l, i) => labels.indexOf(l) !== i);
    if (dup < 0) break;
    const first = labels.indexOf(labels[dup]!);
    // Broadcast size-1 copies first so the diagonal has the label's full size.
    ({ x } = broadcastLabels({ x, labels }, sizes, new Set([labels[dup]!])));
    x = diagonal(x, 0, first, dup);
    const l = labels[dup]!;
    labels = [...labels.filter((_, i) => i !== first && i !== dup), l];
  }
  const drop = labels.map((l, i) => (needed.has(l) ? -1 : i)).filter((i) => i >= 0);
  if (drop.length > 0) {
    x = sum(x, drop);
    labels = labels.filter((l) => needed.has(l));
  }
  return { x, labels };
}

/** Stretches size-1 axes of `labels` in `which` to the label's size. */
function broadcastLabels(t: Term, sizes: ReadonlyMap<string, number>, which: ReadonlySet<string>): Term {
  const target = t.labels.map((l, d) => (which.has(l) ? sizes.get(l)! : size("einsum", t.x.shape[d]!)));
  if (target.every((s, d) => s === t.x.shape[d])) return t;
  return { x: bind1(p.broadcastInDim, [t.x], { shape: target, broadcast_dimensions: target.map((_, d) => d) }), labels: t.labels };
}

/** One dot_general: batch over shared labels still needed, contract shared ones that are not. */
function contractPair(a0: Term, b0: Term, keep: ReadonlySet<string>, sizes: ReadonlyMap<string, number>): Term {
  const a = prepareTerm(a0, new Set([...keep, ...b0.labels]), sizes);
  const b = prepareTerm(b0, new Set([...keep, ...a0.labels]), sizes);
  const shared = a.labels.filter((l) => b.labels.includes(l));
  const sharedSet = new Set(shared);
  // dot_general needs equal sizes on shared axes: broadcast size-1 ones.
  const ab = broadcastLabels(a, sizes, sharedSet), bb = broadcastLabels(b, sizes, sharedSet);
  const batch = shared.filter((l) => keep.has(l));
  const contract = shared.filter((l) => !keep.has(l));
  const out = dotGeneral(ab.x, bb.x,
    [contract.map((l) => a.labels.indexOf(l)), contract.map((l) => b.labels.indexOf(l))],
    [batch.map((l) => a.labels.indexOf(l)), batch.map((l) => b.labels.indexOf(l))]);
  const labels = [...batch, ...a.labels.filter((l) => !sharedSet.has(l)), ...b.labels.filter((l) => !sharedSet.has(l))];
  return { x: out, labels };
}
