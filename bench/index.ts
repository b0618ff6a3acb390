// `npm run bench [-- filter...]`: runs the benchmark groups (all, or those whose id
// contains one of the filters) in this process and prints one table.
//
// ratio = baseline time / tsjit time, measured side by side (interleaved) in this process:
// above 1, tsjit is faster. Absolute times on a shared machine are noise; ratios are not.

import { chainGroup } from "./chain.js";
import { controlFlowGroup } from "./control-flow.js";
import { prebuiltGroup } from "./prebuilt.js";
import { dispatchGroup } from "./dispatch.js";
import { firstCallGroup } from "./first-call.js";
import { fusedGroup } from "./fused.js";
import { indexingGroup } from "./indexing.js";
import type { Context, Group } from "./group.js";
import { matmulGroup } from "./matmul.js";
import { mlpGroup } from "./mlp.js";
import { loadJaxJs } from "./peers.js";
import { printTable, type Row } from "./report.js";
import { softmaxGroup } from "./softmax.js";
import { trainStepGroup } from "./train-step.js";
import { webgpuGroup } from "./webgpu.js";
import { wasmGroup } from "./wasm.js";

export const groups: readonly Group[] = [fusedGroup, chainGroup, softmaxGroup, matmulGroup, mlpGroup, dispatchGroup, firstCallGroup, controlFlowGroup, prebuiltGroup, trainStepGroup, webgpuGroup, indexingGroup, wasmGroup];

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(`usage: npm run bench [-- <filter>...]\ngroups: ${groups.map((g) => g.id).join(", ")}`);
    return 0;
  }
  const filters = argv.filter((a) => !a.startsWith("-"));
  const selected = filters.length ? groups.filter((g) => filters.some((f) => g.id.includes(f) || g.title.includes(f))) : groups;
  if (selected.length === 0) {
    console.error(`no benchmark group matches ${filters.join(", ")}; groups: ${groups.map((g) => g.id).join(", ")}`);
    return 2;
  }
  const start = performance.now();
  const jax = await loadJaxJs();
  const ctx: Context = { jax, log: (m) => process.stderr.write(`  … ${m}\n`) };
  console.log(`tsjit benchmarks — node ${process.version}, ${process.platform}/${process.arch}` +
    `, peer: ${jax.ok ? `@jax-js/jax ${jax.jax.version} (${jax.jax.device} backend)` : `@jax-js/jax not compared: ${jax.reason}`}`);
  console.log("ratio = baseline time / tsjit time, interleaved in one process (> 1: tsjit faster), ± half the IQR of the per-round ratios;");
  console.log("times are medians per call, including the readback (dataSync) and a fresh output array, as a JS function returning one would.\n");

  const rows: Row[] = [];
  for (const g of selected) {
    try {
      rows.push(...await g.run(ctx));
    } catch (e) {
      rows.push({ name: g.title, tsjit: "error", baseline: "", status: "FAIL", note: e instanceof Error ? e.stack ?? e.message : String(e) });
    }
  }
  console.log("");
  printTable(rows);
  const count = (s: string) => rows.filter((r) => r.status === s).length;
  console.log(`\n${count("PASS")} PASS, ${count("MISS")} MISS, ${count("FAIL")} FAIL — ${((performance.now() - start) / 1000).toFixed(0)} s`);
  return count("FAIL") ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
