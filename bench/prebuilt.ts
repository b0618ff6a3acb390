// Build-time specialization (issue 6): the first call served by a prebuilt kernel against
// one traced and compiled at run time, each in fresh processes; and what one
// specialization adds to the output (bytes, gzipped bytes).

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { LeafSpec, specialize } from "../runtime/specialize/specialize.js";
import { runFresh } from "./fresh.js";
import type { Group } from "./group.js";
import { models, timedKernel, type Model } from "./prebuilt-models.js";
import type { PrebuiltFirstCall } from "./prebuilt-child.js";
import { jit } from "../runtime/index.js";
import type { PrebuiltKernel } from "../runtime/jit/prebuilt.js";
import { formatRatio, formatTime, type Row } from "./report.js";
import { median } from "./timing.js";

const PROCESSES = 3;
const TARGET = 10;

function fresh(model: string, mode: string, module: string): PrebuiltFirstCall[] {
  return runFresh<PrebuiltFirstCall>("prebuilt-child.js", [model, mode, module], PROCESSES);
}

/**
 * Median per-function setup before the kernel in this process, after warming tsjit's code
 * with the other models (traced and prebuilt), so that V8's first compilation of the library
 * is not what is measured.
 */
function warmSetup(name: keyof typeof models, kernels: Record<string, PrebuiltKernel>): { traced: number; prebuilt: number } {
  for (const [other, m] of Object.entries(models) as [string, Model][]) {
    if (other === name) continue;
    jit(m.fn)(...m.args()).dataSync();
    jit(m.fn, {}, { params: m.params, prebuilt: [kernels[other]!] })(...m.args()).dataSync();
  }
  const m: Model = models[name];
  const args = m.args();
  const traced: number[] = [], prebuilt: number[] = [];
  for (let r = 0; r < 15; r++) {
    const f = jit(m.fn);
    let t0 = performance.now();
    f.lower(...args).asText("js");
    traced.push(performance.now() - t0);
    let kernelStart = 0;
    const p = kernels[name]!;
    // A fresh kernel object each round, so instantiation is measured, not a cached one.
    const timed = timedKernel(p, (t) => { kernelStart = t; });
    const g = jit(m.fn, {}, { params: m.params, prebuilt: [timed] });
    t0 = performance.now();
    g(...args);
    prebuilt.push(kernelStart - t0);
  }
  return { traced: median(traced), prebuilt: median(prebuilt) };
}

