// Build-time specialization at the runtime level: trace with symbolic sizes, emit a
// prebuilt entry as source, and check that jit serves matching calls from it with the
// same results as the traced path (and no tracing, no `new Function`).
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it, vi } from "vitest";
import { jit, lax, np, type NDArray } from "tsjit";
import { LeafSpec, specialize, type SpecializeRequest } from "../../runtime/specialize/specialize.js";
import type { PrebuiltKernel } from "../../runtime/jit/prebuilt.js";

function prebuilt(req: SpecializeRequest): PrebuiltKernel {
  const s = specialize(req);
  if (!s.ok) throw new Error(s.reason);
  return new Function(`return (${s.entries[0]!.code});`)() as PrebuiltKernel;
}

const activation = (x: NDArray, mode: "relu" | "gelu") =>
  mode === "relu" ? np.maximum(x, 0) : x.mul(0.5).mul(np.tanh(x.add(x.mul(x).mul(x).mul(0.044715)).mul(0.7978845608)).add(1));

/** Prebuilt and traced kernels come from the same generator: results are bit-identical. */
function close(a: NDArray, b: NDArray): void {
  expect(a.shape).toEqual(b.shape);
  expect(a.dtype).toBe(b.dtype);
  expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
}

/** Every entry of a specialization (one per backend), evaluated as the emitted module would. */
function entries(req: SpecializeRequest): PrebuiltKernel[] {
  const s = specialize(req);
  if (!s.ok) throw new Error(s.reason);
  return new Function(`return [${s.entries.map((e) => e.code).join(",\n")}];`)() as PrebuiltKernel[];
}

