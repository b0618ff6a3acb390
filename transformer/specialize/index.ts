// Specializing one jit site at build time: gather the static values known for it, read
// input specs from the dynamic parameters' types, extract and evaluate the function, and
// trace it once per static combination with the real runtime. Everything that cannot be
// done safely becomes an informational note, never a wrong kernel.

import type * as TS from "typescript";
import type { TypeScriptApi } from "./typescript-api.js";
import type { SpecTree } from "../../runtime/specialize/specialize.js";
import { staticKey } from "../../runtime/jit/static-key.js";
import { extractFunction } from "./extract.js";
import { formatStatic, fromCallSites, fromSpecializeOption, product, valuesOfType, type CallIndex, type StaticValue } from "./candidates.js";
import { specOfParameter } from "./specs.js";
import { inProcessTracer, type Tracer } from "./tracer.js";

export interface SpecializationContext {
  readonly ts: TypeScriptApi;
  readonly checker: TS.TypeChecker;
  readonly program: TS.Program;
  readonly isTsjitDeclaration: (decl: TS.Declaration) => boolean;
  /** Prebuilt kernels per site at most (default 16). */
  readonly maxPerSite?: number;
  /** The program's call index (built once, on first use, by the host). */
  readonly callIndex: () => CallIndex;
  /** Runs the traces (default: in this thread, with no time budget). */
  readonly tracer?: Tracer;
}

export interface SiteForSpecialization {
  readonly name: string;
  readonly fn: TS.FunctionLikeDeclaration;
  readonly params: readonly string[];
  readonly staticPositions: readonly number[];
  /** The initializer of the `specialize` option, if any. */
  readonly specializeOption?: TS.Expression;
  /** The binding the jitted function is called through (for call-site values). */
  readonly target?: TS.Symbol;
}

export interface Prebuilt {
  readonly key: string;
  readonly code: string;
  readonly jaxprText: string;
}

/**
 * Why (part of) a site is traced at run time. `node`: where it belongs when not at the site
 * (a `specialize` option entry); `warning`: worth reporting even when notes are off (a trace
 * that ran out of time may be a loop that never ends, at run time too).
 */
export interface Note {
  readonly text: string;
  readonly node?: TS.Node;
  readonly warning?: true;
}

export interface SiteSpecialization {
  readonly prebuilt: readonly Prebuilt[];
  readonly notes: readonly Note[];
}

export function specializeSite(cx: SpecializationContext, site: SiteForSpecialization): SiteSpecialization {
  const notes: Note[] = [];
  const cap = cx.maxPerSite ?? 16;
  const statics = [...site.staticPositions].sort((a, b) => a - b);
  const staticNames = statics.map((p) => site.params[p] ?? `args[${p}]`);
  const fail = (reason: string): SiteSpecialization => ({ prebuilt: [], notes: [...notes, { text: `'${site.name}' is traced at run time: ${reason}.` }] });

  // Cheap refusals first: input specs from the dynamic parameters' types...
  const specs: (SpecTree | undefined)[] = [];
  for (let i = 0; i < site.fn.parameters.length; i++) {
    if (statics.includes(i)) { specs.push(undefined); continue; }
    const param = site.fn.parameters[i]!;
    if (param.dotDotDotToken) return fail(`its rest parameter has no fixed arity`);
    const name = site.params[i] && site.params[i] !== "<destructured>" ? site.params[i]! : `args${i}`;
    const spec = specOfParameter(cx, param, name);
    if (!spec.ok) return fail(spec.reason);
    specs.push(spec.spec);
  }

  // ...and whether the function can be evaluated at build time at all.
  const extraction = extractFunction(cx, site.fn);
  if (!extraction.ok) return fail(extraction.reason);

  // Static combinations, each with the option entry it came from (where its notes go).
  const combos: { values: StaticValue[]; origin?: TS.Node }[] = [];
  if (statics.length === 0) combos.push({ values: [] });
  else {
    const option = fromSpecializeOption(cx, site.specializeOption, staticNames);
    for (const p of option.problems) notes.push({ text: `'${site.name}': ${p.text}.`, node: p.node });
    option.combos.forEach((values, i) => combos.push({ values, origin: option.origins[i] }));
    const typeSets = statics.map((p) => {
      const param = site.fn.parameters[p];
      return param ? valuesOfType(cx, cx.checker.getTypeAtLocation(param)) : undefined;
    });
    if (typeSets.every((s) => s !== undefined)) for (const values of product(typeSets as StaticValue[][], cap * 4)) combos.push({ values });
    if (site.target) for (const values of fromCallSites(cx, cx.callIndex(), site.target, statics)) combos.push({ values });
    if (combos.length === 0) {
      return fail(`no values of its static parameter${statics.length > 1 ? "s" : ""} ${staticNames.map((n) => `'${n}'`).join(", ")} are known at build time ` +
        "(give the parameter a literal-union or boolean type, call it with literals, or list values in the `specialize` option)");
    }
  }
  const unique = new Map<string, (typeof combos)[number]>();
  for (const c of combos) {
    let key: string;
    try {
      key = c.values.map((v, i) => staticKey(v, `static argument '${staticNames[i]}'`)).join(";");
    } catch (e) {
      notes.push({ text: `'${site.name}': ${(e as Error).message}`, node: c.origin });
      continue;
    }
    if (!unique.has(key)) unique.set(key, c);
  }
  let chosen = [...unique.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (chosen.length > cap) {
    notes.push({ text: `'${site.name}' has ${chosen.length} known static combinations; prebuilt the first ${cap} (raise maxSpecializations to prebuild more).` });
    chosen = chosen.slice(0, cap);
  }

  // The function itself, evaluated with the real runtime, traced once per combination.
  const tracer = cx.tracer ?? inProcessTracer();
  const prebuilt: Prebuilt[] = [];
  for (let c = 0; c < chosen.length; c++) {
    const { values, origin } = chosen[c]![1];
    const label = statics.length ? ` for ${staticNames.map((n, i) => `${n}=${formatStatic(values[i])}`).join(", ")}` : "";
    const args = specs.map((s, i) => (statics.includes(i) ? values[statics.indexOf(i)] : s));
    let result: ReturnType<Tracer["trace"]>;
    try {
      result = tracer.trace({ js: extraction.js, name: site.name, params: site.params, staticPositions: statics, args });
    } catch (e) {
      // Not the site's fault (a value the worker cannot receive, say): reported where the value came from.
      notes.push({ text: `'${site.name}'${label} is traced at run time: building it failed (${(e as Error).message}).`, node: origin, warning: true });
      continue;
    }
    if (result.ok) { prebuilt.push({ key: result.staticKey, code: result.code, jaxprText: result.jaxprText }); continue; }
    if (result.stop === "evaluation") return fail(result.reason);
    // The worker could not run: a fault of the build, not of the site, so always reported.
    if (result.stop === "unavailable") return { prebuilt, notes: [...notes, { text: `'${site.name}' is traced at run time: ${result.reason}.`, warning: true }] };
    if (result.stop === "timeout") {
      const rest = chosen.length - c - 1;
      notes.push({
        text: `'${site.name}'${label} is traced at run time: ${result.reason}` +
          (rest ? `; its ${rest} other static combination${rest > 1 ? "s are" : " is"} not tried` : "") +
          ". If the function is meant to take this long, raise the plugin's specialize.traceTimeoutMs.",
        node: origin,
        warning: true,
      });
      break;
    }
    notes.push({ text: `'${site.name}'${label} is traced at run time: ${result.reason}.`, node: origin });
  }
  return { prebuilt, notes };
}
