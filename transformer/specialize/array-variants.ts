// Specs for a site's plain-NDArray parameters, per call: each call of the jitted function
// whose arguments at those positions have build-time shapes (array-specs.ts) gives one
// variant; distinct variants are prebuilt separately.

import type * as TS from "typescript";
import { LeafSpec, type SpecTree } from "../../runtime/specialize/specialize.js";
import { arraySpecOfExpression, type ArraySpecContext } from "./array-specs.js";
import { callsOf, type CallIndex, type CandidateContext } from "./candidates.js";

/** One LeafSpec per position in `positions`, for each distinct call that shows them all. */
export function arraySpecsFromCallSites(cx: ArraySpecContext & CandidateContext, index: CallIndex, target: TS.Symbol, positions: readonly number[]): LeafSpec[][] {
  const out = new Map<string, LeafSpec[]>();
  for (const call of callsOf(cx, index, target)) {
    const leaves: LeafSpec[] = [];
    for (const p of positions) {
      const arg = call.arguments[p];
      const spec = arg && !cx.ts.isSpreadElement(arg) ? arraySpecOfExpression(cx, arg) : undefined;
      if (!spec) break;
      leaves.push(spec);
    }
    if (leaves.length !== positions.length) continue;
    const key = leaves.map((l) => `${l.dtype}[${l.shape.join(",")}]`).join(";");
    if (!out.has(key)) out.set(key, leaves);
  }
  return [...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}

/** A size-variable name for flat kernels that no annotated parameter already uses. */
export function flatSizeName(specs: readonly (SpecTree | undefined)[]): string {
  const used = new Set<string>();
  const visit = (t: SpecTree | undefined): void => {
    if (t instanceof LeafSpec) {
      for (const d of t.shape) if (typeof d === "string") used.add(d);
    } else if (Array.isArray(t)) t.forEach(visit);
    else if (t && typeof t === "object") Object.values(t).forEach(visit);
  };
  specs.forEach(visit);
  let name = "size";
  for (let i = 1; used.has(name); i++) name = `size_${i}`;
  return name;
}
