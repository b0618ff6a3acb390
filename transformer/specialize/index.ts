// Specializing one jit site at build time: gather the static values known for it, read
// input specs from the dynamic parameters' types, extract and evaluate the function, and
// trace it once per static combination with the real runtime. Everything that cannot be
// done safely becomes an informational note, never a wrong kernel.

import type * as TS from "typescript";
import type { TypeScriptApi } from "./typescript-api.js";
import { LeafSpec, type SpecTree } from "../../runtime/specialize/specialize.js";
import { staticKey } from "../../runtime/jit/static-key.js";
import { extractFunction, extractionPosition, type TypeStripper } from "./extract.js";
import { formatStatic, fromCallSites, fromSpecializeOption, product, valuesOfType, type CallIndex, type StaticValue } from "./candidates.js";
import { specOfParameter } from "./specs.js";
import { inProcessTracer, type Tracer } from "./tracer.js";
import type { SkippedBackend, Specialized } from "../../runtime/specialize/specialize.js";
import { arraySpecsFromCallSites, flatSizeName } from "./array-variants.js";

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
  /** The host's fast type stripper, if it has one (see extract.ts). */
  readonly stripTypes?: TypeStripper;
  /** The backends to prebuild entries for (the plugin's prebuiltBackends; default cpu). */
  readonly backends?: readonly string[];
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
  /**
   * `jit(grad(fn, options))`: the transformations around `fn`, outermost first, applied to
   * it before tracing. `params` and the specs from `fn`'s parameter types are `fn`'s.
   */
  readonly wrappers?: readonly Wrapper[];
}

/** A transformation of the runtime (grad, valueAndGrad, vmap, ...) with literal options. */
export interface Wrapper {
  readonly name: string;
  readonly options?: unknown;
}

/** One prebuilt entry (one backend's kernels for one static combination and input spec). */
export interface Prebuilt {
  readonly key: string;
  /** The entry's source (its backend is written in it: see runtime/specialize/specialize.ts). */
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

  // Cheap refusals first: input specs from the dynamic parameters' types (plain NDArray
  // parameters get theirs from call sites, or a flat elementwise kernel, below)...
  const specs: (SpecTree | undefined)[] = [];
  const bare: number[] = [];
  const paramName = (i: number) => (site.params[i] && site.params[i] !== "<destructured>" ? site.params[i]! : `args${i}`);
  for (let i = 0; i < site.fn.parameters.length; i++) {
    if (statics.includes(i)) { specs.push(undefined); continue; }
    const param = site.fn.parameters[i]!;
    if (param.dotDotDotToken) return fail(`its rest parameter has no fixed arity`);
    const spec = specOfParameter(cx, param, paramName(i));
    if (!spec.ok && spec.bare) { bare.push(i); specs.push(undefined); continue; }
    if (!spec.ok) return fail(spec.reason);
    specs.push(spec.spec);
  }

