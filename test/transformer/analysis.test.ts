// The analysis core's data (site records for the runtime) and the hosts' guarantee that an
// internal failure becomes one diagnostic naming the site, never a crash.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type * as TS from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { analyzeFile, createContext } from "../../transformer/analysis/index.js";
import { programAnalysis } from "../../transformer/analysis/program-analysis.js";
import { attach } from "../../transformer/transform/program.js";
import { caseOptions, ts } from "./harness.js";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function program(source: string, extra: TS.CompilerOptions = {}): { program: TS.Program; file: TS.SourceFile; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), "tsjit-analysis-"));
  dirs.push(dir);
  const fileName = join(dir, "input.ts");
  writeFileSync(fileName, source);
  const options = { ...caseOptions(dir), plugins: [], ...extra };
  const p = ts.createProgram([fileName], options);
  return { program: p, file: p.getSourceFile(fileName)!, dir };
}

const SOURCE = `import { jit as J, np, type NDArray } from "tsjit";

export const f = J(({ w }: { w: NDArray }, x: NDArray, n: number, ...rest: NDArray[]) => x.mul(w).mul(n), { staticArgnames: ["n"], staticArgnums: [-1] });

/** @jit @static k */
export function g(x: NDArray, k: number) {
  return np.sum(x, k);
}
`;

describe("site records", () => {
  it("records parameter names, static arguments and the site", () => {
    const { program: p, file, dir } = program(SOURCE);
    const { sites, findings } = analyzeFile(createContext(ts, p, dir), file);
    expect(findings).toEqual([]);
    expect(sites.map((s) => ({ kind: s.kind, site: s.site, params: s.params, fnName: s.fnName }))).toEqual([
      { kind: "call", site: "input.ts:3:18", params: ["<destructured>", "x", "n", "rest"], fnName: "f" },
      { kind: "function", site: "input.ts:6:1", params: ["x", "k"], fnName: "g" },
    ]);
    const [call, annotated] = sites;
    expect(call!.statics.known && call!.statics.names.map((n) => n.name)).toEqual(["n"]);
    expect(call!.statics.known && call!.statics.nums.map((n) => n.value)).toEqual([-1]);
    expect(annotated!.statics.known && annotated!.statics.names.map((n) => n.name)).toEqual(["k"]);
  });
});

describe("transformations (grad, vmap, ...)", () => {
  const source = `import * as t from "tsjit";
const G = t.grad;
function loss(w: t.NDArray, n: number) {
  if (n > 1) return w.sum();
  return w.mul(2).sum();
}
export const a = G(loss);
export const b = G(loss, { argnums: [0, 1] });
export const c = t.jit(t.vmap(loss, { inAxes: [0, null] }), { staticArgnums: [1] });
export const d = t.grad(loss, { argnums: someArgnums() });
declare function someArgnums(): number;
`;

  it("are not jit sites (nothing is rewritten) but check their functions: argnums as the runtime traces them", () => {
    const { program: p, file, dir } = program(source);
    const { sites, findings } = analyzeFile(createContext(ts, p, dir), file);
    // Only the jit call is a site: its function is a vmap call, which the rewriter leaves alone.
    expect(sites.map((s) => s.site)).toEqual(["input.ts:9:18"]);
    // 'a' (argnums 0) and 'c' (n static under jit, unbatched) leave n untraced; 'b' traces it;
    // 'd' has unknowable argnums and is not checked.
    expect(findings.map((f) => [f.code, file.getLineAndCharacterOfPosition(f.span.start).line + 1])).toEqual([[990001, 4]]);
    expect(findings[0]!.message).toContain("'n' (a parameter of the function 'loss' differentiated by grad)");
    expect(findings[0]!.message).toContain("leave 1 ('n') out of grad's argnums");
  });
});

describe("TS990007 (an NDArray as a condition)", () => {
  const source = `import { np, type NDArray } from "tsjit";\nexport function f(bias?: NDArray) {\n  if (np.zeros([1]).sum()) return 1;\n  return bias ? 2 : 3;\n}\n`;
  const codes = (extra: TS.CompilerOptions) => {
    const { program: p, file, dir } = program(source, extra);
    return analyzeFile(createContext(ts, p, dir), file).findings.map((f) => [f.code, file.getLineAndCharacterOfPosition(f.span.start).line + 1]);
  };

  it("reports an always-truthy array, not an optional one (a presence check)", () => {
    expect(codes({})).toEqual([[990007, 3]]);
  });

  it("reports nothing without strictNullChecks, where 'bias?: NDArray' is typed NDArray", () => {
    expect(codes({ strict: false })).toEqual([]);
    expect(codes({ strict: true, strictNullChecks: false })).toEqual([]);
  });
});

