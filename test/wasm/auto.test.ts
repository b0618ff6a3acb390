// setBackend("auto") / TSJIT_BACKEND=auto: each jitted program picks cpu or wasm when it is
// compiled (runtime/backend/auto.ts); eager ops stay on cpu; an explicit choice always wins.

import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { ArgumentError, getBackend, jit, lax, np, setBackend, type NDArray } from "tsjit";
import type { ConcreteArray } from "../../runtime/array/concrete.js";
import { AUTO_WASM_ELEMENTS, wasmReason } from "../../runtime/backend/auto.js";
import { makeJaxpr } from "../../runtime/jit/make-jaxpr.js";

const backendOf = (x: NDArray) => (x as ConcreteArray).backend.name;
const root = fileURLToPath(new URL("../..", import.meta.url));

// Float64 references.
function matmulRef(a: Float32Array, b: Float32Array, m: number, k: number, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let t = 0; t < k; t++) s += a[i * k + t]! * b[t * n + j]!;
    out.push(s);
  }
  return out;
}
const seq = (n: number, scale: number) => Float32Array.from({ length: n }, (_, i) => ((i * 7) % 13) * scale - 0.3);
const mm = (a: NDArray, b: NDArray) => np.matmul(a, b);
const tiny = (x: NDArray) => x.mul(2).add(1);

describe("the auto backend rule", () => {
  it("names why a program prefers wasm: a matmul, or an array of ≥ AUTO_WASM_ELEMENTS elements", () => {
    const jx = (f: (...xs: NDArray[]) => NDArray, ...xs: NDArray[]) => makeJaxpr(f)(...xs).jaxpr;
    expect(wasmReason(jx(mm, np.ones([2, 3]), np.ones([3, 2])))).toBe("matmul");
    expect(wasmReason(jx(tiny, np.ones([8])))).toBeUndefined();
    expect(wasmReason(jx(tiny, np.ones([AUTO_WASM_ELEMENTS - 1])))).toBeUndefined();
    expect(wasmReason(jx(tiny, np.ones([AUTO_WASM_ELEMENTS])))).toBe("large");
    expect(wasmReason(jx((x: NDArray) => np.sum(x), np.ones([64, 64])))).toBe("large");
    // A matmul inside a loop body is found.
    const looped = (a: NDArray, b: NDArray) => lax.foriLoop(0, 3, (_i: NDArray, c: NDArray) => np.matmul(c, b), a);
    expect(wasmReason(jx(looped, np.ones([2, 2]), np.ones([2, 2])))).toBe("matmul");
  });
});

describe('setBackend("auto")', () => {
  afterEach(() => setBackend("cpu"));

  it("runs a matmul on wasm and a tiny program on cpu; eager ops stay on cpu; results match float64", () => {
    setBackend("auto");
    expect(getBackend()).toBe("cpu");
    const a = seq(6 * 5, 0.25), b = seq(5 * 4, 0.5);
    const A = np.array(a).reshape([6, 5]), B = np.array(b).reshape([5, 4]);
    expect(backendOf(A)).toBe("cpu");
    const f = jit(mm);
    const y = f(A, B);
    expect(backendOf(y)).toBe("wasm");
    const ref = matmulRef(a, b, 6, 5, 4);
    Array.from(y.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(ref[i]!, 4));
    // Second call: a cache hit on the same executable.
    f(A, B);
    expect(f.stats).toMatchObject({ traces: 1, compiles: 1, hits: 1 });
    // The wasm result keeps working everywhere a cpu array did: eager ops, printing, cpu jit.
    const z = y.add(1);
    Array.from(z.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(ref[i]! + 1, 4));
    expect(y.toString()).toContain(String(Math.round(ref[0]! * 1000) / 1000).slice(0, 3));
    const g = jit(tiny);
    const t = g(y);
    expect(backendOf(t)).toBe("cpu");
    Array.from(t.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(ref[i]! * 2 + 1, 4));
    expect(y.tolist()).toHaveLength(6);
  });

  it("large elementwise programs go to wasm and agree with the cpu backend", () => {
    setBackend("auto");
    const x = np.array(seq(AUTO_WASM_ELEMENTS, 0.01));
    const f = (v: NDArray) => np.tanh(v.mul(1.5).add(0.25)).mul(0.5).add(v);
    const y = jit(f)(x);
    expect(backendOf(y)).toBe("wasm");
    const ref = Array.from(x.dataSync(), (v) => Math.tanh(v * 1.5 + 0.25) * 0.5 + v);
    Array.from(y.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(ref[i]!, 5));
  });

  it("an explicit choice wins: the jit option, setBackend('cpu'|'wasm')", () => {
    const A = np.ones([4, 4]), B = np.ones([4, 4]);
    setBackend("auto");
    expect(backendOf(jit(mm, { backend: "cpu" })(A, B))).toBe("cpu");
    expect(backendOf(jit(tiny, { backend: "wasm" })(np.ones([3])))).toBe("wasm");
    setBackend("cpu");
    expect(backendOf(jit(mm)(A, B))).toBe("cpu");
    setBackend("wasm");
    expect(backendOf(jit(tiny)(np.ones([3])))).toBe("wasm");
  });

  it("one jitted function follows a change of mode between calls", () => {
    const f = jit(mm);
    const A = np.ones([3, 3]);
    expect(backendOf(f(A, A))).toBe("cpu");
    setBackend("auto");
    expect(backendOf(f(A, A))).toBe("wasm");
    setBackend("cpu");
    expect(backendOf(f(A, A))).toBe("cpu");
  });

  it("an unknown name lists auto", () => {
    expect(() => setBackend("atuo" as never)).toThrow(ArgumentError);
    expect(() => setBackend("atuo" as never)).toThrow(/cpu, webgpu, wasm, auto/);
  });

  it("TSJIT_BACKEND=auto selects it in a fresh process", () => {
    const out = execFileSync(process.execPath, ["--input-type=module", "-e",
      `import { getBackend, jit, np } from "./dist/runtime/index.js"; const A = np.ones([2, 2]); const y = jit((a, b) => np.matmul(a, b))(A, A); const t = jit((x) => x.add(1))(A); console.log(getBackend(), y.backend.name, t.backend.name, Array.from(y.dataSync()).join(","));`],
    { cwd: root, env: { ...process.env, TSJIT_BACKEND: "auto" }, encoding: "utf8" });
    expect(out.trim()).toBe("cpu wasm cpu 2,2,2,2");
  });
});
