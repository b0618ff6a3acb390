// The transformer side of specialization on real TypeScript programs: static values
// from types, options and call sites; input specs from annotations; extraction refusals.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createRequire } from "node:module";
import type * as TS from "typescript";
import { describe, expect, it } from "vitest";
import type { Prebuilt } from "../../transformer/specialize/index.js";
import { programAnalysis } from "../../transformer/analysis/program-analysis.js";
import { createSpecializer, readSpecializationOptions } from "../../transformer/transform/specialization.js";
import { jit, np } from "tsjit";
import type { PrebuiltKernel } from "../../runtime/jit/prebuilt.js";

const ts: typeof TS = createRequire(import.meta.url)("typescript");

function programOf(source: string): { program: TS.Program; file: TS.SourceFile } {
  const dir = mkdtempSync(join(tmpdir(), "tsjit-site-"));
  const path = join(dir, "input.ts");
  writeFileSync(path, source);
  const program = ts.createProgram([path], {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true, noEmit: true, skipLibCheck: true, types: [], paths: { tsjit: [resolve("runtime/index.ts")] },
  });
  return { program, file: program.getSourceFile(path)! };
}

/** The file's first jit site, found and specialized by the transformer's own analysis and host. */
function run(source: string): { prebuilt: readonly Prebuilt[]; notes: string[]; at: string[] } {
  const { program, file } = programOf(source);
  const analysis = programAnalysis(ts, program);
  const [site] = analysis.fileAnalysis(file).sites;
  if (!site) throw new Error("no jit site found");
  const specializer = createSpecializer(ts, program, analysis, readSpecializationOptions({ specialize: { notes: true } }));
  const prebuilt = specializer.prebuiltFor(site);
  const diagnostics = specializer.takeNotes();
  return {
    prebuilt,
    notes: diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")),
    at: diagnostics.map((d) => d.file!.text.slice(d.start!, d.start! + d.length!)),
  };
}

const header = `import { jit, np, lax, type NDArray } from "tsjit";\n`;

