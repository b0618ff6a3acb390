// matmul / dot / outer with NumPy's shape semantics, lowered to dot_general.

import type { ArrayLike, NDArray } from "../array/ndarray.js";
import { ShapeError } from "../errors.js";
import * as p from "../primitives/index.js";
import { broadcastShapes, shapeTuple } from "../shape.js";
import { sameDim } from "../symbolic.js";
import { bind1 } from "../trace/core.js";
import { multiply } from "./elementwise.js";
import { avalOf, broadcastTo, convert, promote, toOperand, type Operand } from "./operands.js";
import { reshape } from "./shape-ops.js";

/** Operands promoted to one dtype for a dot product (bool computes as int32). */
export function dotOperands(op: string, xs: readonly ArrayLike[]): Operand[] {
  const ops = promote(xs.map((x) => toOperand(op, x)));
  return ops.length > 0 && avalOf(ops[0]!).dtype === "bool" ? ops.map((o) => convert(o, "int32")) : ops;
}

function operands(op: string, a: ArrayLike, b: ArrayLike): [Operand, Operand] {
  const [x, y] = dotOperands(op, [a, b]);
  return [x!, y!];
}

export function dotGeneral(x: Operand, y: Operand, contract: [number[], number[]], batch: [number[], number[]] = [[], []]): NDArray {
  return bind1(p.dotGeneral, [x, y], { dimension_numbers: [contract, batch], preferred_element_type: null });
}

/** Matrix product with NumPy's rules: 1-D operands are promoted and the added axis removed; batch axes broadcast. */
export function matmul(a: ArrayLike, b: ArrayLike): NDArray {
  const [x, y] = operands("matmul", a, b);
  const xa = avalOf(x), ya = avalOf(y);
  if (xa.ndim === 0 || ya.ndim === 0) {
    throw new ShapeError(`np.matmul: operands must not be scalars, got shapes ${shapeTuple(xa.shape)} and ${shapeTuple(ya.shape)}.`, "Use np.multiply for scalars.");
  }
  const k1 = xa.shape[xa.ndim - 1]!, k2 = ya.shape[ya.ndim === 1 ? 0 : ya.ndim - 2]!;
  if (!sameDim(k1, k2)) {
    throw new ShapeError(
      `np.matmul: shapes ${shapeTuple(xa.shape)} and ${shapeTuple(ya.shape)} are not aligned: ${k1} (last axis of the first) != ${k2} (${ya.ndim === 1 ? "only" : "second-to-last"} axis of the second).`,
      "Transpose or reshape one operand so the contracted sizes match.",
    );
  }
  if (xa.ndim === 1 && ya.ndim === 1) return dotGeneral(x, y, [[0], [0]]);
  if (ya.ndim === 1) return dotGeneral(x, y, [[xa.ndim - 1], [0]]);
  if (xa.ndim === 1) {
    // (k) @ (..., k, n): contract, leaving (..., n).
    return dotGeneral(x, y, [[0], [ya.ndim - 2]]);
  }
  if (ya.ndim === 2) {
    // (..., m, k) @ (k, n): the leading axes of x are just more rows.
    return dotGeneral(x, y, [[xa.ndim - 1], [0]]);
  }
  // Batched: broadcast the batch axes, then contract with batch dimensions.
  const batchShape = broadcastShapes("np.matmul", [xa.shape.slice(0, -2), ya.shape.slice(0, -2)]);
  const xb = broadcastTo("matmul", x, [...batchShape, ...xa.shape.slice(-2)]);
  const yb = broadcastTo("matmul", y, [...batchShape, ...ya.shape.slice(-2)]);
  const nb = batchShape.length;
  const batch = Array.from({ length: nb }, (_, i) => i);
  return dotGeneral(xb, yb, [[nb + 1], [nb]], [batch, batch]);
}

/** NumPy's dot: a sum product over the last axis of a and the second-to-last of b. */
export function dot(a: ArrayLike, b: ArrayLike): NDArray {
  const [x, y] = operands("dot", a, b);
  const xa = avalOf(x), ya = avalOf(y);
  if (xa.ndim === 0 || ya.ndim === 0) return multiply(a, b);
  const yAxis = ya.ndim === 1 ? 0 : ya.ndim - 2;
  if (!sameDim(xa.shape[xa.ndim - 1]!, ya.shape[yAxis]!)) {
    throw new ShapeError(`np.dot: shapes ${shapeTuple(xa.shape)} and ${shapeTuple(ya.shape)} are not aligned.`,
      "The last axis of the first operand must match the second-to-last (or only) axis of the second.");
  }
  // dot_general's output axes (x's free axes, then y's) are NumPy's layout for dot.
  return dotGeneral(x, y, [[xa.ndim - 1], [yAxis]]);
}

export function outer(a: ArrayLike, b: ArrayLike): NDArray {
  return multiply(reshape(a, [-1, 1]), reshape(b, [1, -1]));
}

export function vdot(a: ArrayLike, b: ArrayLike): NDArray {
  return dot(reshape(a, [-1]), reshape(b, [-1]));
}
