// TS990005: static argument names and positions that the jitted function does not have.

import type { AnalysisContext } from "./context.js";
import { Code, spanOf, type Finding, type Span } from "./findings.js";
import { parameterNames, runtimeParameters } from "./functions.js";
import { staticNameFix } from "./fixes.js";
import { named, staticNameSuggestion, staticNumOutOfRangeMessage, unknownStaticNameMessage } from "./messages.js";
import type { JitSite } from "./sites.js";

export function checkStaticArguments(ctx: AnalysisContext, site: JitSite): Finding[] {
  // jit(grad(f)): grad's result takes f's arguments, which the static options name.
  const fn = site.fn ?? site.through?.fn;
  if (!fn || !site.statics.known) return [];
  const params = parameterNames(ctx.ts, fn);
  const hasRest = runtimeParameters(ctx.ts, fn).some((p) => p.dotDotDotToken !== undefined);
  const file = site.node.getSourceFile();
  const paramsSpan = spanOf(fn.parameters.length ? fn.parameters[0]! : fn);
  const related = [{ span: paramsSpan, message: `The parameters of ${named("the jitted function", site.fnName)}.` }];
  const out: Finding[] = [];
  const source = site.kind === "call" ? "staticArgnames" : "@static";
  for (const entry of site.statics.names) {
    if (params.includes(entry.name)) continue;
    const span: Span = entry.node ? spanOf(entry.node) : { file, start: entry.pos ?? site.node.getStart(), length: entry.name.length };
    const suggestion = staticNameSuggestion(entry.name, params);
    const fixes = suggestion ? [staticNameFix(file, span, entry.name, suggestion)] : undefined;
    out.push({ code: Code.UnknownStatic, category: "error", span, message: unknownStaticNameMessage(source, entry.name, site.fnName, params), related, ...(fixes ? { fixes } : {}) });
  }
  for (const entry of site.statics.nums) {
    const index = entry.value < 0 ? params.length + entry.value : entry.value;
    if (Number.isInteger(entry.value) && index >= 0 && (index < params.length || hasRest)) continue;
    const span: Span = entry.node ? spanOf(entry.node) : spanOf(site.node);
    out.push({ code: Code.UnknownStatic, category: "error", span, message: staticNumOutOfRangeMessage(entry.value, site.fnName, params), related });
  }
  return out;
}
