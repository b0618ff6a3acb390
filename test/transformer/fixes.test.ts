// The edits behind the editor's code fixes (analysis/fixes.ts), on the shapes of source they
// must handle: each fix applied, the file analyzed again, and the finding gone.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type * as TS from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { analyzeFile, createContext, type Finding } from "../../transformer/analysis/index.js";
import type { Fix } from "../../transformer/analysis/fixes.js";
import { caseOptions, ts } from "./harness.js";

const dirs: string[] = [];
const SHARED = new Map<string, TS.SourceFile | undefined>();
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function analyze(source: string): Finding[] {
  const dir = mkdtempSync(join(tmpdir(), "tsjit-fixes-"));
  dirs.push(dir);
  const fileName = join(dir, "input.ts");
  writeFileSync(fileName, source);
  const options = { ...caseOptions(dir), plugins: [] };
  const host = ts.createCompilerHost(options, true);
  const read = host.getSourceFile.bind(host);
  // The runtime's and the libraries' sources parse once for all tests.
  host.getSourceFile = (name, version, onError, create) => {
    if (name === fileName) return read(name, version, onError, create);
    let shared = SHARED.get(name);
    if (!shared) SHARED.set(name, (shared = read(name, version, onError, create)));
    return shared;
  };
  const p = ts.createProgram([fileName], options, host);
  const errors = p.getSemanticDiagnostics(p.getSourceFile(fileName)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  expect(errors).toEqual([]);
  return [...analyzeFile(createContext(ts, p, dir), p.getSourceFile(fileName)!).findings];
}

function apply(source: string, fix: Fix): string {
  let text = source;
  for (const e of [...fix.edits].sort((a, b) => b.start - a.start)) text = text.slice(0, e.start) + e.newText + text.slice(e.start + e.length);
  return text;
}

/** The one fix named `name` on the only finding with `code`, applied; the result re-analyzed has no such finding. */
function fixed(source: string, code: number, name: Fix["name"]): string {
  const findings = analyze(source).filter((f) => f.code === code);
  expect(findings).toHaveLength(1);
  const fix = findings[0]!.fixes?.find((f) => f.name === name);
  expect(fix, `no ${name} fix`).toBeDefined();
  const text = apply(source, fix!);
  expect(analyze(text).filter((f) => f.code === code)).toEqual([]);
  return text;
}

function fixNames(source: string, code: number): string[] {
  return analyze(source).filter((f) => f.code === code).flatMap((f) => (f.fixes ?? []).map((x) => x.name));
}

const HEAD = `import { jit, np, type NDArray } from "tsjit";\n`;

describe("mark static", { timeout: 120_000 }, () => {
  it("extends or creates the options of a jit call", () => {
    const body = `(x: number) => { if (x > 0) return np.asarray(1); return np.asarray(0); }`;
    expect(fixed(`${HEAD}export const a = jit(${body});\n`, 990001, "tsjitMarkStatic")).toContain(`jit(${body}, { staticArgnames: ["x"] })`);
    expect(fixed(`${HEAD}export const a = jit(${body}, {});\n`, 990001, "tsjitMarkStatic")).toContain(`{ staticArgnames: ["x"] })`);
    expect(fixed(`${HEAD}export const a = jit(${body}, { maxCacheSize: 4 });\n`, 990001, "tsjitMarkStatic")).toContain(`{ maxCacheSize: 4, staticArgnames: ["x"] })`);
    expect(fixed(`${HEAD}export const a = jit(${body}, { staticArgnames: [] });\n`, 990001, "tsjitMarkStatic")).toContain(`{ staticArgnames: ["x"] })`);
    const two = `(x: number, t: number) => { if (x > t) return np.asarray(1); return np.asarray(0); }`;
    expect(fixed(`${HEAD}export const a = jit(${two}, { staticArgnames: "t" });\n`, 990001, "tsjitMarkStatic")).toContain(`{ staticArgnames: ["t", "x"] })`);
  });

  it("uses staticArgnums for a destructured parameter and @static for an annotated function", () => {
    const destructured = `${HEAD}export const a = jit(({ k }: { k: number }, x: NDArray) => (k > 0 ? x : x.neg()), { staticArgnums: [] });\n`;
    expect(fixed(destructured, 990001, "tsjitMarkStatic")).toContain(`{ staticArgnums: [0] })`);
    const annotated = `${HEAD}/** @jit */\nexport function g(x: NDArray, n: number) {\n  if (n > 1) return x.mul(n);\n  return x;\n}\n`;
    expect(fixed(annotated, 990001, "tsjitMarkStatic")).toContain(`/** @jit @static n */`);
  });

  it("is not offered for an NDArray, for options it cannot edit, or when another origin stays traced", () => {
    expect(fixNames(`${HEAD}export const a = jit((x: NDArray) => { if (x.gt(0)) return x; return x.neg(); });\n`, 990001)).toEqual([]);
    expect(fixNames(`${HEAD}const opts = { maxCacheSize: 2 };\nexport const a = jit((x: number) => { if (x > 0) return np.asarray(1); return np.asarray(0); }, opts);\n`, 990001)).toEqual([]);
    expect(fixNames(`${HEAD}export const a = jit((x: NDArray, t: number) => { if (x.sum().gt(t)) return x; return x.neg(); });\n`, 990001)).toEqual([]);
  });
});

describe("np.where", { timeout: 120_000 }, () => {
  it("rewrites a traced ?: and keeps the file's name for np", () => {
    const src = `import * as T from "tsjit";\nexport const a = T.jit((x: T.NDArray, y: T.NDArray) => (x.sum().le(y.sum()) ? x : y));\n`;
    expect(fixed(src, 990001, "tsjitWhere")).toContain(`T.jit((x: T.NDArray, y: T.NDArray) => (T.np.where(x.sum().le(y.sum()), x, y)))`);
    const renamed = `import { jit, np as N } from "tsjit";\nexport const a = jit((x: number) => (x !== 0 ? N.asarray(x) : N.asarray(1)));\n`;
    expect(fixed(renamed, 990001, "tsjitWhere")).toContain(`(N.where(N.notEqual(x, 0), N.asarray(x), N.asarray(1)))`);
  });

  it("keeps any condition as written (it runs once either way)", () => {
    const src = `${HEAD}function positive(x: NDArray) { return x.gt(0); }\nexport const a = jit((x: NDArray) => (positive(x) ? x : x.neg()));\n`;
    expect(fixed(src, 990001, "tsjitWhere")).toContain(`(np.where(positive(x), x, x.neg()))`);
  });

  it("adds np to the file's value import from tsjit (not to a type-only one)", () => {
    const src = `import type { NDArray } from "tsjit";\nimport { jit } from "tsjit";\nexport const a = jit((x: NDArray) => (x.gt(0) ? x : x.neg()));\n`;
    const text = fixed(src, 990001, "tsjitWhere");
    expect(text).toContain(`import type { NDArray } from "tsjit";\nimport { jit, np } from "tsjit";`);
    expect(text).toContain(`(np.where(x.gt(0), x, x.neg()))`);
  });

  it("is not offered for branches with side effects or conditions it cannot translate", () => {
    expect(fixNames(`${HEAD}let n = 0;\nexport const a = jit((x: NDArray) => (x.gt(0) ? x.mul(n++) : x));\n`, 990001)).toEqual([]);
    expect(fixNames(`${HEAD}export const a = jit((x: number, y: number) => (x > 0 && y > 0 ? np.asarray(x) : np.asarray(y)));\n`, 990001)).not.toContain("tsjitWhere");
  });
});

describe("TS990005", { timeout: 120_000 }, () => {
  it("replaces a misspelled name in staticArgnames and in an @static tag", () => {
    const fn = `function f(x: NDArray, threshold: number) { return np.where(np.greater(x, threshold), x, x.neg()); }\n`;
    expect(fixed(`${HEAD}${fn}export const a = jit(f, { staticArgnames: ["treshold"] });\n`, 990005, "tsjitStaticName")).toContain(`staticArgnames: ["threshold"]`);
    const annotated = `${HEAD}/** @jit @static treshold */\nexport function g(x: NDArray, threshold: number) { return x.mul(threshold); }\n`;
    expect(fixed(annotated, 990005, "tsjitStaticName")).toContain(`/** @jit @static threshold */`);
    expect(fixNames(`${HEAD}${fn}export const a = jit(f, { staticArgnames: ["m"] });\n`, 990005)).toEqual([]);
  });
});
