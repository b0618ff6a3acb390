// Where taint comes from. Every traced value is traced because of one or more origins:
// a non-static parameter of the jitted function, a parameter of a function that tsjit calls
// with tracers (lax branches and bodies), or the result of a lax control-flow operation.

import type * as TS from "typescript";

export type StaticFix =
  | { readonly kind: "name"; readonly name: string }
  | { readonly kind: "num"; readonly index: number }
  | { readonly kind: "tag"; readonly name: string };

export interface Origin {
  /** As shown in messages: the parameter (or bound) name, or the operation. */
  readonly name: string;
  readonly kind: "parameter" | "callback" | "control";
  /** Where it is declared: the related information of every diagnostic points here. */
  readonly node: TS.Node;
  /** The jitted function, or the API that calls back with tracers. */
  readonly owner: string;
  /** How to make it static, when the user can. */
  readonly fix?: StaticFix;
  /** For a parameter of a function a transformation traces: "grad", "jit(grad(...))". */
  readonly tracedBy?: string;
  /** How to keep it untraced under that transformation ("leave 'n' out of grad's argnums"). */
  readonly untrace?: string;
}

/** Taint as a bit set over origins (bigint: no limit on how many). */
export type Taint = bigint;
export const CLEAN: Taint = 0n;

export class OriginTable {
  private readonly list: Origin[] = [];
  private readonly byNode = new Map<TS.Node, Taint>();

  /** The taint of one origin, created on first use (keyed by its node). */
  taintOf(node: TS.Node, make: () => Origin): Taint {
    let taint = this.byNode.get(node);
    if (taint === undefined) {
      taint = 1n << BigInt(this.list.length);
      this.list.push(make());
      this.byNode.set(node, taint);
    }
    return taint;
  }

  /** The origins of a taint, parameters first, in declaration order. */
  originsOf(taint: Taint): Origin[] {
    const out: Origin[] = [];
    for (let i = 0; taint >> BigInt(i) !== 0n; i++) if ((taint >> BigInt(i)) & 1n) out.push(this.list[i]!);
    const rank = (o: Origin) => (o.kind === "parameter" ? 0 : o.kind === "callback" ? 1 : 2);
    // A lax result is named only when no parameter explains the taint.
    const named = out.some((o) => o.kind !== "control") ? out.filter((o) => o.kind !== "control") : out;
    return named.sort((a, b) => rank(a) - rank(b) || a.node.pos - b.node.pos);
  }
}