describe("specialize", () => {
  const x = new LeafSpec("float32", ["n"]);
  const kernels = (["relu", "gelu"] as const).map((mode) =>
    prebuilt({ fn: activation, name: "activation", params: ["x", "mode"], staticPositions: new Set([1]), args: [x, mode] }));

  it("serves matching calls from prebuilt kernels, for any size", () => {
    const f = jit(activation, { staticArgnames: ["mode"] }, { params: ["x", "mode"], prebuilt: kernels });
    const reference = jit(activation, { staticArgnames: ["mode"] });
    for (const n of [1, 7, 100]) {
      const data = np.linspace(-3, 3, n);
      for (const mode of ["relu", "gelu"] as const) close(f(data, mode), reference(data, mode));
    }
    expect(f.stats.traces).toBe(0);
    expect(f.stats.compiles).toBe(0);
    expect(f.stats.prebuiltHits).toBe(6);
  });

  it("traces calls the guard rejects (another rank or dtype)", () => {
    const f = jit(activation, { staticArgnames: ["mode"] }, { params: ["x", "mode"], prebuilt: kernels });
    close(f(np.ones([2, 3]), "relu"), np.ones([2, 3]));
    f(np.array([1, 2], { dtype: "int32" }), "relu");
    expect(f.stats.traces).toBe(2);
    expect(f.stats.prebuiltHits).toBe(0);
  });

  it("unifies sizes across inputs: an MLP with a symbolic batch", () => {
    const mlp = (x: NDArray, p: { w1: NDArray; b1: NDArray; w2: NDArray }) => np.matmul(np.maximum(np.matmul(x, p.w1).add(p.b1), 0), p.w2);
    const spec = { w1: new LeafSpec("float32", ["k", "h"]), b1: new LeafSpec("float32", ["h2"]), w2: new LeafSpec("float32", ["h3", 10]) };
    const k = prebuilt({ fn: mlp, name: "mlp", params: ["x", "p"], staticPositions: new Set(), args: [new LeafSpec("float32", ["b", 6]), spec] });
    // The guard ties the hidden sizes together and pins the input width.
    const [xs, b1, w1, w2] = k.inputs.map((i) => i[2]); // pytree leaves: x, then p's keys sorted
    expect(xs).toEqual(["b", 6]);
    expect(w1![0]).toBe(6);
    expect(w2![1]).toBe(10);
    expect(typeof b1![0]).toBe("string");
    expect(new Set([w1![1], b1![0], w2![0]]).size).toBe(1);
    const f = jit(mlp, {}, { params: ["x", "p"], prebuilt: [k] });
    const p = { w1: np.linspace(-1, 1, 6 * 5).reshape(6, 5), b1: np.linspace(0, 1, 5), w2: np.linspace(1, -1, 50).reshape(5, 10) };
    close(f(np.linspace(-2, 2, 18).reshape(3, 6), p), jit(mlp)(np.linspace(-2, 2, 18).reshape(3, 6), p));
    expect(f.stats.prebuiltHits).toBe(1);
    f(np.ones([3, 7]), { ...p, w1: np.ones([7, 5]) }); // width 7 != 6: traced
    expect(f.stats.traces).toBe(1);
  });

  it("supports reductions with symbolic counts and loops", () => {
    const norm = (x: NDArray) => x.sub(x.mean(-1, { keepdims: true })).div(x.max());
    const cumsum = (xs: NDArray) => lax.scan((c: NDArray, v: NDArray) => [c.add(v), c.add(v)] as const, np.zeros([xs.shape[1]!]), xs)[1];
    for (const [fn, name] of [[norm, "norm"], [cumsum, "cumsum"]] as const) {
      const k = prebuilt({ fn, name, params: ["x"], staticPositions: new Set(), args: [new LeafSpec("float32", ["r", "c"])] });
      const f = jit(fn, {}, { params: ["x"], prebuilt: [k] });
      const data = np.linspace(-1, 2, 12).reshape(4, 3);
      close(f(data), jit(fn)(data));
      expect(f.stats.prebuiltHits).toBe(1);
    }
  });

  it("divides by a symbolic element count as one number (mean over [n, 4])", () => {
    // The mean's divisor 4*n is a product; in a scalar expression it must stay parenthesized.
    const center = (x: NDArray) => x.sub(np.mean(x)).div(np.mean(x.mul(x)).add(1));
    const kernel = prebuilt({ fn: center, name: "center", params: ["x"], staticPositions: new Set(), args: [new LeafSpec("float32", ["n", 4])] });
    const f = jit(center, undefined, { params: ["x"], prebuilt: [kernel] });
    for (const n of [1, 3, 5]) {
      const data = np.linspace(-2, 5, n * 4).reshape(n, 4);
      const values = Array.from(data.dataSync(), Number);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const meanSq = values.reduce((a, b) => a + b * b, 0) / values.length;
      const got = Array.from(f(data).dataSync());
      values.forEach((v, i) => expect(got[i]).toBeCloseTo((v - mean) / (meanSq + 1), 5));
    }
    expect(f.stats.prebuiltHits).toBe(3);
    expect(f.stats.traces).toBe(0);
  });

  it("refuses, with a reason, what needs concrete sizes", () => {
    const s = specialize({ fn: (x: NDArray) => x.reshape(x.shape[0]! * 2, -1), name: "f", params: ["x"], staticPositions: new Set(), args: [new LeafSpec("float32", ["n", 4])] });
    expect(s.ok).toBe(false);
    expect(!s.ok && s.reason).toContain("needs a concrete size");
    const t = specialize({ fn: (x: NDArray) => x.slice(0), name: "g", params: ["x"], staticPositions: new Set(), args: [new LeafSpec("float32", ["n"])] });
    expect(!t.ok && t.reason).toContain("axis 0");
  });

  it("runs prebuilt kernels under --disallow-code-generation-from-strings", () => {
    const relu = specialize({ fn: activation, name: "activation", params: ["x", "mode"], staticPositions: new Set([1]), args: [x, "relu"] });
    if (!relu.ok) throw new Error(relu.reason);
    const dir = mkdtempSync(join(tmpdir(), "tsjit-csp-"));
    const runtime = pathToFileURL(resolve("dist/runtime/index.js")).href;
    const file = join(dir, "main.mjs");
    writeFileSync(file, `
      import { jit, np } from ${JSON.stringify(runtime)};
      let blocked = false;
      try { new Function("return 1"); } catch { blocked = true; }
      const activation = (x, mode) => mode === "relu" ? np.maximum(x, 0) : np.tanh(x);
      const f = jit(activation, { staticArgnames: ["mode"] }, { params: ["x", "mode"], prebuilt: [${relu.entries[0]!.code}] });
      const y = f(np.array([-2, -1, 0, 1, 2]), "relu");
      console.log(JSON.stringify({ blocked, y: Array.from(y.dataSync()), stats: f.stats }));
    `);
    const out = JSON.parse(execFileSync(process.execPath, ["--disallow-code-generation-from-strings", file], { encoding: "utf8" }));
    expect(out).toEqual({ blocked: true, y: [0, 0, 0, 1, 2], stats: { traces: 0, compiles: 0, hits: 0, prebuiltHits: 1 } });
  });

  it("tags entries with the format version and the backend; one entry per requested backend", () => {
    const s = specialize({ fn: activation, name: "activation", params: ["x", "mode"], staticPositions: new Set([1]), args: [new LeafSpec("float32", [4]), "relu"], backends: ["cpu", "webgpu"] });
    if (!s.ok) throw new Error(s.reason);
    expect(s.entries.map((e) => e.backend)).toEqual(["cpu", "webgpu"]);
    expect(s.skipped).toEqual([]);
    const [cpu, gpu] = new Function(`return [${s.entries.map((e) => e.code).join(",")}];`)() as PrebuiltKernel[];
    expect([cpu!.version, cpu!.backend, gpu!.version, gpu!.backend]).toEqual([2, "cpu", 2, "webgpu"]);
    expect(typeof (cpu!.payload as { kernel: unknown }).kernel).toBe("function");
    // The webgpu payload is WGSL text and bindings, nothing to generate at run time.
    const plan = (gpu!.payload as { plan: { nodes: { src: { code: string; buffers: unknown[] } }[] } }).plan;
    expect(plan.nodes[0]!.src.code).toContain("@compute");
    expect(plan.nodes[0]!.src.buffers.length).toBe(2);
  });

  it("skips, with the reason, a backend that cannot prebuild symbolic sizes (webgpu)", () => {
    const s = specialize({ fn: activation, name: "activation", params: ["x", "mode"], staticPositions: new Set([1]), args: [x, "relu"], backends: ["cpu", "webgpu"] });
    if (!s.ok) throw new Error(s.reason);
    expect(s.entries.map((e) => e.backend)).toEqual(["cpu"]);
    expect(s.skipped).toEqual([{ backend: "webgpu", reason: "webgpu kernels are compiled for concrete sizes, and the size n is symbolic", symbolicSizes: true }]);
    const only = specialize({ fn: activation, name: "activation", params: ["x", "mode"], staticPositions: new Set([1]), args: [x, "relu"], backends: ["webgpu"] });
    expect(only.ok).toBe(false);
    expect(!only.ok && only.needsConcreteSize).toBe(true);
    expect(!only.ok && only.reason).toMatch(/^no backend in prebuiltBackends can prebuild it for symbolic sizes \(webgpu: /);
  });

  it("uses only the entry of the call's backend: a cpu call ignores a webgpu entry", () => {
    const [, gpu] = entries({ fn: activation, name: "activation", params: ["x", "mode"], staticPositions: new Set([1]), args: [new LeafSpec("float32", [3]), "relu"], backends: ["cpu", "webgpu"] });
    const f = jit(activation, { staticArgnames: ["mode"] }, { params: ["x", "mode"], prebuilt: [gpu!] });
    close(f(np.array([-1, 0, 2]), "relu"), np.array([0, 0, 2]));
    expect(f.stats).toEqual({ traces: 1, compiles: 1, hits: 0, prebuiltHits: 0 });
  });

  it("ignores entries of another format version, an unknown backend or a payload that does not load, tracing instead, and warns once naming why", () => {
    const [cpu] = entries({ fn: activation, name: "activation", params: ["x", "mode"], staticPositions: new Set([1]), args: [x, "relu"] });
    const cases: [PrebuiltKernel, RegExp][] = [
      [{ ...cpu!, version: 1 }, /they have format version 1, and this tsjit reads version 2/],
      [{ ...cpu!, version: undefined } as unknown as PrebuiltKernel, /they have no format version \(written by a tsjit from before prebuilt entries were versioned\)/],
      [{ ...cpu!, backend: "metal" }, /one is for the backend "metal", which this tsjit does not have \(it has cpu, webgpu/],
      [{ ...cpu!, payload: {} }, /loading its cpu payload failed \(.*kernel is not a function\)/],
    ];
    for (const [entry, why] of cases) {
      const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
      try {
        const site = `test.ts:${cases.findIndex(([e]) => e === entry)}:1`;
        const f = jit(activation, { staticArgnames: ["mode"] }, { params: ["x", "mode"], site, prebuilt: [entry] });
        for (const n of [3, 4]) close(f(np.linspace(-1, 1, n), "relu"), np.maximum(np.linspace(-1, 1, n), 0));
        expect(f.stats).toEqual({ traces: 2, compiles: 2, hits: 0, prebuiltHits: 0 });
        expect(warn).toHaveBeenCalledTimes(1);
        const message = String(warn.mock.calls[0]![0]);
        expect(message).toMatch(why);
        expect(message).toContain(`jitted function 'activation' (${site})`);
        expect(message).toContain("traced at run time instead");
      } finally {
        warn.mockRestore();
      }
    }
  });
});
