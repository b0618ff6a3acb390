// Prebuilt kernels for plain `NDArray` parameters: shapes from call sites (np.array literals,
// np.zeros with literal shapes, typed variables), else one flat elementwise kernel guarded on
// "these arguments share one shape and dtype"; and the TS990006 notes that say which applied.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createRequire } from "node:module";
import type * as TS from "typescript";
import { describe, expect, it } from "vitest";
import { programAnalysis } from "../../transformer/analysis/program-analysis.js";
import { createSpecializer } from "../../transformer/transform/specialization.js";
import { jit, np, type NDArray } from "tsjit";
import type { PrebuiltKernel } from "../../runtime/jit/prebuilt.js";
import type { TypeStripper } from "../../transformer/specialize/extract.js";
import { transformSync } from "rolldown/utils";

/** Oxc's stripper, as the bundler plugin uses it under Vite 8. */
let oxcStripped = 0;
const oxc: TypeStripper = (code) => {
  const out = transformSync("extraction.ts", code, { lang: "ts", sourcemap: true });
  if (out.errors.length || !out.map) return undefined;
  oxcStripped++;
  return { code: out.code, map: out.map };
};

const ts: typeof TS = createRequire(import.meta.url)("typescript");

/** The first jit site of `source`, specialized by the transformer's own analysis and host. */
function run(source: string, stripTypes?: TypeStripper): { kernels: PrebuiltKernel[]; keys: string[]; notes: string[]; jaxprs: string[] } {
  const dir = mkdtempSync(join(tmpdir(), "tsjit-plain-"));
  const path = join(dir, "input.ts");
  writeFileSync(path, `import { jit, np, type NDArray } from "tsjit";\n${source}`);
  const program = ts.createProgram([path], {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true, noEmit: true, skipLibCheck: true, types: [], paths: { tsjit: [resolve("runtime/index.ts")] },
  });
  const analysis = programAnalysis(ts, program);
  const [site] = analysis.fileAnalysis(program.getSourceFile(path)!).sites;
  if (!site) throw new Error("no jit site found");
  const specializer = createSpecializer(ts, program, analysis, { enabled: true, maxPerSite: 16, notes: true, traceTimeoutMs: 10_000, backends: ["cpu"], problems: [], ...(stripTypes ? { stripTypes } : {}) });
  const prebuilt = specializer.prebuiltFor(site);
  return {
    kernels: prebuilt.map((p) => new Function(`return (${p.code});`)() as PrebuiltKernel),
    keys: prebuilt.map((p) => p.key),
    jaxprs: prebuilt.map((p) => p.jaxprText),
    notes: specializer.takeNotes().map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")),
  };
}

const data = (x: NDArray) => Array.from(x.dataSync());