describe("specializing a jit site", () => {
  it("prebuilds one kernel per member of a literal-union static type", () => {
    const r = run(header + `
      const gelu = (x: NDArray) => x.mul(0.5).mul(np.tanh(x.mul(0.7978845608)).add(1));
      export const act = jit((x: NDArray<"float32", [number]>, mode: "relu" | "gelu") =>
        mode === "relu" ? np.maximum(x, 0) : gelu(x), { staticArgnames: ["mode"] });`);
    expect(r.notes).toEqual([]);
    expect(r.prebuilt.map((p) => p.key)).toEqual(['s:"gelu"', 's:"relu"']);
    // The emitted entries are real kernels: they serve the runtime without tracing.
    const kernels = r.prebuilt.map((p) => new Function(`return (${p.code});`)() as PrebuiltKernel);
    const f = jit((x: import("tsjit").NDArray, mode: string) => (mode === "relu" ? np.maximum(x, 0) : x), { staticArgnames: ["mode"] },
      { params: ["x", "mode"], prebuilt: kernels });
    expect(f(np.array([-1, 2]), "relu").tolist()).toEqual([0, 2]);
    expect(f.stats.prebuiltHits).toBe(1);
  });

  it("takes booleans, enums, the specialize option and literal call-site arguments", () => {
    const r = run(header + `
      enum Mode { A = 1, B = 2 }
      const SCALE = 3;
      export const f = jit((x: NDArray<"float32", [number, 4]>, k: number, flag: boolean) =>
        flag ? x.mul(k) : x.add(k), { staticArgnames: ["k", "flag"], specialize: [{ k: 7, flag: true }] });
      f(np.ones([2, 4]), SCALE, false);
      f(np.ones([2, 4]), Mode.B, true);
      declare const runtimeValue: number;
      f(np.ones([2, 4]), runtimeValue, true);`);
    expect(r.notes).toEqual([]);
    expect(r.prebuilt.map((p) => p.key)).toEqual(["n:2;b:1", "n:3;b:0", "n:7;b:1"]);
  });

  it("reads shapes from NDArray type arguments, sharing named sizes", () => {
    const r = run(header + `
      type Params = { w: NDArray<"float32", ["d", "h"]>; b: NDArray<"float32", ["h"]> };
      export const layer = jit((x: NDArray<"float32", ["batch", "d"]>, p: Params) => np.maximum(np.matmul(x, p.w).add(p.b), 0));`);
    expect(r.notes).toEqual([]);
    const k = new Function(`return (${r.prebuilt[0]!.code});`)() as PrebuiltKernel;
    expect(k.inputs.map((i) => i[2])).toEqual([["batch", "d"], ["h"], ["d", "h"]]);
  });

  it("notes why a site is traced at run time", () => {
    const cases: [string, string][] = [
      [`export const f = jit((x: NDArray) => x.sum(0));`, `it is not elementwise in its plain-NDArray parameters (it uses reduce_sum)`],
      [`let scale = 2;\nexport const f = jit((x: NDArray<"float32", [3]>) => x.mul(scale));`, "mutable module variable 'scale' (declared with let)"],
      [`export function make(k: number) { return jit((x: NDArray<"float32", [3]>) => x.mul(k)); }`, "closes over 'k', a local of an enclosing function"],
      [`import { readFileSync } from "node:fs";\nexport const f = jit((x: NDArray<"float32", [3]>) => x.mul(readFileSync.length));`, "imported from"],
      [`export const f = jit((x: NDArray<"float32", [3]>) => x.mul(Date.now()));`, "global 'Date'"],
      [`export const f = jit((x: NDArray<"float32", [number]>, n: number) => x.mul(n), { staticArgnames: ["n"] });`, "no values of its static parameter 'n' are known"],
      [`export const f = jit((x: NDArray<"float32", [number]>) => x.reshape(x.shape[0]! * 2, -1));`, "needs a concrete size"],
    ];
    for (const [src, reason] of cases) {
      const r = run(header + src);
      expect(r.prebuilt).toEqual([]);
      expect(r.notes.join("\n")).toContain(reason);
    }
  });

  it("takes BigInt static values from the option, types and call sites (keys type-tagged as at run time)", () => {
    const r = run(header + `
      export const f = jit((x: NDArray<"float32", [number]>, n: bigint) => x.mul(Number(n)), { staticArgnames: ["n"], specialize: [{ n: 2n }, { n: -3n }] });
      f(np.ones([2]), 5n);`);
    expect(r.notes).toEqual([]);
    expect(r.prebuilt.map((p) => p.key)).toEqual(["i:-3", "i:2", "i:5"]);
    const typed = run(header + `export const g = jit((x: NDArray<"float32", [number]>, n: 1n | 2n) => x.mul(Number(n)), { staticArgnames: ["n"] });`);
    expect(typed.prebuilt.map((p) => p.key)).toEqual(["i:1", "i:2"]);
    // A BigInt in a note's label is written as a literal.
    const failing = run(header + `export const h = jit((x: NDArray<"float32", [number]>, n: bigint) => x.reshape(Number(n), -1), { staticArgnames: ["n"], specialize: [{ n: 7n }] });`);
    expect(failing.notes.join("\n")).toContain("for n=7n is traced at run time");
    // A note about a value from the option sits at its entry, not at 1:1 of the file.
    expect(failing.at).toEqual(["{ n: 7n }"]);
  });

  it("is deterministic", () => {
    const src = header + `export const f = jit((x: NDArray<"float32", [number]>, m: "a" | "b") => m === "a" ? x.add(1) : lax.foriLoop(0, 3, (_i, v) => v.mul(2), x), { staticArgnames: ["m"] });`;
    expect(run(src).prebuilt.map((p) => p.code).join("\n")).toBe(run(src).prebuilt.map((p) => p.code).join("\n"));
  });
});
