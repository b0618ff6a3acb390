// The built runtime (dist/) under `node --disallow-code-generation-from-strings`: code
// generation is detected as forbidden, the interpreter runs, and every result equals the
// generated-code path's, bit for bit.

import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { assertDistFresh } from "../helpers/dist.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const entry = join(root, "dist/runtime/index.js");
const script = join(root, "test/fixtures/csp-programs.mjs");

interface Report {
  codegen: boolean;
  generatedSource: boolean;
  results: Record<string, { dtype: string; shape: number[]; values: string[] }[]>;
}

function run(flags: string[]): Report {
  const out = execFileSync(process.execPath, [...flags, script, pathToFileURL(entry).href], { encoding: "utf8", cwd: root });
  return JSON.parse(out) as Report;
}

describe("dist/ runtime without code generation (CSP)", () => {
  beforeAll(() => {
    // The global setup builds a stale dist/; this names the reason if it still is.
    assertDistFresh(root);
  });

  it("detects the restriction, interprets, and matches the generated-code results exactly", () => {
    const strict = run(["--disallow-code-generation-from-strings"]);
    const normal = run([]);
    expect(strict.codegen).toBe(false);
    expect(strict.generatedSource).toBe(false);
    expect(normal.codegen).toBe(true);
    expect(normal.generatedSource).toBe(true);
    expect(Object.keys(strict.results).length).toBe(8);
    expect(strict.results).toEqual(normal.results);
    // Spot-check a value so that two equally wrong runs cannot pass.
    expect(normal.results.integers![0]!.values).toEqual(["1", "-4", "1", "2", "0", "-1"]);
    expect(normal.results.creation![0]!.values).toEqual(["1", "1", "2", "3", "5", "5"]);
  });
});
