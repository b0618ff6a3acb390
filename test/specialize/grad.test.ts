// jit(grad(loss)) sites are specialized at build time like any other: built with tspc, the
// program's first calls of jit(grad), jit(valueAndGrad) and jit(vmap(grad)) are served by
// prebuilt kernels (no trace, code generation forbidden), with the numbers of run-time
// tracing and of a float64 reference of the analytic gradient.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TSPC, createFixture, runCommand, runNode, type Fixture } from "../transformer/fixture.js";

const SOURCE = `import { grad, jit, np, valueAndGrad, vmap, type NDArray } from "tsjit";

function loss(w: NDArray<"float32", [3, 2]>, x: NDArray<"float32", ["batch", 3]>, scale: 1 | 2) {
  return np.tanh(np.matmul(x, w)).mul(scale).sum();
}

export const step = jit(grad(loss), { staticArgnames: ["scale"] });
export const both = jit(valueAndGrad(loss, { argnums: [0, 1] }), { staticArgnums: [2] });
export const perExample = jit(vmap(grad(loss), { inAxes: [null, 0, null] }), { staticArgnums: [2] });
// Run-time tracing (metadata given: the transformer leaves this call alone, nothing prebuilt).
const traced = jit(valueAndGrad(loss, { argnums: [0, 1] }), { staticArgnums: [2] }, {});
const tracedPerExample = jit(vmap(grad(loss), { inAxes: [null, 0, null] }), { staticArgnums: [2] }, {});

const w = np.array([[0.5, -1], [0.25, 0.75], [-0.5, 1.5]]);
const x = np.array([[1, 2, 3], [-1, 0.5, 2], [0.1, -0.2, 0.3], [2, 1, -1]]);
const xs = np.stack([x, x.mul(-0.5)]);
let codegenBlocked = false;
try { new Function("return 1"); } catch { codegenBlocked = true; }
const list = (a: NDArray) => Array.from(a.dataSync());
const [value, [gw, gx]] = both(w, x, 2) as unknown as [NDArray, [NDArray, NDArray]];
const [tValue, [tgw, tgx]] = traced(w, x, 2) as unknown as [NDArray, [NDArray, NDArray]];
console.log(JSON.stringify({
  codegenBlocked,
  step: list(step(w, x, 1)), stepAgain: list(step(w, x.slice([0, 2]), 2)),
  value: list(value), gw: list(gw), gx: list(gx),
  traced: { value: list(tValue), gw: list(tgw), gx: list(tgx) },
  perExample: list(perExample(w, xs, 2)), tracedPerExample: list(tracedPerExample(w, xs, 2)),
  stats: { step: step.stats, both: both.stats, perExample: perExample.stats, traced: traced.stats },
}));
`;

/** float64 reference: L = scale·Σ tanh(x·w); dL/dw = xᵀ·(scale·(1 − tanh²(x·w))), dL/dx = (scale·(1 − tanh²))·wᵀ. */
function reference(w: number[][], x: number[][], scale: number) {
  const h = x.map((row) => [0, 1].map((j) => Math.tanh(row.reduce((s, v, k) => s + v * w[k]![j]!, 0))));
  const d = h.map((row) => row.map((t) => scale * (1 - t * t)));
  const value = scale * h.flat().reduce((s, v) => s + v, 0);
  const gw = [0, 1, 2].flatMap((k) => [0, 1].map((j) => x.reduce((s, row, i) => s + row[k]! * d[i]![j]!, 0)));
  const gx = x.flatMap((_, i) => [0, 1, 2].map((k) => d[i]!.reduce((s, v, j) => s + v * w[k]![j]!, 0)));
  return { value, gw, gx };
}

function expectClose(got: number[], want: number[]): void {
  expect(got).toHaveLength(want.length);
  got.forEach((g, i) => expect(Math.abs(g - want[i]!), `element ${i}: ${g} vs ${want[i]}`).toBeLessThan(1e-5 * (1 + Math.abs(want[i]!))));
}

describe("jit(grad(loss)) prebuilt at build time", { timeout: 180_000 }, () => {
  let project: Fixture;
  let out: Record<string, unknown> & { stats: Record<string, unknown> };
  beforeAll(async () => {
    project = createFixture({ "src/main.ts": SOURCE });
    const build = await runNode(TSPC, ["-p", "."], project.dir);
    expect(build.status, build.output).toBe(0);
    const run = await runCommand(process.execPath, ["--disallow-code-generation-from-strings", join(project.dir, "out/main.js")], project.dir);
    expect(run.status, run.output).toBe(0);
    out = JSON.parse(run.output.trim());
  }, 180_000);
  afterAll(() => project?.cleanup());

  it("emits the sites' parameters and one kernel per static value, traced through the transformations", () => {
    const js = readFileSync(join(project.dir, "out/main.js"), "utf8");
    const site = (name: string) => js.slice(js.indexOf(`export const ${name}`), js.indexOf("export const", js.indexOf(`export const ${name}`) + 1));
    for (const name of ["step", "both", "perExample"]) {
      expect(site(name)).toContain('params: ["w", "x", "scale"]');
      expect(site(name).match(/backend: "cpu"/g)).toHaveLength(2); // scale: 1 | 2
    }
    expect(site("perExample")).toContain('inputs: [["float32", false, [3, 2]], ["float32", false, ["vmap_0", "batch", 3]]]');
  });

  it("serves the first calls prebuilt, with code generation forbidden", () => {
    expect(out.codegenBlocked).toBe(true);
    expect(out.stats).toEqual({
      step: { traces: 0, compiles: 0, hits: 0, prebuiltHits: 2 },
      both: { traces: 0, compiles: 0, hits: 0, prebuiltHits: 1 },
      perExample: { traces: 0, compiles: 0, hits: 0, prebuiltHits: 1 },
      traced: { traces: 1, compiles: 1, hits: 0, prebuiltHits: 0 },
    });
  });

  it("gives run-time tracing's numbers, and the analytic gradient's", () => {
    const w = [[0.5, -1], [0.25, 0.75], [-0.5, 1.5]];
    const x = [[1, 2, 3], [-1, 0.5, 2], [0.1, -0.2, 0.3], [2, 1, -1]];
    const traced = out.traced as Record<string, number[]>;
    for (const k of ["value", "gw", "gx"]) expect(out[k]).toEqual(traced[k]);
    expect(out.perExample).toEqual(out.tracedPerExample);
    const ref = reference(w, x, 2);
    expectClose(out.value as number[], [ref.value]);
    expectClose(out.gw as number[], ref.gw);
    expectClose(out.gx as number[], ref.gx);
    expectClose(out.step as number[], reference(w, x, 1).gw);
    expectClose(out.stepAgain as number[], reference(w, x.slice(0, 2), 2).gw);
    const half = x.map((row) => row.map((v) => v * -0.5));
    expectClose(out.perExample as number[], [...reference(w, x, 2).gw, ...reference(w, half, 2).gw]);
  });
});
