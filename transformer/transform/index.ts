// ts-patch program transformer: { "transform": "tsjit/transform", "transformProgram": true }.
// It returns the same program with tsjit attached (diagnostics + emit rewrite), using the
// TypeScript instance ts-patch hands over.

import type * as TS from "typescript";
import type { TypeScript } from "../analysis/index.js";
import { attach } from "./program.js";

export interface ProgramTransformerExtras {
  readonly ts: TypeScript;
}

export default function tsjitProgramTransformer(program: TS.Program, _host: TS.CompilerHost | undefined, config: unknown, extras: ProgramTransformerExtras): TS.Program {
  if (!extras?.ts) {
    throw new Error("tsjit/transform is a ts-patch program transformer: configure it with { \"transform\": \"tsjit/transform\", \"transformProgram\": true } and compile with tspc.");
  }
  return attach(extras.ts, program, config);
}

export { attach } from "./program.js";
