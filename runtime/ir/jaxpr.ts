// The IR: a jaxpr is a list of equations in A-normal form over typed variables, like JAX's
// `core.Jaxpr`. Closed jaxprs carry the concrete values of their constvars.

import type { ShapedArray } from "./aval.js";
import type { Dim } from "../symbolic.js";
import type { Primitive } from "../primitives/primitive.js";

let nextVarId = 0;

export class Var {
  readonly id = nextVarId++;
  constructor(readonly aval: ShapedArray) {}
}

/**
 * A scalar constant operand (JAX prints it inline: `2.0:f32[]`). Bools are 0/1. While
 * tracing for a prebuilt kernel the value may be a symbolic size (np.mean's count).
 */
export class Literal {
  constructor(
    readonly value: Dim,
    readonly aval: ShapedArray,
  ) {}
}

export type Atom = Var | Literal;

export type Params = Readonly<Record<string, unknown>>;

export interface Eqn {
  readonly primitive: Primitive;
  readonly inputs: readonly Atom[];
  readonly params: Params;
  readonly outputs: readonly Var[];
}

export class Jaxpr {
  constructor(
    readonly constvars: readonly Var[],
    readonly invars: readonly Var[],
    readonly eqns: readonly Eqn[],
    readonly outvars: readonly Atom[],
  ) {}

  get inAvals(): ShapedArray[] {
    return this.invars.map((v) => v.aval);
  }

  get outAvals(): ShapedArray[] {
    return this.outvars.map((v) => v.aval);
  }
}

/**
 * A jaxpr plus the values of its constvars. `consts` hold concrete arrays for a
 * top-level jaxpr; for a sub-jaxpr being traced (control flow) they may hold tracers of
 * an enclosing trace, which become extra operands of the enclosing equation.
 */
export class ClosedJaxpr {
  constructor(
    readonly jaxpr: Jaxpr,
    readonly consts: readonly unknown[],
  ) {}

  get inAvals(): ShapedArray[] {
    return this.jaxpr.inAvals;
  }

  get outAvals(): ShapedArray[] {
    return this.jaxpr.outAvals;
  }
}
