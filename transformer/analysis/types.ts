// Type questions the analysis asks. Types decide what a *use* of a traced value means:
// a container (array, object, function) is a real JavaScript value even inside a trace,
// while a number, boolean or NDArray-typed value is a tracer.

import type * as TS from "typescript";
import type { AnalysisContext } from "./context.js";

const MAX_DEPTH = 6;

function flagsOf(ctx: AnalysisContext) {
  const F = ctx.ts.TypeFlags;
  return {
    opaque: F.Any | F.Unknown,
    nullish: F.Null | F.Undefined | F.Void,
    primitive: F.NumberLike | F.BooleanLike | F.StringLike | F.BigIntLike | F.EnumLike,
    numericOrString: F.NumberLike | F.StringLike | F.BigIntLike,
    object: F.Object | F.NonPrimitive,
  };
}

/**
 * Whether some possible value of the type passes `test`: any/unknown and unconstrained type
 * parameters could be anything; unions and intersections ask their members.
 */
function somePossible(ctx: AnalysisContext, type: TS.Type, test: (t: TS.Type) => boolean, depth = 0): boolean {
  if (type.flags & flagsOf(ctx).opaque) return true;
  if (type.flags & ctx.ts.TypeFlags.TypeParameter) {
    const constraint = ctx.checker.getBaseConstraintOfType(type);
    return !constraint || constraint === type || depth > MAX_DEPTH || somePossible(ctx, constraint, test, depth + 1);
  }
  if (type.isUnionOrIntersection()) return type.types.some((t) => somePossible(ctx, t, test, depth + 1));
  return test(type);
}

/** The value itself may be a tracer (not merely a container holding tracers). */
export function mayBeTracer(ctx: AnalysisContext, type: TS.Type): boolean {
  const f = flagsOf(ctx);
  return somePossible(ctx, type, (t) => (t.flags & f.primitive) !== 0 || ((t.flags & ctx.ts.TypeFlags.Object) !== 0 && ctx.api.isNDArrayType(t)));
}

/** A value that may be a primitive (or opaque): compared with `===` by value, not identity. */
export function mayBePrimitive(ctx: AnalysisContext, type: TS.Type): boolean {
  const f = flagsOf(ctx);
  return somePossible(ctx, type, (t) => (t.flags & f.primitive) !== 0);
}

/**
 * Testing the value for truthiness would depend on a traced value. A union of nullish and
 * object types (`bias?: NDArray`) is a presence check: a tracer is an object, so the test
 * is static and means the same with and without jit.
 */
export function truthinessIsTraced(ctx: AnalysisContext, type: TS.Type): boolean {
  const f = flagsOf(ctx);
  if (type.isUnion()) {
    const present = type.types.filter((t) => !(t.flags & f.nullish));
    if (present.length < type.types.length && present.every((t) => t.flags & f.object)) return false;
  }
  return mayBeTracer(ctx, type);
}

/** The type mentions NDArray or something opaque (any, unknown, a type parameter) anywhere. */
export function mayCarryTracers(ctx: AnalysisContext, type: TS.Type, seen = new Set<TS.Type>()): boolean {
  if (seen.has(type) || seen.size > 64) return false;
  seen.add(type);
  const F = ctx.ts.TypeFlags;
  if (type.flags & (F.Any | F.Unknown | F.TypeParameter)) return true;
  if (type.isUnionOrIntersection()) return type.types.some((t) => mayCarryTracers(ctx, t, seen));
  if (!(type.flags & F.Object)) return false;
  if (ctx.api.isNDArrayType(type)) return true;
  const objectFlags = (type as TS.ObjectType).objectFlags;
  if (objectFlags & ctx.ts.ObjectFlags.Reference) {
    return ctx.checker.getTypeArguments(type as TS.TypeReference).some((t) => mayCarryTracers(ctx, t, seen));
  }
  return false;
}

/**
 * A tsjit parameter of this declared type accepts a traced value: it mentions NDArray (or is
 * generic), or it is a callback. Anything else (shapes, axes, dtypes, options) is read as a
 * plain JavaScript value when tracing, so it must be static.
 */
export function acceptsTracer(ctx: AnalysisContext, type: TS.Type): boolean {
  if (mayCarryTracers(ctx, type)) return true;
  // A type computed from type parameters (vjp's `...primals: Parameters<F>`) is as generic.
  const F = ctx.ts.TypeFlags;
  if (type.flags & (F.Conditional | F.Substitution | F.IndexedAccess | F.Index)) return true;
  const types = type.isUnion() ? type.types : [type];
  return types.some((t) => t.getCallSignatures().length > 0);
}

/**
 * An NDArray whose dtype is known to be bool: `NDArray<"bool">` (comparisons, logical ops,
 * annotations). An NDArray of unknown dtype is not (no guessing: int32 index arrays are legal).
 */