describe("internal failures", () => {
  function breakChecker(p: TS.Program, method: keyof TS.TypeChecker) {
    const checker = p.getTypeChecker();
    const broken = new Proxy(checker, {
      get(target, key, receiver) {
        if (key === method) return () => { throw new Error("injected failure"); };
        return Reflect.get(target, key, receiver);
      },
    });
    p.getTypeChecker = () => broken;
  }

  it("a failing site becomes one warning naming it; tsc still emits", () => {
    const { program: p, file } = program(`import { jit, type NDArray } from "tsjit";\nexport const f = jit((x: NDArray) => (x.gt(0) ? x : x.neg()));\n`);
    breakChecker(p, "getResolvedSignature");
    attach(ts, p);
    const ours = p.getSemanticDiagnostics(file).filter((d) => d.source === "tsjit");
    expect(ours).toHaveLength(1);
    expect(ours[0]!.code).toBe(990000);
    expect(ours[0]!.category).toBe(ts.DiagnosticCategory.Warning);
    expect(ts.flattenDiagnosticMessageText(ours[0]!.messageText, "\n")).toContain("could not analyze the jit site at input.ts:2:18 (internal error: injected failure)");
    let js = "";
    const result = p.emit(file, (name, text) => { if (name.endsWith(".js")) js = text; });
    expect(result.emitSkipped).toBe(false);
    expect(js).toContain(`site: "input.ts:2:18"`);
  });

  it("analysis cost is bounded: a site past its step budget is skipped with one warning", () => {
    const { program: p, file, dir } = program(`import { jit, type NDArray } from "tsjit";\nexport const f = jit((x: NDArray) => {\n  let y = x;\n  for (let i = 0; i < 3; i++) y = y.add(x);\n  return y.gt(0) ? y : x;\n});\n`);
    const ctx = { ...createContext(ts, p, dir), stepBudget: 10 };
    const { findings } = analyzeFile(ctx, file);
    expect(findings.map((f) => [f.code, f.category])).toEqual([[990000, "warning"]]);
    expect(findings[0]!.message).toContain("jit site at input.ts:2:18: the function is too large to check at build time");
    // With the default budget the same site is analyzed (and its branch reported).
    expect(analyzeFile(createContext(ts, p, dir), file).findings.map((f) => f.code)).toEqual([990001]);
  });

  it("a failure while rewriting becomes an emit diagnostic; the file is emitted as written", () => {
    const { program: p, file } = program(`import { jit, type NDArray } from "tsjit";\nexport const f = jit((x: NDArray) => x);\n`);
    attach(ts, p);
    // Break the rewrite of the file's site (the record the emit reads, not the AST).
    const [site] = programAnalysis(ts, p).fileAnalysis(file).sites;
    Object.defineProperty(site!, "params", { get() { throw new Error("injected rewrite failure"); } });
    let js = "";
    const result = p.emit(file, (name, text) => { if (name.endsWith(".js")) js = text; });
    const ours = result.diagnostics.filter((d) => d.source === "tsjit");
    expect(ours).toHaveLength(1);
    expect(ts.flattenDiagnosticMessageText(ours[0]!.messageText, "\n")).toContain("injected rewrite failure");
    expect(js).toContain("export const f = jit((x) => x);");
  });

  it("a failure while finding sites becomes one warning for the file; emit is unchanged", () => {
    const { program: p, file } = program(`import { jit, type NDArray } from "tsjit";\nexport const f = jit((x: NDArray) => x);\n`);
    breakChecker(p, "getSymbolAtLocation");
    attach(ts, p);
    const ours = p.getSemanticDiagnostics(file).filter((d) => d.source === "tsjit");
    expect(ours).toHaveLength(1);
    expect(ours[0]!.code).toBe(990000);
    let js = "";
    p.emit(file, (name, text) => { if (name.endsWith(".js")) js = text; });
    expect(js).toContain("export const f = jit((x) => x);");
  });
});
