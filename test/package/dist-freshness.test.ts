// The staleness check that guards every test loading the built package (dist/).

import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { assertDistFresh, BUILD_OUTPUTS, distStaleness, REPO_ROOT } from "../helpers/dist.js";

let root: string;
const T0 = new Date("2026-01-01T00:00:00Z").getTime() / 1000;

function file(path: string, secondsAfterT0: number): void {
  const full = join(root, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, "");
  utimesSync(full, T0 + secondsAfterT0, T0 + secondsAfterT0);
}

describe("distStaleness", () => {
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "tsjit-dist-"));
    file("runtime/index.ts", 0);
    file("runtime/jit/jit.ts", 1);
    file("transformer/analysis/messages.ts", 2);
    file("scripts/build.mjs", 0);
    file("tsconfig.json", 0);
    file("tsconfig.build.json", 0);
    for (const out of BUILD_OUTPUTS) file(out, 10);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("accepts outputs newer than every source", () => {
    expect(distStaleness(root)).toBeUndefined();
  });

  it("names a source edited after the build, however deep", () => {
    file("transformer/analysis/messages.ts", 20);
    expect(distStaleness(root)).toBe("transformer/analysis/messages.ts was modified 10.0 s after dist/runtime/index.js was built");
  });

  it("dates the build by its oldest output", () => {
    // A source edited while the build ran is newer than the first output written.
    file("dist/transform.cjs", 30);
    file("runtime/jit/jit.ts", 15);
    expect(distStaleness(root)).toMatch(/^runtime\/jit\/jit\.ts was modified 5\.0 s after dist\/runtime\/index\.js/);
  });

  it("counts the build configuration, and ignores files the build does not read", () => {
    file("runtime/README.md", 50);
    file("test/cases/x/input.ts", 50);
    expect(distStaleness(root)).toBeUndefined();
    file("tsconfig.build.json", 50);
    expect(distStaleness(root)).toMatch(/^tsconfig\.build\.json was modified/);
  });

  it("reports a missing output", () => {
    rmSync(join(root, "dist/transform.cjs"));
    expect(distStaleness(root)).toBe("dist/transform.cjs is missing");
  });

  it("fails with the reason and the fix", () => {
    file("runtime/index.ts", 99);
    expect(() => assertDistFresh(root)).toThrow(
      "dist/ is stale: runtime/index.ts was modified 89.0 s after dist/runtime/index.js was built. Run `npm run build`",
    );
  });
});

describe("this repository's dist/", () => {
  it("was built from the current sources (the global setup builds it)", () => {
    expect(distStaleness(REPO_ROOT)).toBeUndefined();
  });
});
