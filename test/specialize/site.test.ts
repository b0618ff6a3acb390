// The transformer side of specialization on real TypeScript programs: static values
// from types, options and call sites; input specs from annotations; extraction refusals.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { specializeSite, type SiteForSpecialization } from "../../transformer/specialize/index.js";
import { indexCalls, type CallIndex } from "../../transformer/specialize/candidates.js";
import { jit, np } from "tsjit";
import type { PrebuiltKernel } from "../../runtime/jit/prebuilt.js";

const runtimeDir = resolve("runtime") + "/";

function programOf(source: string): { program: ts.Program; file: ts.SourceFile } {
  const dir = mkdtempSync(join(tmpdir(), "tsjit-site-"));
  const path = join(dir, "input.ts");
  writeFileSync(path, source);
  const program = ts.createProgram([path], {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true, noEmit: true, skipLibCheck: true, types: [], paths: { tsjit: [resolve("runtime/index.ts")] },
  });
  return { program, file: program.getSourceFile(path)! };
}

/** The first `jit(fn, { staticArgnames })` call in the file, as the analysis would report it. */
function siteOf(program: ts.Program, file: ts.SourceFile): SiteForSpecialization {
  let call: ts.CallExpression | undefined;
  const find = (n: ts.Node): void => {
    if (!call && ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === "jit") call = n;
    ts.forEachChild(n, find);
  };
  find(file);
  const checker = program.getTypeChecker();
  let fn = call!.arguments[0]!;
  if (ts.isIdentifier(fn)) fn = checker.getSymbolAtLocation(fn)!.valueDeclaration as unknown as ts.Expression;
  const f = fn as unknown as ts.FunctionLikeDeclaration;
  const params = f.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : "<destructured>"));
  const opts = call!.arguments[1] as ts.ObjectLiteralExpression | undefined;
  const prop = (name: string) => opts?.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && (p.name as ts.Identifier).text === name)?.initializer;
  const names = prop("staticArgnames");
  const staticNames = names && ts.isArrayLiteralExpression(names) ? names.elements.map((e) => (e as ts.StringLiteral).text) : [];
  const decl = call!.parent;
  const target = ts.isVariableDeclaration(decl) ? checker.getSymbolAtLocation(decl.name) : undefined;
  return { name: ts.isVariableDeclaration(decl) ? (decl.name as ts.Identifier).text : "f", fn: f, params, staticPositions: staticNames.map((n) => params.indexOf(n)), specializeOption: prop("specialize"), target };
}

function run(source: string) {
  const { program, file } = programOf(source);
  const base = { ts, checker: program.getTypeChecker(), program };
  let index: CallIndex | undefined;
  const cx = { ...base, isTsjitDeclaration: (d: ts.Declaration) => d.getSourceFile().fileName.startsWith(runtimeDir), callIndex: () => (index ??= indexCalls(base)) };
  return specializeSite(cx, siteOf(program, file));
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
      [`export const f = jit((x: NDArray) => x.mul(2));`, `the dtype of 'x' is not in its type`],
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

  it("is deterministic", () => {
    const src = header + `export const f = jit((x: NDArray<"float32", [number]>, m: "a" | "b") => m === "a" ? x.add(1) : lax.foriLoop(0, 3, (_i, v) => v.mul(2), x), { staticArgnames: ["m"] });`;
    expect(run(src).prebuilt.map((p) => p.code).join("\n")).toBe(run(src).prebuilt.map((p) => p.code).join("\n"));
  });
});
