// Build-time specialization in the ts-patch host: for each jit site being emitted, prebuilt
// kernels for the static values known at build time (see transformer/specialize). Runs at
// emit only — it evaluates the jitted function with the real runtime, which type checking
// (and the editor) must not do — and is memoized per program.
//
// Plugin options (in the tsconfig's plugin entry):
//   "specialize": false                   no prebuilt kernels
//   "specialize": { "maxSpecializations": 16, "notes": true, "traceTimeoutMs": 10000 }
//   "prebuiltBackends": ["cpu", "webgpu", "wasm"]  backends to prebuild entries for (default
//                                          ["cpu"]); webgpu and wasm entries need concrete input shapes
// `notes` reports why a site is traced at run time as TS990006 messages (off by default:
// most reasons are expected, a bare `NDArray` parameter, and would be noise on every build).
// A trace that runs past `traceTimeoutMs` (see specialize/tracer.ts) is a TS990006 warning
// whether notes are on or not: it costs every build that time, and a loop that never ends
// at build time never ends at run time either.

import type * as TS from "typescript";
import type { JitSite, TypeScript } from "../analysis/index.js";
import type { ProgramAnalysis } from "../analysis/program-analysis.js";
import { staticPositions } from "../analysis/sites.js";
import { skipOuterExpressions } from "../analysis/context.js";
import { specializeSite, type Prebuilt, type SiteForSpecialization, type Wrapper } from "../specialize/index.js";
import { indexCalls, literalTree, NONE as NONE_LITERAL, type CallIndex } from "../specialize/candidates.js";
import { defaultTracer, type Tracer } from "../specialize/tracer.js";
import type { TypeStripper } from "../specialize/extract.js";

export const SPECIALIZATION_NOTE = 990006;

export interface SpecializationOptions {
  readonly enabled: boolean;
  readonly maxPerSite: number;
  readonly notes: boolean;
  /** The time budget of one build-time trace. */
  readonly traceTimeoutMs: number;
  /** Runs the traces (default: a worker with `traceTimeoutMs`, see specialize/tracer.ts). */
  readonly tracer?: Tracer;
  /** A host's fast type stripper (the bundler plugin's); TypeScript's otherwise. */
  readonly stripTypes?: TypeStripper;
  /** The backends to prebuild entries for (`prebuiltBackends`, default ["cpu"]). */
  readonly backends: readonly string[];
  /** What was wrong with the options (reported once, as TS990006 warnings). */
  readonly problems: readonly string[];
}

/** The backends a prebuilt entry can be made for. */
export const PREBUILDABLE_BACKENDS: readonly string[] = ["cpu", "webgpu", "wasm"];

export const DEFAULT_TRACE_TIMEOUT_MS = 10_000;

/** `prebuiltBackends`: a list of backend names (unknown ones are dropped with a problem). */
function readBackends(raw: unknown, problems: string[]): string[] {
  if (raw === undefined) return ["cpu"];
  if (!Array.isArray(raw) || raw.some((b) => typeof b !== "string")) {
    problems.push(`tsjit: the plugin option prebuiltBackends must be an array of backend names (${PREBUILDABLE_BACKENDS.map((b) => JSON.stringify(b)).join(", ")}); using ["cpu"].`);
    return ["cpu"];
  }
  const out: string[] = [];
  for (const b of raw as string[]) {
    if (!PREBUILDABLE_BACKENDS.includes(b)) problems.push(`tsjit: prebuiltBackends names ${JSON.stringify(b)}, which is not a backend tsjit can prebuild for (${PREBUILDABLE_BACKENDS.join(", ")}); it is ignored.`);
    else if (!out.includes(b)) out.push(b);
  }
  return out;
}

export function readSpecializationOptions(config: unknown): SpecializationOptions {
  const raw = (config as { specialize?: unknown } | undefined)?.specialize;
  const problems: string[] = [];
  const backends = readBackends((config as { prebuiltBackends?: unknown } | undefined)?.prebuiltBackends, problems);
  if (raw === false || backends.length === 0) return { enabled: false, maxPerSite: 0, notes: false, traceTimeoutMs: DEFAULT_TRACE_TIMEOUT_MS, backends, problems };
  const o = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : {};
  const max = typeof o.maxSpecializations === "number" && o.maxSpecializations >= 0 ? Math.floor(o.maxSpecializations) : 16;
  const timeout = o.traceTimeoutMs;
  const traceTimeoutMs = typeof timeout === "number" && timeout > 0 && Number.isFinite(timeout) ? Math.ceil(timeout) : DEFAULT_TRACE_TIMEOUT_MS;
  return { enabled: true, maxPerSite: max, notes: o.notes === true, traceTimeoutMs, backends, problems };
}

export interface Specializer {
  prebuiltFor(site: JitSite): readonly Prebuilt[];
  /** Notes gathered so far, as diagnostics (only when `notes` is on). */
  takeNotes(): TS.Diagnostic[];
}