describe("plain NDArray parameters", () => {
  it("a literal-union activation gets one flat kernel per mode, serving any shape", () => {
    const activation = (x: NDArray, mode: "relu" | "tanh") => (mode === "relu" ? np.maximum(x, 0) : np.tanh(x));
    const r = run(`export const act = jit((x: NDArray, mode: "relu" | "tanh") => (mode === "relu" ? np.maximum(x, 0) : np.tanh(x)), { staticArgnames: ["mode"] });`);
    expect(r.keys).toEqual(['s:"relu"', 's:"tanh"']);
    expect(r.notes).toEqual([expect.stringMatching(/no call site shows the shapes of plain NDArray 'x'; prebuilding one elementwise kernel/)]);
    expect(r.jaxprs[0]).toContain("a:f32[size]");
    const meta = { params: ["x", "mode"], prebuilt: r.kernels };
    const fast = jit(activation, { staticArgnames: ["mode"] }, meta);
    const traced = jit(activation, { staticArgnames: ["mode"] });
    for (const shape of [[5], [2, 3], [2, 1, 2]]) {
      const x = np.arange(0, shape.reduce((a, b) => a * b, 1), 1, { dtype: "float32" }).sub(2).reshape(shape);
      for (const mode of ["relu", "tanh"] as const) {
        const got = fast(x, mode);
        expect(got.shape).toEqual(shape);
        expect(data(got)).toEqual(data(traced(x, mode)));
      }
    }
    expect(fast.stats).toEqual({ traces: 0, compiles: 0, hits: 0, prebuiltHits: 6 });
  });

  it("gelu with a boolean static gets both kernels; int32 input falls back to tracing", () => {
    // gelu: the tanh approximation, or x * sigmoid(1.702 x)
    const gelu = (x: NDArray, approximate: boolean) =>
      approximate ? x.mul(0.5).mul(np.tanh(x.mul(0.7978845608).mul(x.mul(x).mul(0.044715).add(1))).add(1)) : x.div(np.exp(x.mul(-1.702)).add(1));
    const r = run(`export const g = jit((x: NDArray, approximate: boolean) =>
      approximate ? x.mul(0.5).mul(np.tanh(x.mul(0.7978845608).mul(x.mul(x).mul(0.044715).add(1))).add(1)) : x.div(np.exp(x.mul(-1.702)).add(1)),
      { staticArgnames: ["approximate"] });`);
    expect(r.keys).toEqual(["b:0", "b:1"]);
    const fast = jit(gelu, { staticArgnames: ["approximate"] }, { params: ["x", "approximate"], prebuilt: r.kernels });
    const x = np.array([[-1, 0.5], [2, 3]]);
    expect(data(fast(x, true))).toEqual(data(jit(gelu, { staticArgnames: ["approximate"] })(x, true)));
    expect(data(fast(x, false))).toEqual(data(jit(gelu, { staticArgnames: ["approximate"] })(x, false)));
    expect(fast.stats.traces).toBe(0);
    fast(np.array([1, 2], { dtype: "int32" }), true);
    expect(fast.stats.traces).toBe(1);
  });

  it("two plain arrays must share one shape for the flat kernel; broadcasting calls are traced", () => {
    const f = (a: NDArray, b: NDArray) => a.mul(b).add(1);
    const r = run(`export const f = jit((a: NDArray, b: NDArray) => a.mul(b).add(1));`);
    expect(r.kernels).toHaveLength(1);
    const fast = jit(f, undefined, { params: ["a", "b"], prebuilt: r.kernels });
    expect(data(fast(np.array([[1, 2], [3, 4]]), np.array([[2, 2], [2, 2]])))).toEqual([3, 5, 7, 9]);
    expect(fast.stats.prebuiltHits).toBe(1);
    const broadcast = fast(np.array([[1, 2], [3, 4]]), np.array([10, 100]));
    expect(broadcast.shape).toEqual([2, 2]);
    expect(data(broadcast)).toEqual([11, 201, 31, 401]);
    expect(fast.stats.traces).toBe(1);
  });

  it("scale(x, 3) takes x's shape and k from the call site", () => {
    const r = run(`
      export const scale = jit((x: NDArray, k: number) => x.mul(k), { staticArgnums: [1] });
      const x = np.array([[1, 2, 3], [4, 5, 6]]);
      scale(x, 3);
      scale(np.zeros([4], { dtype: "int32" }), 3);
      const typed: NDArray<"float32", [7]> = np.ones([7]) as NDArray<"float32", [7]>;
      scale(typed, 3);`);
    expect(r.keys).toEqual(["n:3", "n:3", "n:3"]);
    expect(r.jaxprs.map((j) => /a:(\w+\[[\d,]*\])/.exec(j)![1])).toEqual(["f32[2,3]", "f32[7]", "i32[4]"]);
    expect(r.notes).toEqual([expect.stringMatching(/shapes of plain NDArray 'x' taken from 3 distinct call-site shapes/)]);
    const fast = jit((x: NDArray, k: number) => x.mul(k), { staticArgnums: [1] }, { params: ["x", "k"], prebuilt: r.kernels });
    expect(data(fast(np.array([[1, 2, 3], [4, 5, 6]]), 3))).toEqual([3, 6, 9, 12, 15, 18]);
    expect(fast.stats).toEqual({ traces: 0, compiles: 0, hits: 0, prebuiltHits: 1 });
  });

  it("a size read from a call-site shape is concrete (np.sqrt(q.shape[1]) in attention)", () => {
    const r = run(`
      export const attend = jit((q: NDArray, k: NDArray) => {
        const s = q.matmul(k.T).div(np.sqrt(q.shape[1]!));
        const e = np.exp(s.sub(np.max(s, -1, { keepdims: true })));
        return e.div(np.sum(e, -1, { keepdims: true }));
      });
      attend(np.zeros([4, 8]), np.zeros([6, 8]));`);
    expect(r.notes.filter((n) => n.includes("is traced at run time:"))).toEqual([]);
    expect(r.kernels).toHaveLength(1);
  });

  it("a program that is not elementwise, or depends on the rank, is refused with the reason", () => {
    const sum = run(`export const f = jit((x: NDArray) => x.sum(0));`);
    expect(sum.kernels).toHaveLength(0);
    expect(sum.notes.join("\n")).toMatch(/'f' is traced at run time: it is not elementwise in its plain-NDArray parameters \(it uses reduce_sum\); annotate them/);
    const rank = run(`export const g = jit((x: NDArray) => (x.ndim === 1 ? x.mul(2) : x.add(2)));`);
    expect(rank.kernels).toHaveLength(0);
    expect(rank.notes.join("\n")).toMatch(/computes something else at another rank/);
  });
});

describe("symbolic sizes at build time", () => {
  const attention = `
      export const attend = jit((q: NDArray<"float32", ["n", "d"]>, k: NDArray<"float32", ["m", "d"]>) => {
        const s = q.matmul(k.T).div(np.sqrt(q.shape[1]!));
        return np.exp(s.sub(np.max(s, -1, { keepdims: true })));
      });`;

  it("a size used as a number is specialized per concrete shape seen at call sites", () => {
    const r = run(`${attention}
      attend(np.zeros([4, 8]), np.zeros([6, 8]));`);
    expect(r.kernels).toHaveLength(1);
    expect(r.jaxprs[0]).toContain("a:f32[4,8] b:f32[6,8]");
    expect(r.notes).toEqual([expect.stringMatching(/^'attend': the size 'd' passed to np\.sqrt is symbolic here .* \(line 4\); prebuilt for the concrete shape seen at call sites instead/)]);
  });

  it.each([["TypeScript's", undefined], ["oxc's", oxc]])("without call sites, the note names the operation, the line and the fix (%s type stripper)", (_name, stripper) => {
    const before = oxcStripped;
    const r = run(attention, stripper);
    expect(oxcStripped - before).toBe(stripper ? 1 : 0);
    expect(r.kernels).toHaveLength(0);
    expect(r.notes).toEqual([expect.stringMatching(/^'attend' is traced at run time: it needs a concrete size: the size 'd' passed to np\.sqrt is symbolic here .* \(line 4\)\. Fix: write that size as a number in the parameter's type/)]);
  });

  it("a slice on a symbolic axis names the operation and the line", () => {
    const r = run(`
      export const last = jit((u: NDArray<"float32", ["n", 3]>) =>
        u.slice(-1).add(1));`);
    expect(r.notes).toEqual([expect.stringMatching(/^'last' is traced at run time: it needs a concrete size: the size 'n' of axis 0, which slice\(-1\) needs, is symbolic here .* \(line 4\)\. Fix: /)]);
  });
});
