// Input specs from parameter types: what a prebuilt kernel's guard will require of each
// dynamic argument. `number` → a weak float32 scalar; `boolean` → a bool scalar;
// `NDArray<"float32", [number, 784]>` → float32 of rank 2, size 784 on axis 1 and a size
// variable on axis 0 (a string literal names a variable shared between parameters);
// objects and tuples of those → pytrees. A bare `NDArray` parameter says no dtype or rank:
// it is reported as `bare`, and its spec comes from call sites or a flat elementwise kernel
// (index.ts); nested inside a structure it is not prebuildable.

import type * as TS from "typescript";
import type { TypeScriptApi } from "./typescript-api.js";
import { LeafSpec, type SpecTree } from "../../runtime/specialize/specialize.js";
import { isDType } from "../../runtime/dtype.js";

export type SpecResult =
  | { readonly ok: true; readonly spec: SpecTree }
  | { readonly ok: false; readonly reason: string; readonly bare?: true };

class Refused extends Error {}

export interface SpecContext {
  readonly ts: TypeScriptApi;
  readonly checker: TS.TypeChecker;
  readonly isTsjitDeclaration: (decl: TS.Declaration) => boolean;
}

const IDENT = /[^A-Za-z0-9_]/g;

export function specOfParameter(cx: SpecContext, param: TS.ParameterDeclaration, name: string): SpecResult {
  try {
    const type = cx.checker.getTypeAtLocation(param);
    if (isNDArray(cx, type) && !hasSpec(cx, type)) return { ok: false, bare: true, reason: `'${name}' is a plain NDArray` };
    return { ok: true, spec: specOfType(cx, type, name, 0) };
  } catch (e) {
    if (e instanceof Refused) return { ok: false, reason: e.message };
    throw e;
  }
}

function isNDArray(cx: SpecContext, type: TS.Type): boolean {
  const symbol = type.getSymbol() ?? type.aliasSymbol;
  return !!symbol && symbol.name === "NDArray" && (symbol.declarations ?? []).some((d) => cx.isTsjitDeclaration(d));
}

/** Whether an NDArray type names its dtype and rank (`NDArray<"float32", [number, 3]>`). */
function hasSpec(cx: SpecContext, type: TS.Type): boolean {
  const args = (type as TS.TypeReference).typeArguments ?? cx.checker.getTypeArguments(type as TS.TypeReference);
  const [dtypeType, shapeType] = args;
  return !!dtypeType && !!(dtypeType.flags & cx.ts.TypeFlags.StringLiteral) && !!shapeType && cx.checker.isTupleType(shapeType);
}

function specOfType(cx: SpecContext, type: TS.Type, path: string, depth: number): SpecTree {
  const { ts, checker } = cx;
  if (depth > 8) throw new Refused(`'${path}' is nested too deeply`);
  const flags = type.flags;
  if (flags & (ts.TypeFlags.Number | ts.TypeFlags.NumberLiteral)) return new LeafSpec("float32", [], true);
  if (flags & (ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLiteral)) return new LeafSpec("bool", []);
  if (flags & ts.TypeFlags.Null) return null;
  if (flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)) return undefined;
  if (flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) throw new Refused(`'${path}' has no type (annotate it, e.g. NDArray<"float32", [number, 3]>)`);
  if (isNDArray(cx, type)) return ndarraySpec(cx, type, path);
  if (checker.isTupleType(type)) {
    return checker.getTypeArguments(type as TS.TypeReference).map((t, i) => specOfType(cx, t, `${path}[${i}]`, depth + 1));
  }
  if (checker.isArrayType(type)) throw new Refused(`'${path}' is an array of unknown length (use a tuple type)`);
  if (flags & ts.TypeFlags.Object) {
    const out: Record<string, SpecTree> = {};
    for (const prop of checker.getPropertiesOfType(type)) {
      const decl = prop.valueDeclaration;
      const t = decl ? checker.getTypeOfSymbolAtLocation(prop, decl) : checker.getTypeOfSymbol(prop);
      if (t.getCallSignatures().length) throw new Refused(`'${path}.${prop.name}' is a function`);
      out[prop.name] = specOfType(cx, t, `${path}.${prop.name}`, depth + 1);
    }
    return out;
  }
  throw new Refused(`'${path}' has type ${checker.typeToString(type)}, which is not an array, number, boolean or a structure of them`);
}

function ndarraySpec(cx: SpecContext, type: TS.Type, path: string): LeafSpec {
  const { ts, checker } = cx;
  const args = (type as TS.TypeReference).typeArguments ?? checker.getTypeArguments(type as TS.TypeReference);
  const [dtypeType, shapeType] = args;
  const hint = `annotate it as NDArray<"float32", [number, 784]> (a number or name for sizes known only at run time)`;
  if (!dtypeType || !(dtypeType.flags & ts.TypeFlags.StringLiteral)) throw new Refused(`the dtype of '${path}' is not in its type; ${hint}`);
  const dtype = (dtypeType as TS.StringLiteralType).value;
  if (!isDType(dtype)) throw new Refused(`'${path}' has unknown dtype "${dtype}"`);
  if (!shapeType || !checker.isTupleType(shapeType)) throw new Refused(`the rank of '${path}' is not in its type; ${hint}`);
  const shape = checker.getTypeArguments(shapeType as TS.TypeReference).map((t, axis) => {
    if (t.flags & ts.TypeFlags.NumberLiteral) return (t as TS.NumberLiteralType).value;
    if (t.flags & ts.TypeFlags.StringLiteral) {
      const name = (t as TS.StringLiteralType).value;
      if (!/^[A-Za-z_]\w*$/.test(name)) throw new Refused(`size name "${name}" of '${path}' is not an identifier`);
      return name;
    }
    if (t.flags & ts.TypeFlags.Number) return `${path.replace(IDENT, "_")}_${axis}`;
    throw new Refused(`axis ${axis} of '${path}' has type ${checker.typeToString(t)}; use a number literal, a name, or number`);
  });
  return new LeafSpec(dtype, shape);
}
