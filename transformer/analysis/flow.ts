// The flow state of one function's locals, and how paths join.

import type * as TS from "typescript";
import type { Taint } from "./origins.js";

/** Taints of a function's own locals at the current program point; absent: use the summary. */
export type Env = Map<TS.Symbol, Taint>;

/** The state after either of two paths: union where both know a local, summary elsewhere. */
export function joinEnv(a: Env, b: Env): Env {
  const out: Env = new Map();
  for (const [symbol, taint] of a) {
    const other = b.get(symbol);
    if (other !== undefined) out.set(symbol, taint | other);
  }
  return out;
}

export function sameEnv(a: Env, b: Env): boolean {
  if (a.size !== b.size) return false;
  for (const [symbol, taint] of a) if (b.get(symbol) !== taint) return false;
  return true;
}
