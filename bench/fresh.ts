// Fresh-process measurements (first-call.ts, import.ts, prebuilt.ts): a child script next to
// this file, run in new Node processes, each printing one line of JSON last.

import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Runs `child` (e.g. "first-call-child.js") with `args` in `processes` fresh Node processes; the JSON each printed last. */
export function runFresh<T>(child: string, args: readonly string[], processes: number): T[] {
  const script = fileURLToPath(new URL(`./${child}`, import.meta.url));
  return Array.from({ length: processes }, () => {
    const out = execFileSync(process.execPath, [script, ...args], { encoding: "utf8" });
    return JSON.parse(out.trim().split("\n").pop()!) as T;
  });
}