export function isBoolArrayType(ctx: AnalysisContext, type: TS.Type): boolean {
  const { ts } = ctx;
  if (!(type.flags & ts.TypeFlags.Object) || !ctx.api.isNDArrayType(type)) return false;
  if (!((type as TS.ObjectType).objectFlags & ts.ObjectFlags.Reference)) return false;
  const dtype = ctx.checker.getTypeArguments(type as TS.TypeReference)[0];
  return dtype !== undefined && (dtype.flags & ts.TypeFlags.StringLiteral) !== 0 && (dtype as TS.StringLiteralType).value === "bool";
}

/** The argument slot is an index entry of x.slice / np.slice / x.at (a rest parameter `...index`). */
export function isIndexEntryParameter(ctx: AnalysisContext, decl: TS.SignatureDeclaration, index: number): boolean {
  const { ts } = ctx;
  const params = decl.parameters.filter((p) => !(ts.isIdentifier(p.name) && p.name.text === "this"));
  const param = index < params.length ? params[index] : params.at(-1);
  return param !== undefined && param.dotDotDotToken !== undefined && ts.isIdentifier(param.name) && param.name.text === "index";
}

/** Every non-nullish part is a number, string or bigint (a parameter a library coerces). */
export function isCoercedPrimitive(ctx: AnalysisContext, type: TS.Type): boolean {
  const f = flagsOf(ctx);
  const types = (type.isUnion() ? type.types : [type]).filter((t) => !(t.flags & f.nullish));
  return types.length > 0 && types.every((t) => (t.flags & f.numericOrString) !== 0);
}

export function isStringLike(ctx: AnalysisContext, type: TS.Type): boolean {
  const types = type.isUnion() ? type.types : [type];
  return types.some((t) => t.flags & ctx.ts.TypeFlags.StringLike);
}

/** The declared type of the argument slot `index` of a signature (rest parameters: the element). */
export function declaredParameterType(ctx: AnalysisContext, decl: TS.SignatureDeclaration, index: number): { type: TS.Type; name: string } | undefined {
  const { ts, checker } = ctx;
  const params = decl.parameters.filter((p) => !(ts.isIdentifier(p.name) && p.name.text === "this"));
  const last = params.at(-1);
  const param = index < params.length ? params[index] : last?.dotDotDotToken ? last : undefined;
  if (!param) return undefined;
  const name = ts.isIdentifier(param.name) ? param.name.text : `argument ${index + 1}`;
  let type = checker.getTypeAtLocation(param);
  if (param.dotDotDotToken) {
    if (checker.isArrayType(type) || checker.isTupleType(type)) {
      const args = checker.getTypeArguments(type as TS.TypeReference);
      const position = index - params.indexOf(param);
      type = checker.isTupleType(type) ? (args[position] ?? args.at(-1) ?? type) : (args[0] ?? type);
    }
  }
  return { type, name };
}

export function declaredReturnType(ctx: AnalysisContext, decl: TS.SignatureDeclaration): TS.Type | undefined {
  const signature = ctx.checker.getSignatureFromDeclaration(decl);
  return signature && ctx.checker.getReturnTypeOfSignature(signature);
}

/**
 * A parameter of this declared type can be made static: its values can key the compile
 * cache (primitives, literal unions, enums, functions, read-only arrays and objects made of
 * such values, which the user freezes). An NDArray, or a container of one, cannot: the
 * runtime rejects it (NonHashableStaticArgError); so is a mutable array, the usual pytree
 * of traced scalars. Opaque types (any, unknown) may hold anything: they can.
 */
export function canBeStatic(ctx: AnalysisContext, type: TS.Type, depth = 0): boolean {
  const { ts, checker } = ctx;
  const f = flagsOf(ctx);
  if (depth > MAX_DEPTH) return true;
  if (type.flags & (f.opaque | f.primitive | f.nullish | ts.TypeFlags.ESSymbolLike)) return true;
  if (type.flags & ts.TypeFlags.TypeParameter) {
    const constraint = checker.getBaseConstraintOfType(type);
    return !constraint || constraint === type || canBeStatic(ctx, constraint, depth + 1);
  }
  if (type.isUnionOrIntersection()) return type.types.every((t) => canBeStatic(ctx, t, depth + 1));
  if (!(type.flags & ts.TypeFlags.Object)) return true;
  if (ctx.api.isNDArrayType(type)) return false;
  if (type.getCallSignatures().length > 0) return true;
  if (checker.isArrayType(type) || checker.isTupleType(type)) {
    const readonly = checker.isTupleType(type)
      ? ((type as TS.TypeReference).target as TS.TupleType).readonly
      : type.getSymbol()?.escapedName === "ReadonlyArray";
    return readonly && checker.getTypeArguments(type as TS.TypeReference).every((t) => canBeStatic(ctx, t, depth + 1));
  }
  return checker.getPropertiesOfType(type).every((p) => canBeStatic(ctx, checker.getTypeOfSymbol(p), depth + 1));
}
