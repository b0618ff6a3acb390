// Prebuilt wasm entries: the build-time specializer writes the module's bytes (base64) and
// its layout; a wasm call matching the guard only compiles and instantiates those bytes —
// no tracing, no code generation, also under --disallow-code-generation-from-strings.

import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { jit, lax, np, type NDArray } from "tsjit";
import { LeafSpec, specialize } from "../../runtime/specialize/specialize.js";
import { entrySources, evaluateEntries, f32, mlp, mlpArgs, mlpEntries } from "../helpers/prebuilt.js";
import { forMemory, fromBase64, memoryLimitsOffset, toBase64 } from "../../runtime/backend/wasm/module-bytes.js";
import { importObject } from "../../runtime/backend/wasm/imports.js";
import { MAX_PAGES } from "../../runtime/backend/wasm/memory.js";
import { wasmApi } from "../../runtime/backend/wasm/api.js";

const list = (a: NDArray) => Array.from(a.dataSync());
const [x, w] = mlpArgs();

describe("prebuilt wasm entries", () => {
  it("an MLP with a captured constant and a static activation: served prebuilt (no trace), the traced wasm path's numbers", () => {
    for (const act of ["relu", "tanh"] as const) {
      const prebuilt = mlpEntries(act, ["cpu", "wasm"]);
      const payload = prebuilt[1]!.payload as { module: string };
      expect(wasmApi!.validate(fromBase64(payload.module))).toBe(true);
      const f = jit(mlp, { staticArgnames: ["act"], backend: "wasm" }, { params: ["x", "w", "act"], prebuilt });
      const traced = jit(mlp, { staticArgnames: ["act"], backend: "wasm" });
      expect(list(f(x, w, act))).toEqual(list(traced(x, w, act)));
      expect(list(f(x, w, act))).toEqual(list(traced(x, w, act)));
      expect(f.stats).toEqual({ traces: 0, compiles: 0, hits: 0, prebuiltHits: 2 });
      // Close to the cpu backend's numbers (wasm's polynomial tanh is not the cpu's).
      const cpu = list(jit(mlp, { staticArgnames: ["act"] })(x, w, act));
      list(f(x, w, act)).forEach((v, i) => expect(v).toBeCloseTo(cpu[i]!, 5));
    }
  });

  it("loops and branches (scan, cond) and several outputs from prebuilt module bytes", () => {
    const g = (xs: NDArray, p: NDArray) => {
      const [last, ys] = lax.scan((c: NDArray, v: NDArray) => [c.add(v), c.mul(v)] as const, np.zeros([3]), xs);
      return [lax.cond(p, (a: NDArray) => a.mul(2), (a: NDArray) => a.sub(1), last), ys, xs] as const;
    };
    const prebuilt = evaluateEntries(entrySources({ fn: g, name: "g", params: ["xs", "p"], staticPositions: new Set(), args: [f32(4, 3), new LeafSpec("bool", [])], backends: ["wasm"] }));
    const f = jit(g, { backend: "wasm" }, { params: ["xs", "p"], prebuilt });
    const xs = np.linspace(-1, 1, 12).reshape(4, 3);
    for (const p of [true, false]) {
      const got = f(xs, np.array(p)).map(list), want = jit(g, { backend: "wasm" })(xs, np.array(p)).map(list);
      expect(got).toEqual(want);
      expect(got[2]).toEqual(list(xs)); // a returned input is the program's own copy
    }
    expect(f.stats).toEqual({ traces: 0, compiles: 0, hits: 0, prebuiltHits: 2 });
  });

  it("refuses symbolic sizes with the reason (wasm modules are compiled for concrete sizes)", () => {
    const s = specialize({ fn: mlp, name: "mlp", params: ["x", "w", "act"], staticPositions: new Set([2]), args: [new LeafSpec("float32", ["b", 4]), f32(4, 3), "relu"], backends: ["cpu", "wasm"] });
    expect(s.ok && s.skipped).toEqual([{ backend: "wasm", reason: "wasm kernels are compiled for concrete sizes, and the size b is symbolic", symbolicSizes: true }]);
  });

  it("base64 round trip, and the memory import flipped for a runtime whose memory is not shared", () => {
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7919 + (i >> 3)) & 255);
    for (const n of [0, 1, 2, 3, 999, 1000]) {
      const part = bytes.subarray(0, n);
      expect(toBase64(part)).toBe(Buffer.from(part).toString("base64"));
      expect(Array.from(fromBase64(toBase64(part)))).toEqual(Array.from(part));
    }
    const [entry] = evaluateEntries(entrySources({ fn: (a: NDArray) => np.exp(a), name: "e", params: ["a"], staticPositions: new Set(), args: [f32(5)], backends: ["wasm"] }));
    const { module, memoryLimitsAt } = entry!.payload as { module: string; memoryLimitsAt: number };
    const shared = fromBase64(module);
    expect(memoryLimitsAt).toBe(memoryLimitsOffset(shared));
    expect(shared[memoryLimitsAt]).toBe(0x03);
    const plain = forMemory(shared, memoryLimitsAt, false);
    expect(plain[memoryLimitsAt]).toBe(0x01);
    expect(forMemory(shared, memoryLimitsAt, true)).toBe(shared);
    const memory = new wasmApi!.Memory({ initial: 16, maximum: MAX_PAGES });
    const instance = new wasmApi!.Instance(new wasmApi!.Module(plain), { env: { memory, ...importObject() } });
    expect(typeof instance.exports.run).toBe("function");
    expect(() => new wasmApi!.Instance(new wasmApi!.Module(shared), { env: { memory, ...importObject() } })).toThrow();
  });

  it("runs prebuilt wasm under --disallow-code-generation-from-strings", () => {
    const [code] = entrySources({ fn: mlp, name: "mlp", params: ["x", "w", "act"], staticPositions: new Set([2]), args: [f32(2, 4), f32(4, 3), "relu"], backends: ["wasm"] });
    const dir = mkdtempSync(join(tmpdir(), "tsjit-wasm-csp-"));
    const runtime = pathToFileURL(resolve("dist/runtime/index.js")).href;
    const file = join(dir, "main.mjs");
    writeFileSync(file, `
      import { jit, np } from ${JSON.stringify(runtime)};
      let blocked = false;
      try { new Function("return 1"); } catch { blocked = true; }
      const bias = np.array([0.5, -0.25, 0.125]);
      const mlp = (x, w, act) => { const h = np.matmul(x, w).add(bias); return act === "relu" ? np.maximum(h, 0).sum(-1) : np.tanh(h).sum(-1); };
      const f = jit(mlp, { staticArgnames: ["act"], backend: "wasm" }, { params: ["x", "w", "act"], prebuilt: [${code}] });
      const x = np.sin(np.arange(8).astype("float32")).reshape(2, 4), w = np.cos(np.arange(12).astype("float32")).reshape(4, 3);
      const y = f(x, w, "relu");
      console.log(JSON.stringify({ blocked, y: Array.from(y.dataSync()), stats: f.stats }));
    `);
    const out = JSON.parse(execFileSync(process.execPath, ["--disallow-code-generation-from-strings", file], { encoding: "utf8" }));
    expect(out).toEqual({ blocked: true, y: list(jit(mlp, { staticArgnames: ["act"], backend: "wasm" })(x, w, "relu")), stats: { traces: 0, compiles: 0, hits: 0, prebuiltHits: 1 } });
  });
});
