// lax.cond / lax.switch / lax.select: both (all) branches are traced and type-checked,
// then one `cond` equation picks a branch at run time.

import { NDArray, type ArrayLike } from "../array/ndarray.js";
import { ArgumentError, DTypeError, ShapeError } from "../errors.js";
import { aval } from "../ir/aval.js";
import { Literal } from "../ir/jaxpr.js";
import * as p from "../primitives/index.js";
import { avalsMatch, cond as condPrimitive } from "../primitives/control.js";
import { sameShape } from "../shape.js";
import { bind, bind1, type Operand } from "../trace/core.js";
import { unflatten } from "../trace/pytree.js";
import { avalOf, convert, toOperand } from "../np/operands.js";
import { argumentPaths, callbackLabel, castOutputs, flattenOperands, type FlatOperands, type Arrayify, joinOutputTypes, structureError, traceFn, unifyConsts, type TracedFn } from "./trace-fn.js";

type Branch = (...operands: any[]) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any

function scalarOperand(what: string, x: ArrayLike): Operand {
  const op = toOperand(what, x);
  const a = avalOf(op);
  if (a.ndim !== 0) {
    throw new ShapeError(`${what} must be a scalar, got an array of shape ${a.str}.`,
      "Reduce it first (e.g. np.any(x), np.all(x), x.sum()), or use np.where for elementwise choice.");
  }
  return op;
}

/** Checks that all branches return one structure and joinable types; returns them cast to the join. */
function unifyBranches(name: string, traced: readonly TracedFn[], labels: readonly string[]): TracedFn[] {
  const first = traced[0]!;
  traced.forEach((t, i) => {
    if (t.outTree !== first.outTree) {
      throw structureError(`${name}: the outputs of ${labels[0]} and ${labels[i]}`, first.outTree, t.outTree,
        "Return the same structure (same arrays/objects, same keys) from every branch.");
    }
  });
  const joined = joinOutputTypes(traced.map((t) => t.outAvals));
  if (joined.types === null) {
    const k = joined.mismatch;
    const at = first.outPaths[k] ? ` at output '${first.outPaths[k]}'` : ` at output ${k}`;
    const i = traced.findIndex((t) => t.outAvals[k]!.strong() !== first.outAvals[k]!.strong());
    throw new ShapeError(
      `${name}: the branches return different types${at}: ${labels[0]} gives ${first.outAvals[k]!.str} and ${labels[i]} gives ${traced[i]!.outAvals[k]!.str}.`,
      "Make every branch return the same shapes and dtypes (convert with .astype, broadcast with np.broadcastTo, or use np.zerosLike for a default).",
    );
  }
  return traced.map((t) => castOutputs(t, joined.types));
}

/** Traces a branch on the operands, naming them by the branch's own parameters. */
function traceBranch(fn: Branch, role: string, ops: FlatOperands): TracedFn {
  const fallback = Array.from({ length: ops.tree.children.length }, (_, k) => `operands[${k}]`);
  const label = callbackLabel(fn, role);
  return traceFn(label.name, fn, ops.tree, ops.avals, argumentPaths(fn, ops.paths, fallback), true, label.role);
}

function bindCond(index: Operand, traced: readonly TracedFn[], operands: readonly Operand[]): unknown {
  const { jaxprs, consts } = unifyConsts(traced);
  const outs = bind(condPrimitive, [index, ...consts, ...operands], { branches: jaxprs });
  return unflatten(traced[0]!.outTree, outs);
}

/** `trueFn(...operands)` if pred else `falseFn(...operands)`, decided at run time. */
export function cond<Ops extends unknown[], R>(pred: ArrayLike, trueFn: (...operands: Arrayify<Ops>) => R, falseFn: (...operands: Arrayify<Ops>) => R, ...operands: Ops): Arrayify<R> {
  if (typeof trueFn !== "function" || typeof falseFn !== "function") {
    throw new ArgumentError("lax.cond(pred, trueFn, falseFn, ...operands) needs two functions.", "Pass the branches as functions: lax.cond(p, (x) => ..., (x) => ..., x).");
  }
  const p0 = scalarOperand("lax.cond's predicate", pred);
  // Index 1 selects the true branch (JAX's order: branches = (false, true)).
  const index = convert(avalOf(p0).dtype === "bool" ? p0 : bind1(p.ne, [p0, zeroLike(p0)]), "int32");
  const ops = flattenOperands(operands, "the operands of lax.cond");
  const tFalse = traceBranch(falseFn as Branch, "falseFn of lax.cond", ops);
  const tTrue = traceBranch(trueFn as Branch, "trueFn of lax.cond", ops);
  const [uTrue, uFalse] = unifyBranches("lax.cond", [tTrue, tFalse], ["trueFn", "falseFn"]);
  return bindCond(index, [uFalse!, uTrue!], ops.operands) as Arrayify<R>;
}

function zeroLike(x: Operand): Literal {
  return new Literal(0, avalOf(x).strong());
}

/** `branches[clamp(index, 0, n-1)](...operands)`, decided at run time. */
export function switchCase<Ops extends unknown[], R>(index: ArrayLike, branches: readonly ((...operands: Arrayify<Ops>) => R)[], ...operands: Ops): Arrayify<R> {
  if (!Array.isArray(branches) || branches.length === 0) {
    throw new ArgumentError("lax.switch needs a non-empty array of branch functions.", "Pass at least one branch: lax.switch(i, [f0, f1], x).");
  }
  const i0 = scalarOperand("lax.switch's index", index);
  const dt = avalOf(i0).dtype;
  if (dt !== "int32" && dt !== "bool") {
    throw new DTypeError(`lax.switch's index must be an integer, got ${avalOf(i0).str}.`, "Convert it: i.astype(\"int32\").");
  }
  if (branches.length === 1) return branches[0]!(...(operands as Arrayify<Ops>)) as Arrayify<R>;
  const n = branches.length;
  const idx = convert(i0, "int32");
  const clamped = bind1(p.max, [bind1(p.min, [idx, new Literal(n - 1, aval([], "int32"))]), new Literal(0, aval([], "int32"))]);
  const ops = flattenOperands(operands, "the operands of lax.switch");
  const traced = branches.map((b, k) => traceBranch(b as Branch, `branch ${k} of lax.switch`, ops));
  return bindCond(clamped, unifyBranches("lax.switch", traced, branches.map((_, k) => `branch ${k}`)), ops.operands) as Arrayify<R>;
}

/** Elementwise `pred ? onTrue : onFalse` on arrays of one shape (pred bool, same shape or scalar). */
export function select(pred: ArrayLike, onTrue: ArrayLike, onFalse: ArrayLike): NDArray {
  const [c, t, f] = [toOperand("select", pred), toOperand("select", onTrue), toOperand("select", onFalse)];
  if (avalOf(c).dtype !== "bool") throw new DTypeError(`lax.select's predicate must be bool, got ${avalOf(c).str}.`, "Compare first, e.g. x.gt(0).");
  const ta = avalOf(t), fa = avalOf(f);
  if (!avalsMatch(ta.strong(), fa.strong())) {
    throw new ShapeError(`lax.select requires onTrue and onFalse of the same type, got ${ta.str} and ${fa.str}.`, "Use np.where, which broadcasts and promotes.");
  }
  const ca = avalOf(c);
  if (ca.ndim !== 0 && !sameShape(ca.shape, ta.shape)) {
    throw new ShapeError(`lax.select's predicate must be a scalar or have the operands' shape ${ta.str}, got ${ca.str}.`, "Use np.where, which broadcasts.");
  }
  return bind1(p.selectN, [c, f, t]);
}
