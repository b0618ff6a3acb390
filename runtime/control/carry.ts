// Loop carries: the type a carry keeps across iterations. As in JAX, a carry may differ
// between going in and coming out only in ways that a settled type absorbs:
// - weakness alone (f32[] vs f32[]{weak_type=True}): the carry is strong, and a weak
//   output is relabelled (JAX's carry check ignores weak types);
// - a weak input (a JS number) whose body returns another dtype: the input is promoted to
//   the body's type and the body retraced (JAX's `_promote_weak_typed_inputs`).
// Anything else (a shape or a strong dtype that changes) is an error naming the loop the
// user called and the carry component by the user's own parameter name.

import { promoteTypes } from "../dtype.js";
import { ShapeError } from "../errors.js";
import { aval, type ShapedArray } from "../ir/aval.js";
import { avalsMatch } from "../primitives/control.js";
import { sameShape } from "../shape.js";
import type { TreeDef } from "../trace/pytree.js";
import { castOutputs, promoteOperand, structureError, type FlatOperands, type TracedFn } from "./trace-fn.js";

/** How messages name a loop: the API the user called, its body, and leading carry leaves the user did not pass. */
export interface LoopNames {
  /** `lax.foriLoop`, `lax.whileLoop`, `lax.scan`. */
  readonly api: string;
  /** `the body function` or `the body function 'step'`. */
  readonly body: string;
  /** Leading carry leaves added by the API itself (foriLoop's counter and bound). */
  readonly hidden: number;
}

/** A carry leaf's type when the body returns `out` for `input`, or null if no type can be carried. */
function settleLeaf(input: ShapedArray, out: ShapedArray): ShapedArray | null {
  if (avalsMatch(input, out)) return input;
  if (!sameShape(input.shape, out.shape)) return null;
  if (input.dtype === out.dtype) return input.strong();
  if (!input.weakType) return null;
  const t = promoteTypes([input, out]);
  return aval(input.shape, t.dtype, t.weakType);
}

/** With the weak flag, so two types that differ only in weakness read differently. */
const typeText = (a: ShapedArray) => a.describe();

function carryTypeError(names: LoopNames, carry: FlatOperands, out: readonly ShapedArray[], at: number): ShapeError {
  const a = carry.avals[at]!, b = out[at]!;
  const differ = [a.dtype !== b.dtype ? "dtypes" : "", sameShape(a.shape, b.shape) ? "" : "shapes"].filter(Boolean).join(" and ");
  const list = (avals: readonly ShapedArray[]) =>
    avals.slice(names.hidden).map((t, i) => `${carry.paths[names.hidden + i]}: ${typeText(t)}`).join(", ");
  return new ShapeError(
    `${names.api}: ${names.body} must return the carry with the type it came in with, but the carry component '${carry.paths[at]}' ` +
      `enters as ${typeText(a)} and is returned as ${typeText(b)} (the ${differ} differ).\n` +
      `  carry in:  (${list(carry.avals)})\n  carry out: (${list(out)})`,
    "Keep every carried array's shape and dtype fixed across iterations: initialize the carry with its final shape and dtype " +
      "(np.zeros(shape, { dtype }), x.astype(dtype)), and convert what the body returns with .astype or np.broadcastTo.",
  );
}

export interface CarryTrace {
  readonly traced: TracedFn;
  /** The body's carry outputs: the first `carry.avals.length` outputs of `traced`. */
  readonly carryOut: readonly ShapedArray[];
  readonly tree: TreeDef;
}

/**
 * Traces the body (via `trace`) until the carry type is settled; returns the carry to pass
 * in (weak leaves possibly promoted) and the body, its carry outputs cast to that type.
 */
export function settleCarry(names: LoopNames, carry0: FlatOperands, trace: (c: FlatOperands) => CarryTrace): { traced: TracedFn; carry: FlatOperands } {
  let carry = carry0;
  // Each retrace strengthens or promotes at least one weak leaf (at most two steps per leaf).
  for (let attempt = 0; ; attempt++) {
    const result = trace(carry);
    if (result.tree !== carry.tree) {
      // Show the user's part of the carry, without the API's own leading leaves.
      const user = (t: TreeDef) => (names.hidden && t.kind === "array" ? t.children[names.hidden] ?? t : t);
      throw structureError(`${names.api}: the carry going into and coming out of ${names.body}`, user(carry.tree), user(result.tree),
        "Return the carry with the same structure it came in with.");
    }
    const settled = carry.avals.map((a, i) => settleLeaf(a, result.carryOut[i]!));
    const bad = settled.indexOf(null);
    const retrace = settled.some((s, i) => s !== carry.avals[i]);
    if (bad >= 0 || (retrace && attempt > 2 * carry.avals.length)) {
      const at = bad >= 0 ? bad : carry.avals.findIndex((a, i) => !avalsMatch(a, result.carryOut[i]!));
      throw carryTypeError(names, carry, result.carryOut, at);
    }
    if (!retrace) {
      const outs = result.traced.outAvals;
      return { traced: castOutputs(result.traced, [...carry.avals, ...outs.slice(carry.avals.length)]), carry };
    }
    carry = {
      ...carry,
      operands: carry.operands.map((o, i) => (settled[i] !== carry.avals[i] ? promoteOperand(o, settled[i]!) : o)),
      avals: settled as ShapedArray[],
    };
  }
}
