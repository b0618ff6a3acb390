// Run in a fresh Node process by prebuilt.ts: the first call of a jitted function, either
// traced and compiled at run time or served by a kernel prebuilt at build time (emitted
// by the specializer into a module that this process imports, as a bundle would).
// Prints one line of JSON (a PrebuiltFirstCall).
//
//   usage: prebuilt-child.js <mlp|softmax> <traced-setup|traced|prebuilt|wasm-traced|wasm-prebuilt> <module with the prebuilt entries>
//
//   traced-setup  trace + optimize + fuse + codegen + new Function alone (lower().asText("js"))
//   traced        the first call, traced and compiled at run time
//   prebuilt      the first call, served by the prebuilt kernel (timed to the kernel's start)
//   wasm-traced   the first call on the wasm backend, traced, generated and compiled at run time
//   wasm-prebuilt the first call on the wasm backend from prebuilt module bytes (instantiated only)

import { pathToFileURL } from "node:url";
import { jit } from "../runtime/index.js";
import type { PrebuiltKernel } from "../runtime/jit/prebuilt.js";
import { models, timedKernel, type Model } from "./prebuilt-models.js";

export interface PrebuiltFirstCall {
  /** ms tsjit spends before the kernel runs: trace + compile, or guard match + kernel instantiation (wasm modes: first call − second call). */
  readonly setup: number;
  /** ms of the whole first call (setup, the kernel's cold first run, readback). */
  readonly first: number;
  readonly stats: { traces: number; compiles: number; prebuiltHits: number };
}

async function main(): Promise<void> {
  const [name, mode, modulePath] = process.argv.slice(2) as [keyof typeof models, "traced-setup" | "traced" | "prebuilt" | "wasm-traced" | "wasm-prebuilt", string];
  const model: Model = models[name];
  const args = model.args();
  let setup = NaN;
  let first = NaN;
  let stats;
  if (mode === "traced-setup") {
    // What the first call does before its kernel: trace, optimize, fuse, generate, new Function.
    const f = jit(model.fn);
    const t0 = performance.now();
    f.lower(...args).asText("js");
    setup = performance.now() - t0;
    stats = f.stats;
  } else if (mode === "wasm-traced" || mode === "wasm-prebuilt") {
    const { prebuiltWasm } = (await import(pathToFileURL(modulePath).href)) as { prebuiltWasm: Record<string, PrebuiltKernel> };
    const f = jit(model.fn, { backend: "wasm" }, { params: model.params, prebuilt: mode === "wasm-prebuilt" ? [prebuiltWasm[name]!] : [] });
    const t0 = performance.now();
    f(...args).dataSync();
    first = performance.now() - t0;
    stats = { ...f.stats };
    // The second call runs the same module warm: first − second is what the first call adds.
    const t1 = performance.now();
    f(...args).dataSync();
    setup = first - (performance.now() - t1);
  } else if (mode === "traced") {
    const f = jit(model.fn);
    const t0 = performance.now();
    f(...args).dataSync();
    first = performance.now() - t0;
    stats = f.stats;
  } else {
    const { prebuilt } = (await import(pathToFileURL(modulePath).href)) as { prebuilt: Record<string, PrebuiltKernel> };
    // The kernel records when it starts, so setup = call start → kernel start.
    let kernelStart = 0;
    const p = prebuilt[name]!;
    const timed = timedKernel(p, (t) => { kernelStart = t; });
    const f = jit(model.fn, {}, { params: model.params, prebuilt: [timed] });
    const t0 = performance.now();
    f(...args).dataSync();
    first = performance.now() - t0;
    setup = kernelStart - t0;
    stats = f.stats;
  }
  console.log(JSON.stringify({ setup, first, stats }));
}

await main();
