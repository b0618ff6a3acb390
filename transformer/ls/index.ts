// Language-service plugin ({ "name": "tsjit/ls" }): tsjit's diagnostics in editors. When the
// program was already patched by the ts-patch transformer (a ts-patch'ed tsserver), its
// semantic diagnostics already hold tsjit's and nothing is added.

import type * as TS from "typescript";
import type { TypeScript } from "../analysis/index.js";
import { isAttached, withTsjit } from "../transform/diagnostics.js";

function decorate(ts: TypeScript, info: TS.server.PluginCreateInfo): TS.LanguageService {
  const ls = info.languageService as unknown as TS.LanguageService;
  const proxy = Object.create(null) as TS.LanguageService;
  for (const key of Object.keys(ls) as (keyof TS.LanguageService)[]) {
    const member = ls[key];
    (proxy as unknown as Record<string, unknown>)[key] = typeof member === "function" ? (member as (...a: unknown[]) => unknown).bind(ls) : member;
  }
  proxy.getSemanticDiagnostics = (fileName: string) => {
    const base = ls.getSemanticDiagnostics(fileName);
    try {
      const program = ls.getProgram();
      const file = program?.getSourceFile(fileName);
      if (!program || !file || isAttached(program)) return base;
      return withTsjit(ts, program, file, base) as TS.Diagnostic[];
    } catch (error) {
      info.project.projectService.logger.info(`tsjit: ${error instanceof Error ? error.stack : String(error)}`);
      return base;
    }
  };
  return proxy;
}

/** tsserver's plugin factory: `module.exports = init`. */
export default function init(modules: { typescript: TypeScript }): { create(info: TS.server.PluginCreateInfo): TS.LanguageService } {
  const ts = modules.typescript;
  return { create: (info) => decorate(ts, info) };
}
