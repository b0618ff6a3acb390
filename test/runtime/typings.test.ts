// Type-level tests: test/fixtures/typings/*.ts must type-check against the runtime's
// public types (they use @ts-expect-error for what must not compile).
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const dir = join(root, "test/fixtures/typings");

function diagnostics(file: string): string[] {
  const program = ts.createProgram([file], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    // The runtime sources (paths below) are compiled with the repository's ambient types (tsconfig.json).
    types: ["node", "@webgpu/types"],
    paths: { tsjit: [join(root, "runtime/index.ts")] },
  });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? `${d.file.fileName.slice(root.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : "";
    return where + ts.flattenDiagnosticMessageText(d.messageText, "\n");
  });
}

describe("public typings", () => {
  for (const name of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
    it(`${name} type-checks`, () => {
      expect(diagnostics(join(dir, name))).toEqual([]);
    }, 120_000);
  }
});
