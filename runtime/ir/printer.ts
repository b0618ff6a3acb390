// Prints jaxprs in JAX's text format:
//   { lambda ; a:f32[3]. let b:f32[3] = mul a 2.0:f32[] in (b,) }
// Variables are named a, b, ..., z, ba, bb, ... in order of appearance, across sub-jaxprs.

import { ClosedJaxpr, Jaxpr, Literal, type Atom, type Eqn, type Var } from "./jaxpr.js";
import { dimText, type Dim } from "../symbolic.js";

/** Shortest decimal that rounds back to the same float32, Python-style (1e-07, 2.0, inf). */
export function formatFloat32(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (v === Infinity) return "inf";
  if (v === -Infinity) return "-inf";
  if (v === 0) return Object.is(v, -0) ? "-0.0" : "0.0";
  let text = String(v);
  for (let p = 1; p <= 17; p++) {
    const candidate = v.toPrecision(p);
    if (Math.fround(Number(candidate)) === Math.fround(v)) { text = String(Number(candidate)); break; }
  }
  const exp = Math.floor(Math.log10(Math.abs(Number(text))));
  if (exp < -4 || exp >= 16) {
    const [mant, e] = Number(text).toExponential().split("e");
    const n = Number(e);
    return `${mant}e${n < 0 ? "-" : "+"}${String(Math.abs(n)).padStart(2, "0")}`;
  }
  return text.includes(".") || text.includes("e") ? text : text + ".0";
}

export function formatScalar(value: Dim, dtype: string): string {
  if (typeof value !== "number") return dimText(value);
  if (dtype === "bool") return value ? "True" : "False";
  if (dtype === "int32" || dtype === "uint32") return String(value);
  return formatFloat32(value);
}

function encodeName(n: number): string {
  let s = "";
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26);
  } while (n > 0);
  return s;
}

class Names {
  private readonly names = new Map<Var, string>();
  private count = 0;
  name(v: Var): string {
    let n = this.names.get(v);
    if (n === undefined) this.names.set(v, (n = encodeName(this.count++)));
    return n;
  }
}

function atom(a: Atom, names: Names): string {
  if (a instanceof Literal) return `${formatScalar(a.value, a.aval.dtype)}:${a.aval.str}`;
  return names.name(a);
}

function binder(v: Var, names: Names): string {
  return `${names.name(v)}:${v.aval.str}`;
}

function formatParam(value: unknown, names: Names, indent: string): string {
  if (value instanceof ClosedJaxpr || value instanceof Jaxpr) return printJaxpr(value, names, indent);
  if (Array.isArray(value)) {
    const parts = value.map((v) => formatParam(v, names, indent + "  "));
    if (value.some((v) => v instanceof ClosedJaxpr || v instanceof Jaxpr)) {
      return `(\n${parts.map((p) => `${indent}  ${p}`).join("\n")}\n${indent})`;
    }
    return parts.length === 1 ? `(${parts[0]},)` : `(${parts.join(", ")})`;
  }
  if (typeof value === "boolean") return value ? "True" : "False";
  if (value === null || value === undefined) return "None";
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : formatFloat32(value);
  return String(value);
}

function eqnText(eqn: Eqn, names: Names, indent: string): string {
  const keys = Object.keys(eqn.params).filter((k) => eqn.params[k] !== undefined).sort();
  const hasJaxpr = keys.some((k) => {
    const v = eqn.params[k];
    return v instanceof ClosedJaxpr || (Array.isArray(v) && v.some((x) => x instanceof ClosedJaxpr));
  });
  let params = "";
  if (keys.length) {
    const inner = indent + "  ";
    const parts = keys.map((k) => `${k}=${formatParam(eqn.params[k], names, inner)}`);
    params = hasJaxpr ? `[\n${parts.map((p) => inner + p).join("\n")}\n${indent}]` : `[${parts.join(" ")}]`;
  }
  const lhs = eqn.outputs.map((v) => binder(v, names)).join(" ");
  const args = eqn.inputs.map((a) => atom(a, names)).join(" ");
  return `${lhs} = ${eqn.primitive.name}${params}${args ? " " + args : ""}`;
}

function printJaxpr(j: Jaxpr | ClosedJaxpr, names: Names, indent: string): string {
  const jaxpr = j instanceof ClosedJaxpr ? j.jaxpr : j;
  const consts = jaxpr.constvars.map((v) => binder(v, names)).join(" ");
  const ins = jaxpr.invars.map((v) => binder(v, names)).join(" ");
  const head = `{ lambda ${consts}; ${ins}. let`;
  const body = jaxpr.eqns.map((e) => eqnText(e, names, indent + "    "));
  const outs = jaxpr.outvars.map((a) => atom(a, names));
  const tail = `in (${outs.join(", ")}${outs.length === 1 ? "," : ""}) }`;
  const oneLine = `${head} ${body.join(" ")} ${tail}`;
  if (body.length <= 1 && !body.some((b) => b.includes("\n")) && oneLine.length <= 100) return oneLine;
  return `${head}\n${body.map((b) => `${indent}    ${b}`).join("\n")}\n${indent}  ${tail}`;
}

/** JAX's text format for a jaxpr (or closed jaxpr). */
export function prettyPrint(j: Jaxpr | ClosedJaxpr): string {
  return printJaxpr(j, new Names(), "");
}