  // jit(vmap(f)) takes f's arguments with a batch axis: the annotations are f's.
  const wrappers = site.wrappers ?? [];
  for (let w = wrappers.length - 1, k = 0; w >= 0; w--) {
    if (wrappers[w]!.name !== "vmap") continue;
    const batched = batchSpecs(specs, wrappers[w]!.options, `vmap_${k++}`);
    if (typeof batched === "string") return fail(batched);
    specs.splice(0, specs.length, ...batched);
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

  // Array specs of plain NDArray parameters: from the calls' arguments, else one flat
  // elementwise kernel for any shape they share.
  const bareNames = bare.map((i) => `'${paramName(i)}'`).join(", ");
  let variants: { specs: (SpecTree | undefined)[]; flat?: string }[] = [{ specs }];
  if (bare.length) {
    const fromCalls = site.target ? arraySpecsFromCallSites(cx, cx.callIndex(), site.target, bare) : [];
    if (fromCalls.length) {
      notes.push({ text: `'${site.name}': shapes of plain NDArray ${bareNames} taken from ${fromCalls.length === 1 ? "a call site" : `${fromCalls.length} distinct call-site shapes`} (calls with other shapes trace as usual).` });
      variants = fromCalls.map((leaves) => ({ specs: specs.map((s, i) => (bare.includes(i) ? leaves[bare.indexOf(i)] : s)) }));
    } else {
      const flat = flatSizeName(specs);
      notes.push({ text: `'${site.name}': no call site shows the shapes of plain NDArray ${bareNames}; prebuilding one elementwise kernel for any shape and dtype float32 they share.` });
      variants = [{ specs: specs.map((s, i) => (bare.includes(i) ? new LeafSpec("float32", [flat]) : s)), flat }];
    }
  }

  // The function itself, evaluated with the real runtime, traced once per combination.
  const tracer = cx.tracer ?? inProcessTracer();
  const backends = cx.backends ?? ["cpu"];
  const prebuilt: Prebuilt[] = [];
  // Traces that gave entries (the cap counts these, not entries: one per backend).
  let built = 0;
  // `counted`: false for the call-site shapes of a backend that a counted trace skipped.
  const keep = (r: Specialized, counted = true) => {
    if (counted) built++;
    for (const e of r.entries) prebuilt.push({ key: r.staticKey, code: e.code, jaxprText: r.jaxprText });
  };
  // Concrete shapes seen at call sites, for when a size read from .shape must be a number.
  let concrete: (SpecTree | undefined)[][] | undefined;
  const concreteVariants = () => (concrete ??= site.target ? concreteCallSiteSpecs(cx, site.target, specs) : []);
  combinations: for (let c = 0; c < chosen.length; c++) {
    const { values, origin } = chosen[c]![1];
    const label = statics.length ? ` for ${staticNames.map((n, i) => `${n}=${formatStatic(values[i])}`).join(", ")}` : "";
    const attempt = (variant: { specs: (SpecTree | undefined)[]; flat?: string }, only: readonly string[] = backends) => {
      const args = variant.specs.map((s, i) => (statics.includes(i) ? values[statics.indexOf(i)] : s));
      return tracer.trace({
        js: extraction.js,
        name: site.name,
        params: site.params,
        staticPositions: statics,
        args,
        backends: only,
        ...(wrappers.length ? { wrappers } : {}),
        ...(variant.flat ? { flat: variant.flat } : {}),
      });
    };
    /**
     * Backends that could not prebuild the trace: with symbolic sizes, they get entries for
     * the concrete shapes seen at call sites instead (webgpu compiles for concrete sizes).
     */
    const skippedBackends = (skipped: readonly SkippedBackend[], variant: { flat?: string }) => {
      const retry = variant.flat ? [] : skipped.filter((k) => k.symbolicSizes).map((k) => k.backend);
      let served = 0;
      if (retry.length) {
        for (const specsAt of concreteVariants()) {
          const again = attempt({ specs: specsAt }, retry);
          if (!again.ok) continue;
          keep(again, false);
          served++;
        }
      }
      for (const k of skipped) {
        const how = served && retry.includes(k.backend)
          ? `prebuilt for the ${served === 1 ? "concrete shape" : `${served} concrete shapes`} seen at call sites instead`
          : `its calls on ${k.backend} trace at run time`;
        notes.push({ text: `'${site.name}'${label}: no ${k.backend} kernel for these input specs (rule: prebuiltBackends lists ${k.backend}; ${k.reason.replace(/\.$/, "")}); ${how}.`, node: origin });
      }
    };
    for (const variant of variants) {
      if (built >= cap) break;
      let result: ReturnType<Tracer["trace"]>;
      try {
        result = attempt(variant);
      } catch (e) {
        // Not the site's fault (a value the worker cannot receive, say): reported where the value came from.
        notes.push({ text: `'${site.name}'${label} is traced at run time: building it failed (${(e as Error).message}).`, node: origin, warning: true });
        continue combinations;
      }
      if (result.ok) {
        keep(result);
        if (result.skipped.length) skippedBackends(result.skipped, variant);
        continue;
      }
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
        break combinations;
      }
      const at = extractionPosition(result.stack);
      const line = at && extraction.originalLine(at.line, at.column);
      const where = line ? ` (line ${line})` : "";
      const fallback = result.needsConcreteSize && !variant.flat ? concreteVariants() : [];
      let served = 0;
      for (const specsAt of fallback) {
        if (built >= cap) break;
        const again = attempt({ specs: specsAt });
        if (again.ok) { keep(again); served++; }
      }
      if (served) {
        notes.push({ text: `'${site.name}'${label}: ${result.reason.replace(/^it needs a concrete size: /, "")}${where}; prebuilt for the ${served === 1 ? "concrete shape" : `${served} concrete shapes`} seen at call sites instead (calls with other shapes trace as usual).`, node: origin });
      } else {
        const fix = result.needsConcreteSize
          ? ` Fix: write that size as a number in the parameter's type (NDArray<"float32", [number, 64]>), or call the function with arrays whose shapes the build can see (np.zeros([4, 64]), np.array literals)`
          : "";
        notes.push({ text: `'${site.name}'${label} is traced at run time: ${result.reason}${where}.${fix}${fix ? "." : ""}`, node: origin });
      }
    }
  }
  if (wrappers.length && built) {
    notes.push({ text: `'${site.name}': prebuilt by tracing ${wrappers.map((w) => `${w.name}(`).join("")}...${")".repeat(wrappers.length)} of its function at build time (rule: the function of a jit site may be wrapped in grad, valueAndGrad, vmap, jacfwd, jacrev or hessian with literal options; the build applies them as the runtime does).` });
  }
  return { prebuilt, notes };
}

/**
 * The specs of vmap(f)'s arguments from f's: the batch axis (size variable `size`) inserted
 * at each argument's inAxes entry (JAX's default 0; null: not batched). Statics and specs
 * still unknown (plain NDArray, taken from call sites, which show batched shapes) stay.
 */
function batchSpecs(specs: readonly (SpecTree | undefined)[], options: unknown, size: string): (SpecTree | undefined)[] | string {
  const inAxes = (options as { inAxes?: unknown } | undefined)?.inAxes ?? 0;
  const perArgument = Array.isArray(inAxes) && inAxes.every((a) => a === null || typeof a === "number");
  if (typeof inAxes !== "number" && !perArgument) {
    return "its vmap inAxes is not a number or a list of numbers and nulls (rule: jit(vmap(f)) is specialized from f's parameter types for per-argument inAxes)";
  }
  const batch = (t: SpecTree, axis: number): SpecTree => {
    if (t instanceof LeafSpec) {
      const rank = t.shape.length + 1;
      const at = axis < 0 ? axis + rank : axis;
      if (at < 0 || at >= rank) throw new RangeError(`inAxes ${axis} is out of range for an argument of rank ${t.shape.length}`);
      return new LeafSpec(t.dtype, [...t.shape.slice(0, at), size, ...t.shape.slice(at)], t.weakType);
    }
    if (t === null || t === undefined) return t;
    if (Array.isArray(t)) return t.map((c) => batch(c, axis));
    return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, batch(v as SpecTree, axis)]));
  };
  try {
    return specs.map((s, i) => {
      const axis = typeof inAxes === "number" ? inAxes : (inAxes as (number | null)[])[i];
      return s === undefined || axis === null || axis === undefined ? s : batch(s, axis);
    });
  } catch (e) {
    return `${(e as Error).message} (rule: jit(vmap(f)) adds the batch axis at inAxes to f's parameter types)`;
  }
}

/**
 * The dynamic parameters' specs with every symbolic size replaced by the concrete one of a
 * call site, per distinct call whose argument shapes fit the annotations (same dtype, rank
 * and fixed sizes). Parameters without symbolic sizes keep their spec.
 */
function concreteCallSiteSpecs(cx: SpecializationContext, target: TS.Symbol, specs: readonly (SpecTree | undefined)[]): (SpecTree | undefined)[][] {
  const positions = specs.flatMap((s, i) => (s instanceof LeafSpec && s.shape.some((d) => typeof d === "string") ? [i] : []));
  if (!positions.length) return [];
  const out: (SpecTree | undefined)[][] = [];
  for (const leaves of arraySpecsFromCallSites(cx, cx.callIndex(), target, positions)) {
    const fits = positions.every((p, k) => {
      const want = specs[p] as LeafSpec, got = leaves[k]!;
      return got.dtype === want.dtype && got.shape.length === want.shape.length && want.shape.every((d, a) => typeof d === "string" || d === got.shape[a]);
    });
    if (fits) out.push(specs.map((s, i) => (positions.includes(i) ? leaves[positions.indexOf(i)] : s)));
  }
  return out;
}
