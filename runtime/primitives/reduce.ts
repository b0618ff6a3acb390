// Reductions over a set of axes (JAX's reduce_* primitives) and argmax/argmin.

import { aval } from "../ir/aval.js";
import { DTypeError, ShapeError } from "../errors.js";
import type { DType } from "../dtype.js";
import { shapeTuple, type Shape } from "../shape.js";
import { definePrimitive, type Primitive, type Reducer } from "./primitive.js";

export type ReduceKind = Exclude<Reducer, "argmax" | "argmin">;

function checkAxes(name: string, axes: readonly number[], rank: number, shape: Shape): void {
  const valid = axes.every((a, i) => a >= 0 && a < rank && (i === 0 || a > axes[i - 1]!));
  if (!valid) throw new ShapeError(`${name} axes ${shapeTuple(axes)} are invalid for shape ${shapeTuple(shape)}.`, "Axes must be sorted, unique and in range.");
}

function reduction(kind: ReduceKind): Primitive<{ axes: readonly number[] }> {
  const name = `reduce_${kind}`;
  return definePrimitive({
    name,
    kind: "reduce",
    reducer: kind,
    abstractEval([x], { axes }) {
      checkAxes(name, axes, x!.ndim, x!.shape);
      if ((kind === "and" || kind === "or") && x!.dtype !== "bool") {
        throw new DTypeError(`${name} requires a bool operand, got ${x!.dtype}.`);
      }
      if ((kind === "sum" || kind === "prod") && x!.dtype === "bool") {
        throw new DTypeError(`${name} does not accept bool operands.`, "Convert first: x.astype(\"int32\").");
      }
      return [aval(x!.shape.filter((_, i) => !axes.includes(i)), x!.dtype, x!.weakType)];
    },
  });
}

export const reduceSum = reduction("sum");
export const reduceProd = reduction("prod");
export const reduceMax = reduction("max");
export const reduceMin = reduction("min");
export const reduceAnd = reduction("and");
export const reduceOr = reduction("or");

function argReduction(name: "argmax" | "argmin"): Primitive<{ axes: readonly number[]; index_dtype: DType }> {
  return definePrimitive({
    name,
    kind: "reduce",
    reducer: name,
    abstractEval([x], { axes, index_dtype }) {
      if (axes.length !== 1) throw new ShapeError(`${name} reduces exactly one axis, got ${shapeTuple(axes)}.`);
      checkAxes(name, axes, x!.ndim, x!.shape);
      if (x!.shape[axes[0]!] === 0) { // a symbolic size is assumed nonzero
        throw new ShapeError(`${name} of an empty axis (shape ${shapeTuple(x!.shape)}, axis ${axes[0]}) has no answer.`,
          "Check the size before calling, or pad the array.");
      }
      return [aval(x!.shape.filter((_, i) => i !== axes[0]), index_dtype)];
    },
  });
}

export const argmax = argReduction("argmax");
export const argmin = argReduction("argmin");
