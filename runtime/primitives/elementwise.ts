// Elementwise primitives (lax level): operands have the output's shape or are rank-0
// (a scalar operand broadcasts implicitly, as in JAX's `mul a 2.0:f32[]`), and share one
// dtype; promotion and broadcasting happen in `np`, which inserts the conversions.

import { aval, type ShapedArray } from "../ir/aval.js";
import { DTypeError, ShapeError } from "../errors.js";
import { isFloat, type DType } from "../dtype.js";
import { sameShape, shapeTuple, type Shape } from "../shape.js";
import { definePrimitive, type Primitive } from "./primitive.js";
import { exactConvert, exactScalar } from "./scalar-ops.js";

/** Exact scalar semantics of `name`, from the shared table (see scalar-ops.ts). */
const exact = (name: string) => (dtype: DType) => exactScalar(name, dtype);

type DTypeClass = "float" | "numeric" | "integral" | "any";

function accepts(cls: DTypeClass, dtype: DType): boolean {
  switch (cls) {
    case "float": return isFloat(dtype);
    case "numeric": return dtype !== "bool";
    case "integral": return dtype === "int32" || dtype === "uint32" || dtype === "bool";
    case "any": return true;
  }
}

const CLASS_TEXT: Record<DTypeClass, string> = {
  float: "a floating-point dtype (float32 or float16)",
  numeric: "a numeric dtype (not bool)",
  integral: "an integer or bool dtype",
  any: "any dtype",
};

/** Output shape of an elementwise op: the common non-scalar shape. */
/** A binary elementwise primitive over operands of one dtype (for modules that add some). */
export function defineBinary(name: string, accept: (dtype: DType) => boolean, needs: string): Primitive {
  return definePrimitive({
    name,
    kind: "elementwise",
    scalar: exact(name),
    abstractEval(inputs) {
      const dtype = sameDType(name, inputs);
      if (!accept(dtype)) throw new DTypeError(`${name} does not accept dtype ${dtype}: it needs ${needs}.`, "Convert with .astype(dtype).");
      return [aval(elementwiseShape(name, inputs), dtype, allWeak(inputs))];
    },
  });
}

export function elementwiseShape(name: string, inputs: readonly ShapedArray[]): Shape {
  let shape: Shape | undefined;
  for (const a of inputs) {
    if (a.shape.length === 0) continue;
    if (shape === undefined) shape = a.shape;
    else if (!sameShape(shape, a.shape)) {
      throw new ShapeError(
        `${name} requires operands of equal shapes (or rank 0), got ${inputs.map((i) => shapeTuple(i.shape)).join(", ")}.`,
        "Broadcast explicitly first (np.broadcastTo), or use the np function, which broadcasts.",
      );
    }
  }
  return shape ?? [];
}

function sameDType(name: string, inputs: readonly ShapedArray[]): DType {
  const d = inputs[0]!.dtype;
  for (const a of inputs) {
    if (a.dtype !== d) {
      throw new DTypeError(
        `${name} requires operands of the same dtype, got ${inputs.map((i) => i.dtype).join(", ")}.`,
        "Convert with .astype(dtype), or use the np function, which promotes dtypes.",
      );
    }
  }
  return d;
}

function checkClass(name: string, cls: DTypeClass, dtype: DType): void {
  if (!accepts(cls, dtype)) {
    throw new DTypeError(`${name} does not accept dtype ${dtype}: it needs ${CLASS_TEXT[cls]}.`,
      cls === "float" ? "Convert first: x.astype(\"float32\")." : "Convert with .astype(dtype).");
  }
}

const allWeak = (inputs: readonly ShapedArray[]) => inputs.every((a) => a.weakType);

function unary(name: string, cls: DTypeClass): Primitive {
  return definePrimitive({
    name,
    kind: "elementwise",
    scalar: exact(name),
    abstractEval([x]) {
      checkClass(name, cls, x!.dtype);
      return [x!];
    },
  });
}