const NONE: readonly Prebuilt[] = [];

export function createSpecializer(ts: TypeScript, program: TS.Program, analysis: ProgramAnalysis, options: SpecializationOptions): Specializer {
  const results = new Map<TS.Node, readonly Prebuilt[]>();
  let callIndex: CallIndex | undefined;
  let notes: TS.Diagnostic[] = [];

  let tracer: Tracer | undefined;
  // Problems with the options, reported with the first notes taken.
  let problems = options.problems;

  const note = (site: JitSite, message: string, at?: TS.Node, warning?: boolean) => {
    if (!options.notes && !warning) return;
    const node = at ?? (site.kind === "call" ? site.node.expression : site.node);
    const file = node.getSourceFile();
    const category = warning ? ts.DiagnosticCategory.Warning : ts.DiagnosticCategory.Message;
    notes.push({ file, start: node.getStart(file), length: node.getWidth(file), messageText: message, category, code: SPECIALIZATION_NOTE, source: "tsjit" });
  };

  const describe = (site: JitSite): SiteForSpecialization | string => {
    const ctx = analysis.context;
    const fn = site.fn ?? site.through?.fn;
    if (!fn || !site.params) return "its function is not visible to the build";
    if (site.hasRest) return "its function has a rest parameter";
    const positions = staticPositions(ctx, site);
    if (!positions) return "its static arguments are not known at build time";
    // jit(grad(f)): traced as grad(f), with grad's options as written (literals only).
    const wrappers: Wrapper[] = [];
    for (const w of site.through?.wrappers ?? []) {
      const options = w.options ? literalTree({ ts, checker: ctx.checker, program }, w.options) : undefined;
      if (options === NONE_LITERAL) {
        return `the options of ${w.name}(...) around its function are not literals the build can read (rule: jit(${w.name}(f, options)) is specialized when the options are literals or const bindings of literals)`;
      }
      wrappers.push({ name: w.name, ...(options !== undefined ? { options } : {}) });
    }
    return {
      name: site.fnName,
      fn: fn as unknown as TS.FunctionLikeDeclaration,
      ...(wrappers.length ? { wrappers } : {}),
      params: site.params,
      staticPositions: [...positions],
      specializeOption: specializeOptionOf(ts, site),
      target: targetOf(ts, ctx.checker, site),
    };
  };

  return {
    prebuiltFor(site) {
      if (!options.enabled || options.maxPerSite === 0) return NONE;
      const key = site.node;
      let result = results.get(key);
      if (result) return result;
      const described = describe(site);
      if (typeof described === "string") {
        note(site, `'${site.fnName}' is traced at run time: ${described}.`);
        result = NONE;
      } else {
        const ctx = analysis.context;
        const cx = { ts, checker: ctx.checker, program };
        const s = specializeSite(
          {
            ...cx,
            isTsjitDeclaration: (d) => ctx.api.isTsjitDeclaration(d),
            maxPerSite: options.maxPerSite,
            callIndex: () => (callIndex ??= indexCalls(cx)),
            tracer: (tracer ??= options.tracer ?? defaultTracer(options.traceTimeoutMs)),
            backends: options.backends,
            ...(options.stripTypes ? { stripTypes: options.stripTypes } : {}),
          },
          described,
        );
        for (const n of s.notes) note(site, n.text, n.node, n.warning);
        result = s.prebuilt;
      }
      results.set(key, result);
      return result;
    },
    takeNotes() {
      const out = [
        ...problems.map((text): TS.Diagnostic => ({ file: undefined, start: undefined, length: undefined, messageText: text, category: ts.DiagnosticCategory.Warning, code: SPECIALIZATION_NOTE, source: "tsjit" })),
        ...notes,
      ];
      problems = [];
      notes = [];
      return out;
    },
  };
}

/** The `specialize` property of a call site's options object literal. */
function specializeOptionOf(ts: TypeScript, site: JitSite): TS.Expression | undefined {
  if (site.kind !== "call" || !site.options) return undefined;
  const options = skipOuterExpressions(ts, site.options);
  if (!ts.isObjectLiteralExpression(options)) return undefined;
  for (const p of options.properties) {
    if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === "specialize") return p.initializer;
  }
  return undefined;
}

/** The binding through which the jitted function is called, for static values at call sites. */
function targetOf(ts: TypeScript, checker: TS.TypeChecker, site: JitSite): TS.Symbol | undefined {
  if (site.kind === "function") return site.node.name ? checker.getSymbolAtLocation(site.node.name) : undefined;
  if (site.kind === "variable") return checker.getSymbolAtLocation(site.node.name);
  let parent: TS.Node = site.node.parent;
  while (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isSatisfiesExpression(parent)) parent = parent.parent;
  return ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name) ? checker.getSymbolAtLocation(parent.name) : undefined;
}
