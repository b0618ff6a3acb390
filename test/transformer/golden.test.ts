// Golden cases: test/cases/<name>/{input.ts, diagnostics.txt, output.js}, compiled in-process
// through ts-patch's compiler with tsjit's program transformer. UPDATE_GOLDEN=1 rewrites the
// expected files (review every change by hand: a golden must encode correct behaviour).

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CASES, compileCase, listCases, readIfExists } from "./harness.js";

const update = process.env.UPDATE_GOLDEN === "1";
const only = process.env.GOLDEN_CASE;

describe("golden cases", () => {
  const cases = listCases().filter((name) => !only || name === only);
  it("has at least 60 cases", () => {
    if (!only) expect(cases.length).toBeGreaterThanOrEqual(60);
  });
  for (const name of cases) {
    it(name, () => {
      const dir = join(CASES, name);
      const { diagnostics, output } = compileCase(dir);
      if (process.env.GOLDEN_PRINT) console.log(`${diagnostics}\n----\n${output}`);
      if (update) {
        writeFileSync(join(dir, "diagnostics.txt"), diagnostics);
        writeFileSync(join(dir, "output.js"), output);
        return;
      }
      expect(diagnostics).toBe(readIfExists(join(dir, "diagnostics.txt")));
      expect(output).toBe(readIfExists(join(dir, "output.js")));
    });
  }
});