function binary(name: string, cls: DTypeClass, identity?: Primitive["identity"]): Primitive {
  return definePrimitive({
    name,
    kind: "elementwise",
    scalar: exact(name),
    ...(identity && { identity }),
    abstractEval(inputs) {
      const dtype = sameDType(name, inputs);
      checkClass(name, cls, dtype);
      return [aval(elementwiseShape(name, inputs), dtype, allWeak(inputs))];
    },
  });
}

function comparison(name: string): Primitive {
  return definePrimitive({
    name,
    kind: "elementwise",
    scalar: exact(name),
    abstractEval(inputs) {
      sameDType(name, inputs);
      return [aval(elementwiseShape(name, inputs), "bool")];
    },
  });
}

export const neg = unary("neg", "numeric");
export const sign = unary("sign", "numeric");
export const abs = unary("abs", "numeric");
export const exp = unary("exp", "float");
export const log = unary("log", "float");
export const log1p = unary("log1p", "float");
export const expm1 = unary("expm1", "float");
export const tanh = unary("tanh", "float");
export const logistic = unary("logistic", "float");
export const sin = unary("sin", "float");
export const cos = unary("cos", "float");
export const tan = unary("tan", "float");
export const sqrt = unary("sqrt", "float");
export const rsqrt = unary("rsqrt", "float");
export const erf = unary("erf", "float");
export const erfc = unary("erfc", "float");
export const floor = unary("floor", "float");
export const ceil = unary("ceil", "float");
export const round = unary("round", "float");
export const not = unary("not", "integral");

export const isFinite = definePrimitive({
  name: "is_finite",
  kind: "elementwise",
  scalar: exact("is_finite"),
  abstractEval([x]) {
    checkClass("is_finite", "float", x!.dtype);
    return [aval(x!.shape, "bool")];
  },
});

// Exact identities: x + (-0), x - 0, x * 1, 1 * x, x / 1 are x (folded away by ir/passes.ts).
export const add = binary("add", "numeric", { rhs: -0 });
export const sub = binary("sub", "numeric", { rhs: 0 });
export const mul = binary("mul", "numeric", { lhs: 1, rhs: 1 });
export const div = binary("div", "numeric", { rhs: 1 });
export const rem = binary("rem", "numeric");
export const pow = binary("pow", "numeric");
export const atan2 = binary("atan2", "float");
export const max = binary("max", "any");
export const min = binary("min", "any");
export const and = binary("and", "integral");
export const or = binary("or", "integral");
export const xor = binary("xor", "integral");

export const gt = comparison("gt");
export const ge = comparison("ge");
export const lt = comparison("lt");
export const le = comparison("le");
export const eq = comparison("eq");
export const ne = comparison("ne");

/** select_n(which, case0, case1): case1 where `which` is true, else case0 (JAX's order). */
export const selectN = definePrimitive({
  name: "select_n",
  kind: "elementwise",
  scalar: exact("select_n"),
  abstractEval(inputs) {
    const [which, ...cases] = inputs;
    if (which!.dtype !== "bool") {
      throw new DTypeError(`select_n requires a bool predicate, got ${which!.dtype}.`, "Compare first, e.g. np.greater(x, 0).");
    }
    if (cases.length !== 2) throw new ShapeError(`select_n takes a predicate and 2 cases, got ${cases.length} cases.`);
    const dtype = sameDType("select_n", cases);
    return [aval(elementwiseShape("select_n", inputs), dtype, allWeak(cases))];
  },
});

export const convertElementType = definePrimitive<{ new_dtype: DType; weak_type: boolean }>({
  name: "convert_element_type",
  kind: "elementwise",
  scalar: (from, to) => exactConvert(from, to),
  abstractEval([x], { new_dtype, weak_type }) {
    return [aval(x!.shape, new_dtype, weak_type)];
  },
});
