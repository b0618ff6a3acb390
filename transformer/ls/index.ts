// Language-service plugin ({ "name": "tsjit/ls" }): tsjit's diagnostics in editors, and code
// fixes for them. When the program was already patched by the ts-patch transformer (a
// ts-patch'ed tsserver), its semantic diagnostics already hold tsjit's and none are added;
// the code fixes are offered either way.

import type * as TS from "typescript";
import type { TypeScript } from "../analysis/index.js";
import { isAttached, withTsjit } from "../transform/diagnostics.js";
import { codeFixesAt, FIXABLE_CODES } from "./code-fixes.js";

function decorate(ts: TypeScript, info: TS.server.PluginCreateInfo): TS.LanguageService {
  const ls = info.languageService as unknown as TS.LanguageService;
  const proxy = Object.create(null) as TS.LanguageService;
  for (const key of Object.keys(ls) as (keyof TS.LanguageService)[]) {
    const member = ls[key];
    (proxy as unknown as Record<string, unknown>)[key] = typeof member === "function" ? (member as (...a: unknown[]) => unknown).bind(ls) : member;
  }
  const log = (error: unknown) => info.project.projectService.logger.info(`tsjit: ${error instanceof Error ? error.stack : String(error)}`);
  proxy.getSemanticDiagnostics = (fileName: string) => {
    const base = ls.getSemanticDiagnostics(fileName);
    try {
      const program = ls.getProgram();
      const file = program?.getSourceFile(fileName);
      if (!program || !file || isAttached(program)) return base;
      return withTsjit(ts, program, file, base) as TS.Diagnostic[];
    } catch (error) {
      log(error);
      return base;
    }
  };
  proxy.getCodeFixesAtPosition = (fileName, start, end, errorCodes, formatOptions, preferences) => {
    const ours = errorCodes.filter((c) => FIXABLE_CODES.includes(c));
    const theirs = errorCodes.filter((c) => !FIXABLE_CODES.includes(c));
    const base = theirs.length ? ls.getCodeFixesAtPosition(fileName, start, end, theirs, formatOptions, preferences) : [];
    if (!ours.length) return base;
    try {
      const program = ls.getProgram();
      const file = program?.getSourceFile(fileName);
      if (!program || !file) return base;
      return [...base, ...codeFixesAt(ts, program, file, start, end, ours)];
    } catch (error) {
      log(error);
      return base;
    }
  };
  proxy.getSupportedCodeFixes = (fileName?: string) => [...ls.getSupportedCodeFixes(fileName), ...FIXABLE_CODES.map(String)];
  return proxy;
}

/** tsserver's plugin factory: `module.exports = init`. */
export default function init(modules: { typescript: TypeScript }): { create(info: TS.server.PluginCreateInfo): TS.LanguageService } {
  const ts = modules.typescript;
  return { create: (info) => decorate(ts, info) };
}
