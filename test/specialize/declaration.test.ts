// `/** @jit */` function declarations get the jitted function's members at run time
// (jitDeclaration, emitted by the transformer); their declared type stays the function as
// written, and `asJitted(f)` is the typed view.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createRequire } from "node:module";
import type * as TS from "typescript";
import { describe, expect, it } from "vitest";
import { ArgumentError, asJitted, jit, jitDeclaration, np, type NDArray } from "tsjit";

const ts: typeof TS = createRequire(import.meta.url)("typescript");

describe("jitDeclaration", () => {
  it("gives a forwarding wrapper every member of the jitted function, creating it on first use", () => {
    let created = 0;
    let jitted: ReturnType<typeof jit<(x: NDArray) => NDArray>> | undefined;
    const make = () => (jitted ??= (created++, jit(function double(x: NDArray) { return x.mul(2); })));
    function double(x: NDArray): NDArray { return make()(x); }
    jitDeclaration(double, make);
    expect(created).toBe(0);
    const d = asJitted(double);
    expect(d.cacheSize()).toBe(0);
    expect(created).toBe(1);
    expect(double(np.array([1, 2])).tolist()).toEqual([2, 4]);
    double(np.array([3, 4]));
    expect(d.stats).toEqual({ traces: 1, compiles: 1, hits: 1, prebuiltHits: 0 });
    expect(d.lower(np.array([1])).asText()).toContain("mul");
    expect(d.fn.name).toBe("double");
    d.clearCache();
    expect(d.cacheSize()).toBe(0);
    // Every own member of a jitted function, whatever jit adds later.
    const own = (f: object) => Object.getOwnPropertyNames(f).filter((k) => !["length", "name", "prototype", "arguments", "caller"].includes(k)).sort();
    expect(own(double)).toEqual(own(jit((x: NDArray) => x)));
  });

  it("asJitted refuses a function that is not jitted, saying how to make it so", () => {
    expect(() => asJitted(function plain(x: number) { return x; })).toThrow(ArgumentError);
    expect(() => asJitted(function plain(x: number) { return x; })).toThrow(/asJitted: 'plain' is not a jitted function[\s\S]*\/\*\* @jit \*\//);
    expect(() => asJitted(null as unknown as () => void)).toThrow(/got null/);
  });
});

describe("typing", () => {
  it("the declaration keeps its written type; asJitted(f) has the jitted surface", () => {
    const dir = mkdtempSync(join(tmpdir(), "tsjit-decl-"));
    const path = join(dir, "input.ts");
    writeFileSync(path, `import { asJitted, type NDArray } from "tsjit";
/** @jit @static n */
export function power(x: NDArray, n: number): NDArray { return n > 1 ? x.mul(power(x, n - 1)) : x; }
declare const x: NDArray;
export const traces: number = asJitted(power).stats.traces;
export const text: string = asJitted(power).lower(x, 2).asText();
export const size: number = asJitted(power).cacheSize();
export const wrong = asJitted(power).lower("x", 2);
export const untyped = power.stats;
`);
    const program = ts.createProgram([path], {
      target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true, noEmit: true, skipLibCheck: true, types: [], paths: { tsjit: [resolve("runtime/index.ts")] },
    });
    const diagnostics = program.getSemanticDiagnostics(program.getSourceFile(path)).map((d) => [
      d.code, ts.getLineAndCharacterOfPosition(d.file!, d.start!).line + 1,
    ]);
    // lower() takes the function's own parameters; `f.stats` is not in the declared type.
    expect(diagnostics).toEqual([[2345, 8], [2339, 9]]);
  });
});
