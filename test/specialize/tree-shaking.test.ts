// Prebuilt kernels are tree-shakable: the jit call that carries them is /*#__PURE__*/, so a
// bundler drops an unused jitted function together with its kernels.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { compileCase, CASES } from "../transformer/harness.js";

/** Bundles an entry (its source text) beside `output` saved as ./model.mjs, with tree shaking. */
function bundlerOver(output: string): (entry: string) => Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "tsjit-shake-"));
  writeFileSync(join(dir, "model.mjs"), output + "\nexport const unused = 1;\n");
  return async (entry) => {
    writeFileSync(join(dir, "entry.mjs"), entry);
    const result = await build({ entryPoints: [join(dir, "entry.mjs")], bundle: true, write: false, format: "esm", external: ["tsjit"], treeShaking: true, logLevel: "silent" });
    return result.outputFiles[0]!.text;
  };
}

describe("tree shaking", () => {
  it("drops an unused jitted function's prebuilt kernels and keeps a used one's", async () => {
    const { output } = compileCase(join(CASES, "prebuilt-literal-union"));
    expect(output).toContain("/*#__PURE__*/ jit(");
    const bundle = bundlerOver(output);
    const unused = await bundle(`import { unused } from "./model.mjs"; console.log(unused);`);
    expect(unused).not.toContain("kernel:");
    expect(unused).not.toContain("rt.fastTanh");
    const used = await bundle(`import { activation } from "./model.mjs"; console.log(activation);`);
    expect(used.match(/kernel: function/g)).toHaveLength(2);
  });

  it("drops an unused /** @jit */ function with its kernels, and keeps a used one with its members", async () => {
    const { output } = compileCase(join(CASES, "prebuilt-annotated-function"));
    const bundle = bundlerOver(output);
    const unused = await bundle(`import { unused } from "./model.mjs"; console.log(unused);`);
    expect(unused).not.toContain("kernel:");
    expect(unused).not.toContain("jitDeclaration");
    const used = await bundle(`import { dropoutFree } from "./model.mjs"; console.log(dropoutFree.stats);`);
    expect(used.match(/kernel: function/g)).toHaveLength(2);
    expect(used).toContain("jitDeclaration(dropoutFree");
  });
});
