// `import` + init, each in a fresh Node process: the time from a script's start until the
// library can compute (tsjit: its module graph; the peers: their module graph plus
// compiling/instantiating their WebAssembly and the smoke call bench/peers.ts makes).

import { runFresh } from "./fresh.js";
import type { Group } from "./group.js";
import type { ImportTime } from "./import-child.js";
import { jaxLabel, tfLabel } from "./peers.js";
import { formatTime, type Row } from "./report.js";
import { median } from "./timing.js";

const PROCESSES = 3;
export const TARGET_IMPORT_MS = 20;

function fresh(which: "tsjit" | "tsjit-wasm" | "jax" | "tf"): { ms: number; error?: string } {
  const runs = runFresh<ImportTime>("import-child.js", [which], PROCESSES);
  const error = runs.find((r) => r.error)?.error;
  return { ms: median(runs.map((r) => r.ms)), ...(error === undefined ? {} : { error }) };
}

export const importGroup: Group = {
  id: "import",
  title: "import + init",
  async run(ctx) {
    ctx.log("import + init (fresh processes)");
    const wasm = ctx.wasm === undefined;
    const t = fresh(wasm ? "tsjit-wasm" : "tsjit");
    const rows: Row[] = [{
      name: `import + init, cold (${wasm ? "wasm" : "cpu"} backend)`,
      tsjit: formatTime(t.ms),
      baseline: "",
      target: `≤ ${TARGET_IMPORT_MS} ms`,
      status: t.ms <= TARGET_IMPORT_MS ? "PASS" : "MISS",
      note: `fresh process, median of ${PROCESSES}`,
    }];
    const peers = [
      { which: "jax", label: ctx.jax.ok ? jaxLabel(ctx.jax.jax) : "@jax-js/jax", status: ctx.jax },
      { which: "tf", label: ctx.tf.ok ? tfLabel(ctx.tf.tf) : "tfjs-wasm", status: ctx.tf },
    ] as const;
    for (const { which, label, status } of peers) {
      const p = status.ok ? fresh(which) : { ms: NaN, error: status.reason };
      if (p.error !== undefined) rows.push({ name: "", tsjit: "", baseline: label, baselineTime: "n/a", note: p.error });
      else rows.push({ name: "", tsjit: "", baseline: label, baselineTime: formatTime(p.ms), ratio: p.ms / t.ms });
    }
    return rows;
  },
};