export const prebuiltGroup: Group = {
  id: "prebuilt",
  title: "prebuilt kernels (build-time specialization)",
  async run(ctx) {
    const rows: Row[] = [];
    // What a build emits: one prebuilt entry per model, in a module.
    const entries: string[] = [];
    const sizes = new Map<string, { bytes: number; gzip: number }>();
    for (const [name, m] of Object.entries(models)) {
      const s = specialize({ fn: m.fn, name, params: m.params, staticPositions: new Set(), args: m.specs });
      if (!s.ok) throw new Error(`${name}: ${s.reason}`);
      const code = s.entries[0]!.code;
      entries.push(`  ${name}: ${code.replace(/\n/g, "\n  ")},`);
      sizes.set(name, { bytes: Buffer.byteLength(code), gzip: gzipSync(code).length });
    }
    const kernels = Object.fromEntries(entries.map((e) => {
      const name = e.trim().split(":")[0]!;
      return [name, new Function(`return (${e.trim().slice(name.length + 1).replace(/,$/, "")});`)() as PrebuiltKernel];
    }));
    // wasm entries: module bytes, for the shapes of the benchmark's arguments (wasm modules
    // are compiled for concrete sizes).
    const wasmEntries: string[] = [];
    for (const [name, m] of Object.entries(models)) {
      const s = specialize({ fn: m.fn, name, params: m.params, staticPositions: new Set(), args: m.args().map((a) => new LeafSpec(a.dtype, a.shape as number[])), backends: ["wasm"] });
      if (!s.ok) throw new Error(`${name} (wasm): ${s.reason}`);
      wasmEntries.push(`  ${name}: ${s.entries[0]!.code.replace(/\n/g, "\n  ")},`);
    }
    const dir = mkdtempSync(join(tmpdir(), "tsjit-prebuilt-"));
    const module = join(dir, "prebuilt.mjs");
    writeFileSync(module, `export const prebuilt = {\n${entries.join("\n")}\n};\nexport const prebuiltWasm = {\n${wasmEntries.join("\n")}\n};\n`);

    for (const name of Object.keys(models)) {
      ctx.log(`prebuilt ${name} (fresh processes)`);
      const tracedSetup = fresh(name, "traced-setup", module);
      const traced = fresh(name, "traced", module);
      const pre = fresh(name, "prebuilt", module);
      if (pre.some((r) => r.stats.prebuiltHits !== 1 || r.stats.traces !== 0)) {
        rows.push({ name: `${name}: prebuilt first call`, tsjit: "?", baseline: "", status: "FAIL", note: `not served by the prebuilt kernel: ${JSON.stringify(pre[0]!.stats)}` });
        continue;
      }
      const tSetup = median(tracedSetup.map((r) => r.setup)), pSetup = median(pre.map((r) => r.setup));
      const warm = warmSetup(name as keyof typeof models, kernels);
      const ratio = warm.traced / warm.prebuilt;
      rows.push({
        name: `${name}: first call before the kernel`,
        tsjit: `${formatTime(warm.prebuilt)} prebuilt`,
        baseline: "traced at run time",
        baselineTime: formatTime(warm.traced),
        ratio,
        target: `≥ ${TARGET}×`,
        status: ratio >= TARGET ? "PASS" : "MISS",
        note: "a fresh jit of this function in a process where tsjit's own code is warm (another model ran); " +
          "prebuilt: signature, guard match, kernel instantiation; traced: trace + optimize + fuse + codegen + new Function",
      });
      rows.push({
        name: `${name}: first call before the kernel, cold`,
        tsjit: `${formatTime(pSetup)} prebuilt`,
        baseline: "traced at run time",
        baselineTime: formatTime(tSetup),
        ratio: tSetup / pSetup,
        note: `fresh processes (median of ${PROCESSES}): both include V8 compiling tsjit's own code on first use`,
      });
      const tFirst = median(traced.map((r) => r.first)), pFirst = median(pre.map((r) => r.first));
      rows.push({
        name: `${name}: whole first call, cold`,
        tsjit: `${formatTime(pFirst)} prebuilt`,
        baseline: "traced at run time",
        baselineTime: formatTime(tFirst),
        ratio: tFirst / pFirst,
        note: `each in its own fresh process; dominated by V8 warming up the kernel's first run, the same code either way (${formatRatio(tFirst / pFirst)})`,
      });
      const wTraced = fresh(name, "wasm-traced", module), wPre = fresh(name, "wasm-prebuilt", module);
      const served = wPre.every((r) => r.stats.prebuiltHits === 1 && r.stats.traces === 0 && r.stats.compiles === 0);
      const wt = median(wTraced.map((r) => r.first)), wp = median(wPre.map((r) => r.first));
      rows.push({
        name: `${name} on wasm: whole first call, cold`,
        tsjit: `${formatTime(wp)} prebuilt`,
        baseline: "traced at run time",
        baselineTime: formatTime(wt),
        ratio: wt / wp,
        ...(served ? {} : { status: "FAIL" }),
        note: `fresh processes (median of ${PROCESSES}); prebuilt: the module's bytes are compiled and instantiated, nothing traced or generated${served ? "" : `; NOT served prebuilt: ${JSON.stringify(wPre[0]!.stats)}`}`,
      });
      const ws = median(wTraced.map((r) => r.setup)), wps = median(wPre.map((r) => r.setup));
      rows.push({
        name: `${name} on wasm: first call − second call, cold`,
        tsjit: `${formatTime(wps)} prebuilt`,
        baseline: "traced at run time",
        baselineTime: formatTime(ws),
        ratio: ws / wps,
        note: "what the first call costs beyond a warm call of the same module (trace + generate, or neither; module compile and instantiation; cold runtime code)",
      });
      const size = sizes.get(name)!;
      rows.push({ name: `${name}: output size per specialization`, tsjit: `${size.bytes} B`, baseline: "", note: `${size.gzip} B gzipped` });
    }
    return rows;
  },
};
